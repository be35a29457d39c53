package io.plinth.events;

import static io.plinth.events.OutboxWriter.ATTEMPTS;
import static io.plinth.events.OutboxWriter.BODY;
import static io.plinth.events.OutboxWriter.CORRELATION_ID;
import static io.plinth.events.OutboxWriter.CREATED_AT;
import static io.plinth.events.OutboxWriter.EVENT_ID;
import static io.plinth.events.OutboxWriter.EVENT_TYPE;
import static io.plinth.events.OutboxWriter.LAST_ERROR;
import static io.plinth.events.OutboxWriter.OUTBOX;
import static io.plinth.events.OutboxWriter.POSITION;
import static io.plinth.events.OutboxWriter.RECORD_ID;
import static io.plinth.events.OutboxWriter.RESOURCE;
import static io.plinth.events.OutboxWriter.SENT_AT;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.impl.DSL;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/**
 * Sends committed outbox events to the queue and marks them sent.
 *
 * <p>One relay is active per database: it holds a session advisory lock on its own connection, which PostgreSQL
 * releases if the instance dies, so another instance takes over; rows are also claimed {@code FOR UPDATE SKIP
 * LOCKED}. Being the only sender keeps events in commit order (on a FIFO queue, per record) and sends each once in
 * normal operation. The same connection LISTENs for the outbox trigger's NOTIFY, so events leave a few milliseconds
 * after commit; a poll interval covers missed notifications. While the queue is unavailable the relay backs off
 * exponentially; API writes only touch the outbox and are not slowed. After a crash between sending and marking,
 * events are sent again with the same eventId (at least once).
 */
@Component
public class OutboxRelay implements SmartLifecycle {

