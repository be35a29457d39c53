package io.plinth.record;

import io.plinth.definition.FieldDefinition;
import io.plinth.definition.ResourceDefinition;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Set;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.DecimalNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Renders a stored record as the API's JSON: {@code id, createdAt, updatedAt}, the declared fields in declaration order,
 * then {@code status}, {@code version}, {@code createdBy} and {@code updatedBy}. Timestamps are UTC with exactly six fractional digits, the precision PostgreSQL keeps, so they
 * sort as text and round-trip unchanged.
 */
public final class RecordRenderer {

    /** ISO 8601 in UTC with microseconds, e.g. {@code 2026-11-26T08:41:24.123456Z}. */
    public static final DateTimeFormatter TIMESTAMP_FORMAT =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'");

    private final JsonNodeFactory nodes = JsonNodeFactory.instance;
    private final JsonMapper mapper = JsonMapper.builder().build();

    /** The JSON object for one record, every field. */
    public ObjectNode render(ResourceDefinition resource, StoredRecord record) {
        return render(resource, record, null);
    }

    /**
     * The JSON object for one record with only the named fields (a sparse fieldset); {@code id} is always included.
     *
     * @param only field names to include, or null for all
     */
    public ObjectNode render(ResourceDefinition resource, StoredRecord record, Set<String> only) {
        ObjectNode json = nodes.objectNode();
        json.put("id", record.id().toString());
        if (only == null || only.contains("createdAt")) {
            json.put("createdAt", formatTimestamp(record.createdAt()));
        }
        if (only == null || only.contains("updatedAt")) {
            json.put("updatedAt", formatTimestamp(record.updatedAt()));
        }
        for (FieldDefinition field : resource.fields()) {
            if (only == null || only.contains(field.name())) {
                String embedded = record.included().get(field.name());
                json.set(field.name(), embedded != null ? mapper.readTree(embedded)
                        : record.included().containsKey(field.name()) ? nodes.nullNode()
                        : value(field, record.fields().get(field.name())));
            }
        }
        record.included().forEach((name, embedded) -> {
            if (resource.field(name).isEmpty()) {
                json.set(name, embedded == null ? nodes.arrayNode() : mapper.readTree(embedded));
            }
        });
        if (only == null || only.contains("status")) {
            json.put("status", record.status());
        }
        if (only == null || only.contains("version")) {
            json.put("version", record.version());
        }
        if (only == null || only.contains("createdBy")) {
            json.put("createdBy", record.createdBy());
        }
        if (only == null || only.contains("updatedBy")) {
            json.put("updatedBy", record.updatedBy());
        }
        return json;
    }

    /** A timestamp as the API writes it. */
    public static String formatTimestamp(OffsetDateTime timestamp) {
        return timestamp.withOffsetSameInstant(ZoneOffset.UTC).format(TIMESTAMP_FORMAT);
    }

    private JsonNode value(FieldDefinition field, Object value) {
        return switch (value) {
            case null -> nodes.nullNode();
            case String text when field.type() == io.plinth.definition.FieldType.JSON -> mapper.readTree(text);
            case String text -> nodes.stringNode(text);
            case Integer number -> nodes.numberNode(number);
            case Long number -> nodes.numberNode(number);
            case BigDecimal number -> DecimalNode.valueOf(number);
            case Boolean flag -> nodes.booleanNode(flag);
            case LocalDate date -> nodes.stringNode(date.toString());
            case OffsetDateTime timestamp -> nodes.stringNode(formatTimestamp(timestamp));
            case UUID uuid -> nodes.stringNode(uuid.toString());
            case java.util.List<?> ids -> {
                var array = nodes.arrayNode();
                ids.forEach(id -> array.add(id.toString()));
                yield array;
            }
            default -> throw new IllegalStateException("no JSON form for " + value.getClass().getName());
        };
    }
}
