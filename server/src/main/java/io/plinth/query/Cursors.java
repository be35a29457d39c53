package io.plinth.query;

import io.plinth.definition.FieldType;
import io.plinth.definition.ResourceDefinition;
import io.plinth.definition.ValueText;
import io.plinth.error.ErrorCode;
import io.plinth.error.FieldProblem;
import io.plinth.error.PlinthException;
import io.plinth.query.ListQuery.Cursor;
import io.plinth.query.ListQuery.SortKey;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Opaque page cursors: base64url of a small JSON document holding the last row's sort-key values and id, and a
 * fingerprint of the query (resource, filters, sort), so that a cursor is refused when used with another query.
 * The values are re-parsed with the field types and bound like any other value, so a forged cursor can at worst
 * start a page somewhere else, never inject anything.
 */
final class Cursors {

    private static final DateTimeFormatter MICROS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSXXX");
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int MAX_CURSOR_LENGTH = 4096;

    private Cursors() {
    }

    static String fingerprint(ResourceDefinition resource, List<ListQuery.Filter> filters, List<SortKey> sort) {
        StringBuilder text = new StringBuilder(resource.name()).append('|').append(sort).append('|');
        filters.forEach(f -> text.append(f.field()).append(' ').append(f.operator()).append(' ').append(f.values()).append(';'));
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    static String encode(String fingerprint, List<Object> values, java.util.UUID id) {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("q", fingerprint);
        ArrayNode texts = json.putArray("v");
        for (Object value : values) {
            if (value == null) {
                texts.addNull();
            } else {
                texts.add(text(value));
            }
        }
        json.put("id", id.toString());
        return Base64.getUrlEncoder().withoutPadding().encodeToString(JSON.writeValueAsBytes(json));
    }

    static Cursor decode(String token, String fingerprint, List<FieldType> types) {
        try {
            if (token.length() > MAX_CURSOR_LENGTH) {
                throw new IllegalArgumentException("too long");
            }
            JsonNode json = JSON.readTree(Base64.getUrlDecoder().decode(token));
            if (!json.isObject() || !fingerprint.equals(json.path("q").asString(null))) {
                throw new IllegalArgumentException("other query");
            }
            JsonNode texts = json.path("v");
            if (!texts.isArray() || texts.size() != types.size()) {
                throw new IllegalArgumentException("shape");
            }
            List<Object> values = new ArrayList<>();
            for (int i = 0; i < types.size(); i++) {
                JsonNode text = texts.get(i);
                values.add(text.isNull() ? null : ValueText.parse(types.get(i), text.asString()));
            }
            return new Cursor(values, ValueText.uuid(json.path("id").asString("")));
        } catch (IllegalArgumentException | JacksonException e) {
            throw new PlinthException(ErrorCode.VALIDATION_ERROR, "The cursor cannot be used for this list.",
                    List.of(new FieldProblem("cursor", "is not a cursor of this list: it was made for other filters or "
                            + "another sort, or it is damaged; start again without it")));
        }
    }

    private static String text(Object value) {
        return switch (value) {
            case OffsetDateTime timestamp -> timestamp.withOffsetSameInstant(ZoneOffset.UTC).format(MICROS);
            case BigDecimal decimal -> decimal.toPlainString();
            default -> value.toString();
        };
    }
}
