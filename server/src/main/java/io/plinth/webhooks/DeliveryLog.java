package io.plinth.webhooks;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jooq.DSLContext;
import org.jooq.Record;

/** The deliveries of a subscription with every attempt, newest first, and replaying one. */
public class DeliveryLog {

    private final DSLContext dsl;
    private final WebhookWorker worker;

    public DeliveryLog(DSLContext dsl, WebhookWorker worker) {
        this.dsl = dsl;
        this.worker = worker;
    }

    /** One attempt to POST a delivery. */
    public record Attempt(OffsetDateTime at, Integer statusCode, int durationMs, String error) {
    }

    /** A delivery: one event to one subscription. */
    public record Delivery(UUID id, UUID eventId, String eventType, String resource, UUID recordId, long recordVersion,
                           String status, int attempts, OffsetDateTime createdAt, OffsetDateTime nextAttemptAt,
                           OffsetDateTime deliveredAt, Integer lastStatus, String lastError, List<Attempt> attemptLog) {
    }

    /** A page of deliveries, newest first; {@code next} continues after the last one. */
    public record Page(List<Delivery> deliveries, String next) {
    }

    /**
     * Deliveries of the subscription, newest first.
     *
     * @param status PENDING, DELIVERED or DEAD, or null for all
     * @param after  the {@code next} of the previous page, or null
     */
    public Page deliveries(UUID webhookId, String status, int limit, String after) {
        OffsetDateTime afterTime = null;
        UUID afterId = null;
        if (after != null) {
            String[] parts = after.split("~", 2);
            afterTime = OffsetDateTime.parse(parts[0]);
            afterId = UUID.fromString(parts[1]);
        }
        List<Record> rows = dsl.resultQuery("""
                SELECT * FROM plinth_webhook_delivery WHERE webhook_id = ?
                  AND (?::text IS NULL OR status = ?::text)
                  AND (?::timestamptz IS NULL OR (created_at, id) < (?::timestamptz, ?::uuid))
                ORDER BY created_at DESC, id DESC LIMIT ?""",
                webhookId, status, status, afterTime, afterTime, afterId, limit + 1).fetch();
        boolean more = rows.size() > limit;
        List<Delivery> page = rows.stream().limit(limit).map(this::delivery).toList();
        String next = more ? page.getLast().createdAt() + "~" + page.getLast().id() : null;
        return new Page(page, next);
    }

    public Optional<Delivery> find(UUID webhookId, UUID deliveryId) {
        return dsl.resultQuery("SELECT * FROM plinth_webhook_delivery WHERE webhook_id = ? AND id = ?", webhookId,
                deliveryId).fetchOptional().map(this::delivery);
    }

    /**
     * Sends a delivery again, from its first attempt: a dead one, or a delivered one (the receiver lost it). One that
     * is still pending is left as it is.
     *
     * @return the delivery as now scheduled, or empty when there is no such delivery
     */
    public Optional<Delivery> replay(UUID webhookId, UUID deliveryId) {
        dsl.execute("UPDATE plinth_webhook_delivery SET status = 'PENDING', attempts = 0, next_attempt_at = now(), "
                + "claimed_until = NULL, delivered_at = NULL WHERE webhook_id = ? AND id = ? AND status <> 'PENDING'",
                webhookId, deliveryId);
        worker.wake();
        return find(webhookId, deliveryId);
    }

    private Delivery delivery(Record row) {
        UUID id = row.get("id", UUID.class);
        List<Attempt> attempts = dsl.resultQuery("SELECT attempted_at, status_code, duration_ms, error "
                        + "FROM plinth_webhook_attempt WHERE delivery_id = ? ORDER BY id", id).fetch()
                .map(a -> new Attempt(a.get("attempted_at", OffsetDateTime.class), a.get("status_code", Integer.class),
                        a.get("duration_ms", Integer.class), a.get("error", String.class)));
        return new Delivery(id, row.get("event_id", UUID.class), row.get("event_type", String.class),
                row.get("resource", String.class), row.get("record_id", UUID.class),
                row.get("record_version", Long.class), row.get("status", String.class),
                row.get("attempts", Integer.class), row.get("created_at", OffsetDateTime.class),
                row.get("next_attempt_at", OffsetDateTime.class), row.get("delivered_at", OffsetDateTime.class),
                row.get("last_status", Integer.class), row.get("last_error", String.class), attempts);
    }
}
