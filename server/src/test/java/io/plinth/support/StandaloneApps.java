package io.plinth.support;

import io.plinth.PlinthApplication;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** Whole Plinth applications started and stopped by a test, each on a data directory of its own. */
public final class StandaloneApps {

    private StandaloneApps() {
    }

    /** A new, empty data directory under target/test-data. */
    public static Path newDataDir(String prefix) throws IOException {
        Path base = Path.of("target", "test-data");
        Files.createDirectories(base);
        return Files.createTempDirectory(base, prefix);
    }

    /** Starts Plinth on a free port with this data directory and any further {@code --name=value} arguments. */
    public static ConfigurableApplicationContext start(Path dataDir, String... extra) {
        List<String> args = new ArrayList<>(List.of("--server.port=0", "--plinth.data-dir=" + dataDir));
        args.addAll(List.of(TestCredentials.arguments()));
        args.addAll(List.of(extra));
        return new SpringApplicationBuilder(PlinthApplication.class).run(args.toArray(String[]::new));
    }

    /** An HTTP client for a started application. */
    public static Http http(ConfigurableApplicationContext context) {
        return new Http(Integer.parseInt(context.getEnvironment().getProperty("local.server.port")));
    }
}
