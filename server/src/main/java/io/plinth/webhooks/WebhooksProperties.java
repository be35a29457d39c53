package io.plinth.webhooks;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Webhook settings ({@code plinth.webhooks.*}).
 *
 * @param enabled          whether webhooks are dispatched at all (default true; needs events)
 *                         (the queue: {@code plinth.events.embedded.webhooks-queue}, or
 *                         {@code plinth.events.sqs.webhooks-queue-url} with an external SQS)
 * @param connectTimeout   to connect to an endpoint (default 2 s)
 * @param readTimeout      for the endpoint's answer (default 5 s)
 * @param retrySchedule    waits before the 2nd, 3rd... attempt; after the last the delivery is dead-lettered
 *                         (default 10s, 1m, 5m, 30m, 2h, 6h: about 9 hours)
 * @param jitter           each wait is varied by up to this fraction either way (default 0.2)
 * @param circuit          the circuit breaker per endpoint
 * @param maxConcurrentPerEndpoint deliveries in flight to one endpoint at once: its bulkhead (default 4)
 * @param maxConcurrent    deliveries in flight in this instance (default 64)
 * @param pollWait         SQS long-poll wait (default 10 s)
 * @param visibilityTimeout how long a received message stays hidden while it is being scheduled (default 30 s)
 * @param retention        how long delivered and dead deliveries (and their attempts) are kept (default 14 days)
 * @param allowedTargets   hosts, IP addresses or CIDR ranges that may be targets although private, loopback or
 *                         link-local (the SSRF guard refuses those by default)
 */
@ConfigurationProperties("plinth.webhooks")
public record WebhooksProperties(Boolean enabled, Duration connectTimeout,
                                 Duration readTimeout, List<Duration> retrySchedule, Double jitter, Circuit circuit,
                                 Integer maxConcurrentPerEndpoint, Integer maxConcurrent, Duration pollWait,
                                 Duration visibilityTimeout, Duration retention, List<String> allowedTargets) {

    public WebhooksProperties {
        enabled = enabled == null || enabled;
        connectTimeout = connectTimeout == null ? Duration.ofSeconds(2) : connectTimeout;
        readTimeout = readTimeout == null ? Duration.ofSeconds(5) : readTimeout;
        retrySchedule = retrySchedule == null || retrySchedule.isEmpty()
                ? List.of(Duration.ofSeconds(10), Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(30),
                        Duration.ofHours(2), Duration.ofHours(6))
                : List.copyOf(retrySchedule);
        jitter = jitter == null ? 0.2 : jitter;
        circuit = circuit == null ? new Circuit(null, null, null, null) : circuit;
        maxConcurrentPerEndpoint = maxConcurrentPerEndpoint == null ? 4 : maxConcurrentPerEndpoint;
        maxConcurrent = maxConcurrent == null ? 64 : maxConcurrent;
        pollWait = pollWait == null ? Duration.ofSeconds(10) : pollWait;
        visibilityTimeout = visibilityTimeout == null ? Duration.ofSeconds(30) : visibilityTimeout;
        retention = retention == null ? Duration.ofDays(14) : retention;
        allowedTargets = allowedTargets == null ? List.of() : List.copyOf(allowedTargets);
    }

    /**
     * The circuit breaker of each endpoint.
     *
     * @param failureRateThreshold percentage of failed calls that opens it (default 50)
     * @param minimumCalls         calls before the rate counts (default 5)
     * @param windowSize           calls the rate is measured over (default 20)
     * @param openWait             how long it stays open before a probe (default 30 s)
     */
    public record Circuit(Integer failureRateThreshold, Integer minimumCalls, Integer windowSize, Duration openWait) {
        public Circuit {
            failureRateThreshold = failureRateThreshold == null ? 50 : failureRateThreshold;
            minimumCalls = minimumCalls == null ? 5 : minimumCalls;
            windowSize = windowSize == null ? 20 : windowSize;
            openWait = openWait == null ? Duration.ofSeconds(30) : openWait;
        }
    }
}
