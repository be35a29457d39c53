package io.plinth.idempotency;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How long Idempotency-Keys are remembered.
 *
 * @param ttl a key older than this is forgotten and may be used again (default 24 hours)
 */
@ConfigurationProperties("plinth.idempotency")
public record IdempotencyProperties(Duration ttl) {
    public IdempotencyProperties {
        ttl = ttl == null ? Duration.ofHours(24) : ttl;
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("plinth.idempotency.ttl must be positive");
        }
    }
}
