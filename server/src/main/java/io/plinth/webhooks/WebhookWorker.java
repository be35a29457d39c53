package io.plinth.webhooks;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Posts scheduled deliveries. Each round claims due deliveries from PostgreSQL ({@code FOR UPDATE SKIP LOCKED} and a
 * lease, so instances share the work), never one whose subscription has an earlier PENDING delivery for the same
 * record (per-record order, also across retries), nor any of a subscription whose circuit is open or whose bulkhead is
 * full. Each claimed delivery runs on its own virtual thread: a hung endpoint holds at most its bulkhead's slots, for
 * at most the read timeout, and never the loop. A failure schedules the next attempt after the retry schedule's wait
 * (with jitter); after the last, the delivery is DEAD until replayed.
 */
public class WebhookWorker implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(WebhookWorker.class);
    private static final int CLAIM_BATCH = 50;

    private final DSLContext dsl;
    private final WebhookStore store;
    private final WebhooksProperties properties;
    private final TargetGuard guard;
    private final HttpClient http;
    private final CircuitBreakerRegistry breakers;
    private final BulkheadRegistry bulkheads;
    private final Semaphore slots;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final Object signal = new Object();
    private final Counter delivered;
    private final Counter failed;
    private final Counter dead;
    private final Timer attemptDuration;
    private final Timer eventToDelivery;
    private final AtomicLong backlog = new AtomicLong();
    private final AtomicLong deadLetters = new AtomicLong();
    private volatile boolean running;
    private volatile boolean woken;
    private volatile Thread thread;
    private long lastHousekeeping;

    public WebhookWorker(DSLContext dsl, WebhookStore store, WebhooksProperties properties, TargetGuard guard,
                         MeterRegistry meters) {
        this.dsl = dsl;
        this.store = store;
        this.properties = properties;
        this.guard = guard;
        this.http = HttpClient.newBuilder().connectTimeout(properties.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
        WebhooksProperties.Circuit circuit = properties.circuit();
        this.breakers = CircuitBreakerRegistry.of(CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(circuit.windowSize())
                .minimumNumberOfCalls(circuit.minimumCalls())
                .failureRateThreshold(circuit.failureRateThreshold())
                .waitDurationInOpenState(circuit.openWait())
                .automaticTransitionFromOpenToHalfOpenEnabled(true)
                .permittedNumberOfCallsInHalfOpenState(1)
                .recordExceptions(Exception.class)
                .build());
        this.bulkheads = BulkheadRegistry.of(BulkheadConfig.custom()
                .maxConcurrentCalls(properties.maxConcurrentPerEndpoint()).maxWaitDuration(Duration.ZERO).build());
        this.slots = new Semaphore(properties.maxConcurrent());
        this.delivered = Counter.builder("plinth.webhooks.deliveries").tag("outcome", "delivered")
                .description("Webhook deliveries by outcome: delivered, failed (a retry is scheduled), dead")
                .register(meters);
        this.failed = Counter.builder("plinth.webhooks.deliveries").tag("outcome", "failed").register(meters);
        this.dead = Counter.builder("plinth.webhooks.deliveries").tag("outcome", "dead").register(meters);
        this.attemptDuration = Timer.builder("plinth.webhooks.attempt.duration")
                .description("Time of one POST to a webhook endpoint").publishPercentiles(0.5, 0.99).register(meters);
        this.eventToDelivery = Timer.builder("plinth.webhooks.delivery.latency")
                .description("From the delivery's scheduling to its successful POST").publishPercentiles(0.5, 0.99)
                .register(meters);
        Gauge.builder("plinth.webhooks.circuits.open", breakers, r -> r.getAllCircuitBreakers().stream()
                        .filter(b -> b.getState() == CircuitBreaker.State.OPEN).count())
                .description("Webhook endpoints whose circuit is open").register(meters);
        Gauge.builder("plinth.webhooks.backlog", backlog, AtomicLong::get)
                .description("Deliveries waiting to be delivered (first attempts and retries)").register(meters);
        Gauge.builder("plinth.webhooks.dead.letters", deadLetters, AtomicLong::get)
                .description("Deliveries whose retries ran out, kept until replayed or purged").register(meters);
    }

    @Override
    public void start() {
        if (running || !properties.enabled()) {
            return;
        }
        running = true;
        thread = Thread.ofPlatform().name("plinth-webhook-worker").daemon().start(this::run);
    }

    @Override
    public void stop() {
        running = false;
        wake();
        Thread current = thread;
        if (current != null) {
            try {
                current.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        executor.shutdownNow();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return -90;
    }

    /** New deliveries were scheduled: look at once instead of at the next poll. */
    public void wake() {
        synchronized (signal) {
            woken = true;
            signal.notifyAll();
        }
    }

    /** The circuit state of a subscription's endpoint: CLOSED, OPEN or HALF_OPEN. */
    public String circuitState(UUID webhookId) {
        return breakers.find(webhookId.toString()).map(b -> b.getState().name()).orElse("CLOSED");
    }

    private void run() {
        while (running) {
            int claimed = 0;
            try {
                claimed = round();
                housekeeping();
            } catch (RuntimeException e) {
                log.atWarn().addKeyValue("error", e.getMessage()).log("A webhook delivery round failed; retrying");
            }
            if (claimed < CLAIM_BATCH) {
                synchronized (signal) {
                    if (!woken && running) {
                        try {
                            signal.wait(250);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return;
                        }
                    }
                    woken = false;
                }
            }
        }
    }

    private int round() {
        List<String> blocked = new ArrayList<>();
        breakers.getAllCircuitBreakers().forEach(breaker -> {
            if (breaker.getState() == CircuitBreaker.State.OPEN) {
                blocked.add(breaker.getName());
            }
        });
        bulkheads.getAllBulkheads().forEach(bulkhead -> {
            if (bulkhead.getMetrics().getAvailableConcurrentCalls() == 0) {
                blocked.add(bulkhead.getName());
            }
        });
        int room = Math.min(CLAIM_BATCH, slots.availablePermits());
        if (room == 0) {
            return 0;
        }
        Duration lease = properties.connectTimeout().plus(properties.readTimeout()).plusSeconds(30);
        List<Record> due = dsl.resultQuery("""
                UPDATE plinth_webhook_delivery SET claimed_until = now() + ?::interval
                WHERE id IN (
                  SELECT d.id FROM plinth_webhook_delivery d
                  WHERE d.status = 'PENDING' AND d.next_attempt_at <= now()
                    AND (d.claimed_until IS NULL OR d.claimed_until < now())
                    AND NOT (d.webhook_id::text = ANY (?::text[]))
                    AND EXISTS (SELECT 1 FROM plinth_webhook w WHERE w.id = d.webhook_id AND w.active)
                    AND NOT EXISTS (SELECT 1 FROM plinth_webhook_delivery e
                      WHERE e.webhook_id = d.webhook_id AND e.resource = d.resource AND e.record_id = d.record_id
                        AND e.status = 'PENDING' AND e.record_version < d.record_version)
                  ORDER BY d.next_attempt_at, d.record_version
                  LIMIT ? FOR UPDATE SKIP LOCKED)
                RETURNING id, webhook_id, event_id, event_type, body, attempts, created_at, trace_parent""",
                lease.toMillis() + " milliseconds", blocked.toArray(String[]::new), room).fetch();
        for (Record row : due) {
            UUID webhookId = row.get("webhook_id", UUID.class);
            // The claim only takes deliveries of active subscriptions; the cached list (2 s) spares a query per delivery.
            Optional<Webhook> webhook = store.active().stream().filter(w -> w.id().equals(webhookId)).findFirst();
            if (webhook.isEmpty()) {
                release(row.get("id", UUID.class), Duration.ofSeconds(5));
                continue;
            }
            Bulkhead bulkhead = bulkheads.bulkhead(webhookId.toString());
            CircuitBreaker breaker = breakers.circuitBreaker(webhookId.toString());
            if (!bulkhead.tryAcquirePermission()) {
                release(row.get("id", UUID.class), Duration.ofMillis(200));
                continue;
            }
            if (!breaker.tryAcquirePermission()) {
                bulkhead.onComplete();
                release(row.get("id", UUID.class), Duration.ofSeconds(1));
                continue;
            }
            slots.acquireUninterruptibly();
            executor.submit(() -> {
                try {
                    attempt(webhook.get(), row, breaker);
                } finally {
                    bulkhead.onComplete();
                    slots.release();
                }
            });
        }
        return due.size();
    }

    /** Gives a claimed delivery back without an attempt (its circuit or bulkhead said no). */
    private void release(UUID id, Duration after) {
        dsl.execute("UPDATE plinth_webhook_delivery SET claimed_until = NULL, next_attempt_at = now() + ?::interval "
                + "WHERE id = ?", after.toMillis() + " milliseconds", id);
    }

    private void attempt(Webhook webhook, Record row, CircuitBreaker breaker) {
        UUID deliveryId = row.get("id", UUID.class);
        String body = row.get("body", String.class);
        long started = System.nanoTime();
        Integer status = null;
        String error = null;
        Optional<String> refused = guard.problemWith(webhook.url());
        if (refused.isPresent()) {
            error = "refused by the SSRF guard: the URL " + refused.get();
        } else {
            long timestamp = System.currentTimeMillis() / 1000;
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(webhook.url()))
                    .timeout(properties.readTimeout())
                    .header("Content-Type", "application/json")
                    .header("User-Agent", "Plinth-Webhooks/1")
                    .header("Plinth-Event-Id", row.get("event_id", UUID.class).toString())
                    .header("Plinth-Event-Type", row.get("event_type", String.class))
                    .header("Plinth-Delivery-Id", deliveryId.toString())
                    .header("Plinth-Timestamp", Long.toString(timestamp))
                    .header("Plinth-Signature", Signatures.sign(webhook.secret(), timestamp, body))
                    .POST(HttpRequest.BodyPublishers.ofString(body));
            String traceParent = row.get("trace_parent", String.class);
            if (traceParent != null && traceParent.matches("[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}")) {
                // The trace of the change that caused the event (W3C Trace Context), for receivers that trace.
                request.header("traceparent", traceParent);
            }
            for (Map.Entry<String, String> header : webhook.headers().entrySet()) {
                request.setHeader(header.getKey(), header.getValue());
            }
            try {
                HttpResponse<Void> response = http.send(request.build(), HttpResponse.BodyHandlers.discarding());
                status = response.statusCode();
                if (status < 200 || status >= 300) {
                    error = "answered " + status;
                }
            } catch (java.net.http.HttpTimeoutException e) {
                error = "no answer within " + properties.readTimeout().toMillis() + " ms";
            } catch (IOException e) {
                error = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                error = "interrupted (Plinth stopping)";
            } catch (IllegalArgumentException e) {
                error = "invalid request: " + e.getMessage();
            }
        }
        long nanos = System.nanoTime() - started;
        attemptDuration.record(nanos, TimeUnit.NANOSECONDS);
        if (error == null) {
            breaker.onSuccess(nanos, TimeUnit.NANOSECONDS);
        } else {
            breaker.onError(nanos, TimeUnit.NANOSECONDS, new IOException(error));
        }
        record(deliveryId, row.get("attempts", Integer.class) + 1, status, error, nanos,
                row.get("created_at", OffsetDateTime.class));
    }

    private void record(UUID deliveryId, int attempts, Integer status, String error, long nanos, OffsetDateTime created) {
        String shortError = error == null ? null : error.length() > 500 ? error.substring(0, 500) : error;
        int millis = (int) Math.min(Integer.MAX_VALUE, TimeUnit.NANOSECONDS.toMillis(nanos));
        dsl.transaction(configuration -> {
            DSLContext tx = configuration.dsl();
            tx.execute("INSERT INTO plinth_webhook_attempt (delivery_id, status_code, duration_ms, error) "
                    + "VALUES (?, ?, ?, ?)", deliveryId, status, millis, shortError);
            if (error == null) {
                tx.execute("UPDATE plinth_webhook_delivery SET status = 'DELIVERED', attempts = ?, delivered_at = now(), "
                        + "claimed_until = NULL, last_status = ?, last_error = NULL WHERE id = ?", attempts, status,
                        deliveryId);
            } else if (attempts > properties.retrySchedule().size()) {
                tx.execute("UPDATE plinth_webhook_delivery SET status = 'DEAD', attempts = ?, claimed_until = NULL, "
                        + "last_status = ?, last_error = ? WHERE id = ?", attempts, status, shortError, deliveryId);
            } else {
                Duration wait = properties.retrySchedule().get(attempts - 1);
                double factor = 1 + (ThreadLocalRandom.current().nextDouble() * 2 - 1) * properties.jitter();
                long waitMillis = Math.max(1, (long) (wait.toMillis() * factor));
                tx.execute("UPDATE plinth_webhook_delivery SET attempts = ?, claimed_until = NULL, last_status = ?, "
                        + "last_error = ?, next_attempt_at = now() + ?::interval WHERE id = ?", attempts, status,
                        shortError, waitMillis + " milliseconds", deliveryId);
            }
        });
        if (error == null) {
            delivered.increment();
            eventToDelivery.record(Duration.between(created, OffsetDateTime.now()));
        } else if (attempts > properties.retrySchedule().size()) {
            dead.increment();
            log.atWarn().addKeyValue("deliveryId", deliveryId).addKeyValue("error", shortError)
                    .log("A webhook delivery is dead after {} attempts: {}", attempts, shortError);
        } else {
            failed.increment();
        }
    }

    private void housekeeping() {
        long now = System.currentTimeMillis();
        if (now - lastHousekeeping < 5_000) {
            return;
        }
        lastHousekeeping = now;
        Record counts = dsl.resultQuery("SELECT count(*) FILTER (WHERE status = 'PENDING') AS pending, "
                + "count(*) FILTER (WHERE status = 'DEAD') AS dead FROM plinth_webhook_delivery").fetchOne();
        backlog.set(counts.get("pending", Long.class));
        deadLetters.set(counts.get("dead", Long.class));
        dsl.execute("DELETE FROM plinth_webhook_delivery WHERE status <> 'PENDING' AND created_at < now() - ?::interval",
                properties.retention().toMillis() + " milliseconds");
    }
}
