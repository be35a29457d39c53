package io.plinth.embedded;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Starts the embedded SQS-compatible queue when events are on and no SQS queue is configured. Its messages are stored
 * in the schema {@code plinth_queue} of Plinth's own database, which for the embedded database lives in the data
 * directory.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(NoSqsQueueCondition.class)
public class EmbeddedQueueConfiguration {

    static final String SCHEMA = "plinth_queue";

    @Bean(destroyMethod = "close")
    EmbeddedQueueServer embeddedQueueServer(JdbcConnectionDetails database, DataSource dataSource, Environment environment) {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA IF NOT EXISTS " + SCHEMA);
            // ElasticMQ's SQL storage declares its message columns as "blob", which PostgreSQL calls bytea.
            statement.execute("DO $$ BEGIN CREATE DOMAIN " + SCHEMA + ".blob AS bytea; "
                    + "EXCEPTION WHEN duplicate_object THEN NULL; END $$");
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot create the schema " + SCHEMA + " for the embedded queue", e);
        }
        String url = database.getJdbcUrl() + (database.getJdbcUrl().contains("?") ? "&" : "?") + "currentSchema=" + SCHEMA;
        int port = environment.getProperty("plinth.events.embedded.port", Integer.class, 0);
        java.nio.file.Path dataDir = java.nio.file.Path.of(environment.getProperty("plinth.data-dir", "data"));
        return EmbeddedQueueServer.start(port, url, database.getUsername(), database.getPassword(),
                dataDir.resolve("queue"));
    }
}
