package io.plinth.schema;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How Plinth evolves its tables ({@code plinth.schema.*}).
 *
 * @param autoApply           at start-up, apply a plan whose steps are all safe instead of refusing to start; unset:
 *                            on with the embedded database, off with an external one (env {@code PLINTH_SCHEMA_AUTO_APPLY})
 * @param lockTimeout         how long a schema change waits for a table lock before giving up (and rolling back),
 *                            so an apply never queues traffic behind a long transaction for long; default 10 s
 * @param concurrentIndexRows tables with at least this many rows (planner estimate) get new indexes built
 *                            CONCURRENTLY after the transaction commits, without blocking writes; default 1,000,000
 */
@ConfigurationProperties("plinth.schema")
public record SchemaProperties(Boolean autoApply, Duration lockTimeout, Long concurrentIndexRows) {

    public SchemaProperties {
        lockTimeout = lockTimeout == null ? Duration.ofSeconds(10) : lockTimeout;
        concurrentIndexRows = concurrentIndexRows == null ? 1_000_000L : concurrentIndexRows;
        if (lockTimeout.isNegative() || concurrentIndexRows < 1) {
            throw new IllegalArgumentException("plinth.schema.lock-timeout must not be negative and "
                    + "plinth.schema.concurrent-index-rows must be at least 1");
        }
    }
}
