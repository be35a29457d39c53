package io.plinth.events;

import static io.plinth.events.OutboxWriter.ATTEMPTS;
import static io.plinth.events.OutboxWriter.BODY;
import static io.plinth.events.OutboxWriter.CREATED_AT;
import static io.plinth.events.OutboxWriter.LAST_ERROR;
import static io.plinth.events.OutboxWriter.OUTBOX;
import static io.plinth.events.OutboxWriter.POSITION;
import static io.plinth.events.OutboxWriter.RECORD_ID;
import static io.plinth.events.OutboxWriter.RESOURCE;
import static io.plinth.events.OutboxWriter.SENT_AT;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.impl.DSL;
import org.springframework.stereotype.Component;

/** Reads the event history of records, and the operators' controls of publishing. */
@Component
public class EventLog {

    private static final Field<Boolean> PAUSED = DSL.field(DSL.name("paused"), Boolean.class);

    private final DSLContext dsl;
    private final OutboxRelay relay;
    private final EventQueue queue;

    public EventLog(DSLContext dsl, OutboxRelay relay, EventQueue queue) {
        this.dsl = dsl;
        this.relay = relay;
        this.queue = queue;
    }

    /**
     * One page of a record's events, newest first.
     *
     * @param before only events older than this position (from the previous page), or null
     */
    public HistoryPage history(String resource, UUID recordId, int limit, Long before) {
        List<Record> rows = dsl.select(POSITION, BODY).from(OUTBOX)
                .where(RESOURCE.eq(resource)).and(RECORD_ID.eq(recordId))
                .and(before == null ? DSL.noCondition() : POSITION.lt(before))
                .orderBy(POSITION.desc())
                .limit(limit + 1)
                .fetch().stream().map(r -> (Record) r).toList();
        Long next = rows.size() > limit ? rows.get(limit - 1).get(POSITION) : null;
        List<String> bodies = rows.stream().limit(limit).map(r -> r.get(BODY)).toList();
        return new HistoryPage(bodies, next);
    }

    /**
     * A page of history.
     *
     * @param events the events' JSON messages, newest first
     * @param next   the position to continue before, or null at the end
     */
    public record HistoryPage(List<String> events, Long next) {
    }

    /** Publishing as it stands now. */
    public Status status() {
        Record row = dsl.select(DSL.count(), DSL.min(CREATED_AT), DSL.max(ATTEMPTS)).from(OUTBOX)
                .where(SENT_AT.isNull()).fetchOne();
        OffsetDateTime oldest = row.get(1, OffsetDateTime.class);
        String lastError = dsl.select(LAST_ERROR).from(OUTBOX).where(SENT_AT.isNull()).and(LAST_ERROR.isNotNull())
                .orderBy(POSITION).limit(1).fetchOne(LAST_ERROR);
        boolean paused = Boolean.TRUE.equals(dsl.select(PAUSED).from(DSL.table(DSL.name("plinth_relay_state")))
                .fetchOne(PAUSED));
        return new Status(paused, relay.isLeader(), row.get(0, Integer.class),
                oldest == null ? 0 : Duration.between(oldest, OffsetDateTime.now()).toMillis() / 1000.0,
                lastError, queue.queueUrl(), queue.fifo());
    }

    /**
     * Publishing as it stands.
     *
     * @param paused                 whether operators paused publishing (cluster-wide)
     * @param activeRelay            whether this instance is the active relay
     * @param backlog                events not yet sent
     * @param oldestUnsentAgeSeconds age of the oldest unsent event
     * @param lastError              the latest send failure of an unsent event, or null
     * @param queueUrl               where events go
     * @param fifo                   whether the queue keeps per-record order
     */
    public record Status(boolean paused, boolean activeRelay, long backlog, double oldestUnsentAgeSeconds,
                         String lastError, String queueUrl, boolean fifo) {
    }

    /**
     * Stops (true) or restarts (false) publishing on every instance; changes keep being recorded. Waits for a relay
     * round in flight, so that after a pause returns nothing more is sent.
     */
    public void setPaused(boolean paused) {
        dsl.update(DSL.table(DSL.name("plinth_relay_state")))
                .set(PAUSED, paused)
                .set(DSL.field(DSL.name("changed_at"), OffsetDateTime.class), DSL.currentOffsetDateTime())
                .execute();
    }

    /**
     * Marks the events with positions in {@code [from, to]} to be sent again (consumers see the same eventIds).
     *
     * @return how many events will be re-sent
     */
    public int republish(long from, long to) {
        return dsl.update(OUTBOX).set(SENT_AT, (OffsetDateTime) null).set(ATTEMPTS, 0).set(LAST_ERROR, (String) null)
                .where(POSITION.between(from, to)).and(SENT_AT.isNotNull())
                .execute();
    }

    /**
     * Marks the events recorded in {@code [since, until]} to be sent again.
     *
     * @return how many events will be re-sent
     */
    public int republish(OffsetDateTime since, OffsetDateTime until) {
        return dsl.update(OUTBOX).set(SENT_AT, (OffsetDateTime) null).set(ATTEMPTS, 0).set(LAST_ERROR, (String) null)
                .where(CREATED_AT.between(since, until)).and(SENT_AT.isNotNull())
                .execute();
    }
}
