package io.plinth.events;

import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import io.plinth.definition.ResourceDefinition;
import io.plinth.observability.CorrelationId;
import io.plinth.query.ChangeJournal;
import io.plinth.record.RecordRenderer;
import io.plinth.record.StoredRecord;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Table;
import org.slf4j.MDC;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes each change's event into the outbox, inside the change's own transaction. A statement trigger on the outbox
 * notifies the relay; PostgreSQL delivers that NOTIFY only when the transaction commits, never for one that rolls
 * back.
 *
 * <p>The message follows the design template's section 5.2: {@code {type, payload: {id, timestamp, data}}}, plus
 * {@code eventId}, {@code resource}, {@code recordVersion}, {@code correlationId} and {@code principal}; updates add
 * {@code payload.changedFields}, transitions {@code payload.from}, {@code to} and {@code reason}.
 */
@Component
public class OutboxWriter implements ChangeJournal {

    /** The NOTIFY channel the relay listens on. */
    static final String CHANNEL = "plinth_outbox";

    static final Table<?> OUTBOX = table(name("plinth_outbox"));
    static final Field<Long> POSITION = field(name("position"), Long.class);
    static final Field<UUID> EVENT_ID = field(name("event_id"), UUID.class);
    static final Field<String> RESOURCE = field(name("resource"), String.class);
    static final Field<UUID> RECORD_ID = field(name("record_id"), UUID.class);
    static final Field<Long> RECORD_VERSION = field(name("record_version"), Long.class);
    static final Field<String> EVENT_TYPE = field(name("event_type"), String.class);
    static final Field<String> CORRELATION_ID = field(name("correlation_id"), String.class);
    static final Field<String> BODY = field(name("body"), String.class);
    static final Field<String> TRACE_PARENT = field(name("trace_parent"), String.class);
    static final Field<OffsetDateTime> CREATED_AT = field(name("created_at"), OffsetDateTime.class);
    static final Field<OffsetDateTime> SENT_AT = field(name("sent_at"), OffsetDateTime.class);
    static final Field<Integer> ATTEMPTS = field(name("attempts"), Integer.class);
    static final Field<String> LAST_ERROR = field(name("last_error"), String.class);

    private final EventsProperties properties;
    private final RecordRenderer renderer = new RecordRenderer();
    private final JsonMapper json = JsonMapper.builder().build();

    private final Tracer tracer;
    private final Propagator propagator;

    public OutboxWriter(EventsProperties properties, ObjectProvider<Tracer> tracer, ObjectProvider<Propagator> propagator) {
        this.properties = properties;
        this.tracer = tracer.getIfAvailable(() -> Tracer.NOOP);
        this.propagator = propagator.getIfAvailable(() -> Propagator.NOOP);
    }

    /** The W3C {@code traceparent} of the current span, or null outside a trace. */
    private String traceParent() {
        Span span = tracer.currentSpan();
        if (span == null) {
            return null;
        }
        Map<String, String> carrier = new HashMap<>();
        propagator.inject(span.context(), carrier, Map::put);
        return carrier.get("traceparent");
    }

    @Override
    public void record(DSLContext tx, ResourceDefinition resource, Change change) {
        if (!properties.enabled() || !resource.events().enabled()) {
            return;
        }
        UUID eventId = UUID.randomUUID();
        StoredRecord record = change.record();
        String type = resource.events().prefix() + "_" + change.kind().name();
        ObjectNode message = JsonNodeFactory.instance.objectNode();
        message.put("eventId", eventId.toString());
        message.put("type", type);
        message.put("resource", resource.name());
        message.put("recordVersion", record.version());
        message.put("correlationId", MDC.get(CorrelationId.MDC_KEY));
        message.put("principal", io.plinth.observability.PrincipalName.current());
        ObjectNode payload = message.putObject("payload");
        payload.put("id", record.id().toString());
        OffsetDateTime when = change.kind() == Kind.DELETED
                ? OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS)
                : record.updatedAt();
        payload.put("timestamp", RecordRenderer.formatTimestamp(when));
        payload.set("data", renderer.render(resource, record));
        switch (change.kind()) {
            case UPDATED -> change.changedFields().forEach(payload.putArray("changedFields")::add);
            case STATUS_CHANGED -> {
                payload.put("from", change.from());
                payload.put("to", change.to());
                payload.put("reason", change.reason());
            }
            default -> { }
        }
        tx.insertInto(OUTBOX)
                .set(EVENT_ID, eventId)
                .set(RESOURCE, resource.name())
                .set(RECORD_ID, record.id())
                .set(RECORD_VERSION, record.version())
                .set(EVENT_TYPE, type)
                .set(CORRELATION_ID, MDC.get(CorrelationId.MDC_KEY))
                .set(BODY, json.writeValueAsString(message))
                .set(TRACE_PARENT, traceParent())
                .execute();
    }
}
