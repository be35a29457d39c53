package io.plinth.webhooks;

import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jooq.DSLContext;
import org.jooq.Record;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** The subscriptions, in {@code plinth_webhook}; the active ones cached briefly for the dispatcher. */
public class WebhookStore {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final long CACHE_MILLIS = 2_000;

    private final DSLContext dsl;
    private volatile List<Webhook> activeCache;
    private volatile long activeCachedAt;

    public WebhookStore(DSLContext dsl) {
        this.dsl = dsl;
    }

    /** A subscription change; null fields stay as they are. */
    public record Change(String url, List<String> eventTypes, Boolean active, Map<String, String> headers,
                         String description) {
    }

    public Webhook create(Change change, String createdBy) {
        UUID id = UUID.randomUUID();
        Record row = dsl.resultQuery("INSERT INTO plinth_webhook (id, url, event_types, secret, active, headers, "
                        + "description, created_by) VALUES (?, ?, ?::text[], ?, ?, ?::jsonb, ?, ?) RETURNING *",
                id, change.url(), change.eventTypes().toArray(String[]::new), Signatures.newSecret(),
                change.active() == null || change.active(), json(change.headers() == null ? Map.of() : change.headers()),
                change.description(), createdBy).fetchOne();
        forget();
        return webhook(row);
    }

    public List<Webhook> all() {
        return dsl.resultQuery("SELECT * FROM plinth_webhook ORDER BY created_at, id").fetch().map(WebhookStore::webhook);
    }

    public Optional<Webhook> find(UUID id) {
        return dsl.resultQuery("SELECT * FROM plinth_webhook WHERE id = ?", id).fetchOptional().map(WebhookStore::webhook);
    }

    public Optional<Webhook> update(UUID id, Change change) {
        Optional<Record> row = dsl.resultQuery("UPDATE plinth_webhook SET url = coalesce(?, url), "
                        + "event_types = coalesce(?::text[], event_types), active = coalesce(?, active), "
                        + "headers = coalesce(?::jsonb, headers), description = coalesce(?, description), "
                        + "version = version + 1, updated_at = now() WHERE id = ? RETURNING *",
                change.url(), change.eventTypes() == null ? null : change.eventTypes().toArray(String[]::new),
                change.active(), change.headers() == null ? null : json(change.headers()), change.description(), id)
                .fetchOptional();
        forget();
        return row.map(WebhookStore::webhook);
    }

    /** A new secret for the subscription (the old one stops signing at once). */
    public Optional<Webhook> rotateSecret(UUID id) {
        Optional<Record> row = dsl.resultQuery("UPDATE plinth_webhook SET secret = ?, version = version + 1, "
                + "updated_at = now() WHERE id = ? RETURNING *", Signatures.newSecret(), id).fetchOptional();
        forget();
        return row.map(WebhookStore::webhook);
    }

    public boolean delete(UUID id) {
        boolean deleted = dsl.execute("DELETE FROM plinth_webhook WHERE id = ?", id) > 0;
        forget();
        return deleted;
    }

    /** The active subscriptions, at most 2 s old (changes made on this instance are seen at once). */
    public List<Webhook> active() {
        List<Webhook> cached = activeCache;
        if (cached != null && System.currentTimeMillis() - activeCachedAt < CACHE_MILLIS) {
            return cached;
        }
        List<Webhook> fresh = dsl.resultQuery("SELECT * FROM plinth_webhook WHERE active ORDER BY created_at, id")
                .fetch().map(WebhookStore::webhook);
        activeCache = fresh;
        activeCachedAt = System.currentTimeMillis();
        return fresh;
    }

    private void forget() {
        activeCache = null;
    }

    private static String json(Map<String, String> headers) {
        return JSON.writeValueAsString(headers);
    }

    static Webhook webhook(Record row) {
        String[] types = row.get("event_types", String[].class);
        Map<String, String> headers = JSON.readValue(row.get("headers", String.class),
                new TypeReference<LinkedHashMap<String, String>>() { });
        return new Webhook(row.get("id", UUID.class), row.get("url", String.class), Arrays.asList(types),
                row.get("secret", String.class), row.get("active", Boolean.class), headers,
                row.get("description", String.class), row.get("version", Long.class),
                row.get("created_at", OffsetDateTime.class), row.get("updated_at", OffsetDateTime.class),
                row.get("created_by", String.class));
    }
}