    /** Advisory lock key of the active relay ("plinthrl"). */
    static final long LEADER_LOCK_KEY = 0x706c696e74686c72L;
    private static final int SQS_BATCH = 10;
    private static final Duration FLUSH_ON_STOP = Duration.ofSeconds(5);

    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);

    private final DataSource dataSource;
    private final DSLContext dsl;
    private final EventQueue queue;
    private final EventsProperties properties;
    private final Counter published;
    private final Counter failures;
    private final DistributionSummary batchSizes;
    private final Timer commitToQueue;
    private final AtomicLong backlog = new AtomicLong();
    private final AtomicLong oldestAgeMillis = new AtomicLong();
    private volatile boolean running;
    private volatile boolean leader;
    private volatile Thread worker;
    private long lastGaugeRefresh;

    public OutboxRelay(DataSource dataSource, DSLContext dsl, EventQueue queue, EventsProperties properties,
                       MeterRegistry meters) {
        this.dataSource = dataSource;
        this.dsl = dsl;
        this.queue = queue;
        this.properties = properties;
        this.published = Counter.builder("plinth.events.published").description("Events sent to the queue")
                .register(meters);
        this.failures = Counter.builder("plinth.events.publish.failures")
                .description("Failed attempts to send events to the queue").register(meters);
        this.batchSizes = DistributionSummary.builder("plinth.events.relay.batch.size")
                .description("Events sent per relay round").register(meters);
        this.commitToQueue = Timer.builder("plinth.events.commit.to.queue")
                .description("From the change's transaction to the event on the queue").publishPercentiles(0.5, 0.99)
                .register(meters);
        Gauge.builder("plinth.outbox.backlog", backlog, AtomicLong::get).description("Events not yet sent")
                .register(meters);
        Gauge.builder("plinth.outbox.oldest.age.seconds", oldestAgeMillis, a -> a.get() / 1000.0)
                .description("Age of the oldest event not yet sent").register(meters);
    }

    @Override
    public void start() {
        if (!properties.enabled() || !queue.isConfigured() || running) {
            return;
        }
        running = true;
        worker = Thread.ofPlatform().name("plinth-outbox-relay").daemon().start(this::run);
    }

    @Override
    public void stop() {
        running = false;
        Thread thread = worker;
        if (thread != null) {
            try {
                thread.join(properties.relay().pollInterval().toMillis() + 10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Stops after the web server (phase 0 stops later than higher phases), so in-flight writes are relayed. */
    @Override
    public int getPhase() {
        return -100;
    }

    /** Whether this instance is the active relay. */
    public boolean isLeader() {
        return leader;
    }

    private void run() {
        Duration backoff = properties.relay().minBackoff();
        while (running) {
            try (Connection connection = dataSource.getConnection()) {
                connection.setAutoCommit(true);
                try (Statement statement = connection.createStatement()) {
                    statement.execute("LISTEN " + OutboxWriter.CHANNEL);
                }
                PGConnection notifications = connection.unwrap(PGConnection.class);
                while (running) {
                    if (!leader) {
                        leader = tryLead(connection);
                        if (!leader) {
                            notifications.getNotifications((int) properties.relay().pollInterval().toMillis());
                            continue;
                        }
                        log.info("This instance is now the active outbox relay");
                    }
                    refreshGauges();
                    Round round = relayOnce();
                    if (round.error() != null) {
                        failures.increment();
                        log.warn("Sending events failed ({}); retrying in {} ms", round.error(), backoff.toMillis());
                        sleep(backoff);
                        backoff = min(backoff.multipliedBy(2), properties.relay().maxBackoff());
                    } else {
                        backoff = properties.relay().minBackoff();
                        if (round.sent() == 0 || round.paused()) {
                            notifications.getNotifications((int) properties.relay().pollInterval().toMillis());
                        }
                    }
                }
                if (leader) {
                    flushBeforeStopping();
                }
            } catch (SQLException | RuntimeException e) {
                leader = false;
                if (running) {
                    log.warn("Outbox relay lost its database connection ({}); retrying in {} ms", e.getMessage(),
                            backoff.toMillis());
                    sleep(backoff);
                    backoff = min(backoff.multipliedBy(2), properties.relay().maxBackoff());
                }
            }
        }
        leader = false;
    }

    /**
     * On shutdown (after the web server has finished its requests), sends what is still in the outbox for a few
     * seconds, so that a deployment does not leave the last writes' events to the next leader.
     */
    private void flushBeforeStopping() {
        long deadline = System.nanoTime() + FLUSH_ON_STOP.toNanos();
        int flushed = 0;
        String error = null;
        while (System.nanoTime() < deadline) {
            Round round = relayOnce();
            flushed += round.sent();
            if (round.error() != null || round.paused() || round.sent() == 0) {
                error = round.error();
                break;
            }
        }
        long left = dsl.fetchCount(OUTBOX, SENT_AT.isNull());
        log.atInfo().addKeyValue("flushed", flushed).addKeyValue("left", left)
                .log("Outbox relay stopping: sent {} more events, {} left for the next leader{}", flushed, left,
                        error == null ? "" : " (" + error + ")");
    }

    private static boolean tryLead(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("SELECT pg_try_advisory_lock(" + LEADER_LOCK_KEY + ")")) {
            return result.next() && result.getBoolean(1);
        }
    }

    /**
     * The cluster-wide pause switch, read inside the round's transaction with a share lock: a pause request waits for
     * a round in flight, and once it returns no round sends anything.
     */
    private static boolean paused(DSLContext tx) {
        return Boolean.TRUE.equals(tx.select(DSL.field(DSL.name("paused"), Boolean.class))
                .from(DSL.table(DSL.name("plinth_relay_state"))).forShare().fetchOne(0, Boolean.class));
    }

    /** The outcome of one round: how many events went out, and the failure that stopped it, if any. */
    private record Round(int sent, String error, boolean paused) {
        Round(int sent, String error) {
            this(sent, error, false);
        }
    }

    private Round relayOnce() {
        return dsl.transactionResult(configuration -> {
            DSLContext tx = configuration.dsl();
            if (paused(tx)) {
                return new Round(0, null, true);
            }
            List<Record> rows = new ArrayList<>(tx.select(POSITION, EVENT_ID, RESOURCE, RECORD_ID, EVENT_TYPE, CORRELATION_ID, BODY,
                            CREATED_AT, OutboxWriter.TRACE_PARENT)
                    .from(OUTBOX)
                    .where(SENT_AT.isNull())
                    .orderBy(POSITION)
                    .limit(properties.relay().batchSize())
                    .forUpdate().skipLocked()
                    .fetch());
            if (rows.isEmpty()) {
                return new Round(0, null);
            }
            List<List<Record>> chunks = new ArrayList<>();
            for (int from = 0; from < rows.size(); from += SQS_BATCH) {
                chunks.add(rows.subList(from, Math.min(from + SQS_BATCH, rows.size())));
            }
            // A FIFO queue gets its batches one after another, in commit order; a standard queue promises no order,
            // so its batches go out together.
            List<ChunkResult> results = queue.fifo() || queue.webhooksFifo() ? sendInOrder(chunks) : sendTogether(chunks);
            List<Long> sent = new ArrayList<>();
            String error = null;
            Long failedPosition = null;
            for (ChunkResult result : results) {
                for (Record row : result.sent()) {
                    sent.add(row.get(POSITION));
                    commitToQueue.record(Duration.between(row.get(CREATED_AT), OffsetDateTime.now()));
                }
                if (result.error() != null && failedPosition == null) {
                    error = result.error();
                    failedPosition = result.failedPosition();
                }
            }
            if (!sent.isEmpty()) {
                tx.update(OUTBOX).set(SENT_AT, DSL.currentOffsetDateTime()).where(POSITION.in(sent)).execute();
                published.increment(sent.size());
                batchSizes.record(sent.size());
            }
            if (failedPosition != null) {
                String message = error.length() > 1000 ? error.substring(0, 1000) : error;
                tx.update(OUTBOX).set(ATTEMPTS, ATTEMPTS.plus(1)).set(LAST_ERROR, message)
                        .where(POSITION.eq(failedPosition)).execute();
            }
            return new Round(sent.size(), error);
        });
    }

    /** What one SQS batch achieved: the rows sent (a prefix of the batch) and the failure that stopped it. */
    private record ChunkResult(List<Record> sent, String error, Long failedPosition) {
    }

    private List<ChunkResult> sendInOrder(List<List<Record>> chunks) {
        List<ChunkResult> results = new ArrayList<>();
        for (List<Record> chunk : chunks) {
            ChunkResult result = send(chunk);
            results.add(result);
            if (result.error() != null) {
                break;
            }
        }
        return results;
    }

    private List<ChunkResult> sendTogether(List<List<Record>> chunks) {
        if (chunks.size() == 1) {
            return List.of(send(chunks.getFirst()));
        }
        try (var executor = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            List<java.util.concurrent.Future<ChunkResult>> futures = chunks.stream()
                    .map(chunk -> executor.submit(() -> send(chunk))).toList();
            List<ChunkResult> results = new ArrayList<>();
            for (var future : futures) {
                try {
                    results.add(future.get());
                } catch (java.util.concurrent.ExecutionException e) {
                    results.add(new ChunkResult(List.of(), e.getCause().toString(), null));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    results.add(new ChunkResult(List.of(), "interrupted", null));
                }
            }
            return results;
        }
    }

    /**
     * Sends a batch to the events queue and then, when webhooks are on, what got there to the webhooks queue too. The
     * rows counted as sent are those both queues took; the others are sent to both again later (consumers of the
     * events queue may then see an event twice, with the same eventId, as after any retry).
     */
    private ChunkResult send(List<Record> chunk) {
        ChunkResult events = sendTo(queue.queueUrl(), queue.fifo(), chunk);
        if (queue.webhooksQueueUrl() == null || events.sent().isEmpty()) {
            return events;
        }
        ChunkResult webhooks = sendTo(queue.webhooksQueueUrl(), queue.webhooksFifo(), events.sent());
        return webhooks.error() == null ? events : webhooks;
    }

    private ChunkResult sendTo(String queueUrl, boolean fifo, List<Record> chunk) {
        SendMessageBatchResponse response;
        try {
            response = queue.client().sendMessageBatch(b -> b.queueUrl(queueUrl)
                    .entries(chunk.stream().map(row -> entry(row, fifo)).toList()));
        } catch (SdkException e) {
            return new ChunkResult(List.of(), e.getClass().getSimpleName() + ": " + e.getMessage(),
                    chunk.getFirst().get(POSITION));
        }
        Map<String, BatchResultErrorEntry> failed = new HashMap<>();
        response.failed().forEach(f -> failed.put(f.id(), f));
        List<Record> sent = new ArrayList<>();
        for (Record row : chunk) {
            BatchResultErrorEntry failure = failed.get(Long.toString(row.get(POSITION)));
            if (failure != null) {
                // Stop at the first failure so that later events of the batch never overtake it.
                return new ChunkResult(sent, failure.code() + ": " + failure.message(), row.get(POSITION));
            }
            sent.add(row);
        }
        return new ChunkResult(sent, null, null);
    }

    private SendMessageBatchRequestEntry entry(Record row, boolean fifo) {
        Map<String, MessageAttributeValue> attributes = new HashMap<>();
        attributes.put("eventType", text(row.get(EVENT_TYPE)));
        attributes.put("resource", text(row.get(RESOURCE)));
        if (row.get(CORRELATION_ID) != null) {
            attributes.put("correlationId", text(row.get(CORRELATION_ID)));
        }
        if (row.get(OutboxWriter.TRACE_PARENT) != null) {
            attributes.put("traceparent", text(row.get(OutboxWriter.TRACE_PARENT)));
        }
        SendMessageBatchRequestEntry.Builder entry = SendMessageBatchRequestEntry.builder()
                .id(Long.toString(row.get(POSITION)))
                .messageBody(row.get(BODY))
                .messageAttributes(attributes);
        if (fifo) {
            entry.messageGroupId(row.get(RECORD_ID).toString()).messageDeduplicationId(row.get(EVENT_ID).toString());
        }
        return entry.build();
    }

    private static MessageAttributeValue text(String value) {
        return MessageAttributeValue.builder().dataType("String").stringValue(value).build();
    }

    private void refreshGauges() {
        long now = System.currentTimeMillis();
        if (now - lastGaugeRefresh < 1000) {
            return;
        }
        lastGaugeRefresh = now;
        Record row = dsl.select(DSL.count(), DSL.min(CREATED_AT)).from(OUTBOX).where(SENT_AT.isNull()).fetchOne();
        backlog.set(row.get(0, Integer.class));
        OffsetDateTime oldest = row.get(1, OffsetDateTime.class);
        oldestAgeMillis.set(oldest == null ? 0 : Duration.between(oldest, OffsetDateTime.now()).toMillis());
    }

    /** Deletes sent events older than the retention, hourly, in bounded chunks. */
    @Scheduled(fixedDelayString = "PT1H", initialDelayString = "PT10M")
    void prune() {
        try {
            OffsetDateTime before = OffsetDateTime.now().minus(properties.retention());
            int removed;
            do {
                removed = dsl.deleteFrom(OUTBOX).where(POSITION.in(DSL.select(POSITION).from(OUTBOX)
                        .where(SENT_AT.lt(before)).limit(10_000))).execute();
                if (removed > 0) {
                    log.info("Pruned {} sent events older than {}", removed, properties.retention());
                }
            } while (removed == 10_000);
        } catch (RuntimeException e) {
            log.warn("Pruning sent events failed; will try again: {}", e.getMessage());
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }
}
