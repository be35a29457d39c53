package io.plinth.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Every secret the tests create or use (passwords, API keys, session tokens, CSRF tokens), written to
 * {@code target/test-secrets.txt} so that SecretsNeverLoggedTest, which runs last, can look for each in all
 * log output of the run. {@link Http} records them from requests and responses as they pass.
 */
public final class SecretsLedger {

    /** The ledger file. */
    public static final Path FILE = Path.of("target", "test-secrets.txt");

    private SecretsLedger() {
    }

    /** Records a secret (ignores short or blank values, which would match by accident). */
    public static synchronized void record(String secret) {
        if (secret == null || secret.length() < 12) {
            return;
        }
        try {
            Files.createDirectories(FILE.getParent());
            Files.writeString(FILE, secret + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every recorded secret. */
    public static List<String> all() throws IOException {
        return Files.exists(FILE) ? Files.readAllLines(FILE).stream().filter(s -> !s.isBlank()).distinct().toList()
                : List.of();
    }
}
