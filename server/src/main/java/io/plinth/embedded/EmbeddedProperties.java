package io.plinth.embedded;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where the embedded services keep their data.
 *
 * @param dataDir the directory holding embedded PostgreSQL's data (in {@code postgres/}); env {@code PLINTH_DATA_DIR}
 */
@ConfigurationProperties("plinth")
public record EmbeddedProperties(Path dataDir) {
    public EmbeddedProperties {
        dataDir = dataDir == null ? Path.of("data") : dataDir;
    }
}
