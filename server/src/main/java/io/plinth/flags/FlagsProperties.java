package io.plinth.flags;

import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Flags declared in configuration, e.g. {@code plinth.flags.declared.newCheckout.description=...}.
 *
 * @param declared        the team's own flags by name
 * @param refreshInterval how often each instance re-reads every flag even without a notification (the backstop)
 */
@ConfigurationProperties("plinth.flags")
public record FlagsProperties(Map<String, Declared> declared, Duration refreshInterval) {

    public FlagsProperties {
        declared = declared == null ? Map.of() : Map.copyOf(declared);
        refreshInterval = refreshInterval == null ? Duration.ofSeconds(5) : refreshInterval;
    }

    /**
     * One declared flag.
     *
     * @param description what it does
     * @param enabled     its default state
     */
    public record Declared(String description, Boolean enabled) {
    }
}
