package io.plinth;

import static org.assertj.core.api.Assertions.assertThat;

import io.plinth.support.SecretsLedger;
import io.plinth.support.TestCredentials;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Runs last (its own surefire execution, after every other): every secret the run's tests created or used (the ledger
 * that {@code Http} fills from requests and responses, plus the configured admin credentials) is looked for in all
 * log output of the run: each test class's captured output and the logs of the Plinth processes tests started.
 */
class SecretsNeverLoggedTest {

    @Test
    void noSecretCreatedByTheTestsAppearsInAnyLog() throws IOException {
        List<String> secrets = new ArrayList<>(SecretsLedger.all());
        secrets.add(TestCredentials.ADMIN_KEY);
        secrets.add(TestCredentials.ADMIN_PASSWORD);
        assertThat(secrets).as("secrets recorded by the run").hasSizeGreaterThan(10);
        List<Path> logs = new ArrayList<>();
        for (Path root : List.of(Path.of("target", "surefire-reports"), Path.of("target", "test-data"))) {
            if (Files.isDirectory(root)) {
                try (Stream<Path> files = Files.walk(root)) {
                    files.filter(Files::isRegularFile).filter(file -> file.toString().endsWith("-output.txt")
                            || file.toString().endsWith(".log")).forEach(logs::add);
                }
            }
        }
        assertThat(logs).as("log files of the run").isNotEmpty();
        List<String> leaks = new ArrayList<>();
        for (Path log : logs) {
            String text = Files.readString(log, StandardCharsets.ISO_8859_1);
            for (String secret : secrets) {
                if (text.contains(secret)) {
                    leaks.add(log + " contains " + secret.substring(0, 6) + "...");
                }
            }
        }
        assertThat(leaks).isEmpty();
    }
}
