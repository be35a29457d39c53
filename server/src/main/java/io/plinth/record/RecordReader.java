package io.plinth.record;

import io.plinth.definition.FieldDefinition;
import io.plinth.definition.FieldType;
import io.plinth.definition.ResourceDefinition;
import io.plinth.error.ErrorCode;
import io.plinth.error.FieldProblem;
import io.plinth.error.PlinthException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns a request body into validated {@link RecordValues} for one resource.
 *
 * <p>Strict by design: a number is never read from a string, a fraction never becomes an integer, a duplicate key is an
 * error rather than "last one wins", and text that PostgreSQL cannot store byte-exact (NUL, unpaired surrogates) is
 * refused instead of being altered.
 */
public final class RecordReader {

    /** Deepest nesting of arrays and objects accepted in a body (json fields included). */
    public static final int MAX_NESTING_DEPTH = 32;

    private static final Pattern UUID_TEXT =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern DATE_TEXT = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static final Pattern TIMESTAMP_TEXT =
            Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?(Z|[+-]\\d{2}:\\d{2})");
    private static final Pattern TOO_PRECISE = Pattern.compile(".*\\.\\d{7,}.*");
    private static final DateTimeFormatter STRICT_DATE = DateTimeFormatter.ofPattern("uuuu-MM-dd")
            .withResolverStyle(ResolverStyle.STRICT);
    private static final BigInteger INT_MIN = BigInteger.valueOf(Integer.MIN_VALUE);
    private static final BigInteger INT_MAX = BigInteger.valueOf(Integer.MAX_VALUE);
    private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

    private final JsonMapper mapper;

    public RecordReader() {
        JsonFactory factory = JsonFactory.builder()
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH).build())
                .build();
        this.mapper = JsonMapper.builder(factory)
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
                .build();
    }

    /**
     * Parses a request body that must be one JSON object.
     *
     * @throws PlinthException MALFORMED_REQUEST when it is empty, not JSON, not an object, too deep or has a duplicate key
     */
    public JsonNode parseObject(byte[] body) {
        if (body.length == 0) {
            throw new PlinthException(ErrorCode.MALFORMED_REQUEST, "The request body is empty; a JSON object is expected.");
        }
        JsonNode node;
        try {
            node = mapper.readTree(body);
        } catch (StreamConstraintsException e) {
            throw new PlinthException(ErrorCode.MALFORMED_REQUEST,
                    "The request body is nested too deeply (more than " + MAX_NESTING_DEPTH + " levels).");
        } catch (JacksonException e) {
            String detail = e.getOriginalMessage() != null && e.getOriginalMessage().startsWith("Duplicate Object property")
                    ? "it repeats a key (" + e.getOriginalMessage().replaceFirst("^Duplicate Object property ", "") + ")"
                    : "it is not valid JSON";
            throw new PlinthException(ErrorCode.MALFORMED_REQUEST,
                    "The request body cannot be read: " + detail + at(e.getLocation()) + ".");
        }
        if (node == null || node.isMissingNode()) {
            throw new PlinthException(ErrorCode.MALFORMED_REQUEST, "The request body is empty; a JSON object is expected.");
        }
        if (!node.isObject()) {
            throw new PlinthException(ErrorCode.MALFORMED_REQUEST, "The request body must be a JSON object, not "
                    + describe(node) + ".");
        }
        return node;
    }

    /**
     * Checks a create request: every declared field the client sent, every required field present, nothing unknown or
     * read-only.
     *
     * @throws PlinthException VALIDATION_ERROR listing every problem found
     */
    public RecordValues readForCreate(ResourceDefinition resource, JsonNode body) {
        List<FieldProblem> problems = new ArrayList<>();
        Map<String, Object> values = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> property : body.properties()) {
            String name = property.getKey();
            FieldDefinition field = resource.field(name).orElse(null);
            if (field == null) {
                problems.add(new FieldProblem(name, ResourceDefinition.SYSTEM_FIELDS.contains(name)
                        ? "is read-only: it is set by Plinth"
                        : "is not a field of " + resource.name()));
            } else if (field.readOnly()) {
                problems.add(new FieldProblem(name, "is read-only"));
            } else {
                readField(field, property.getValue(), values, problems);
            }
        }
        for (FieldDefinition field : resource.fields()) {
            if (!field.optionalOnCreate() && !body.has(field.name())) {
                problems.add(new FieldProblem(field.name(), "is required"));
            }
        }
        if (!problems.isEmpty()) {
            throw new PlinthException(ErrorCode.VALIDATION_ERROR, problems.size() == 1
                    ? "The " + resource.name() + " is not valid: " + problems.getFirst().field() + " "
                            + problems.getFirst().message() + "."
                    : "The " + resource.name() + " is not valid: " + problems.size() + " problems, listed in details.",
                    problems);
        }
        return new RecordValues(values);
    }

    private void readField(FieldDefinition field, JsonNode node, Map<String, Object> values, List<FieldProblem> problems) {
        if (node.isNull()) {
            if (field.required()) {
                problems.add(new FieldProblem(field.name(), "must not be null"));
            } else {
                values.put(field.name(), null);
            }
            return;
        }
        Object value;
        try {
            value = toJava(field, node);
        } catch (IllegalArgumentException e) {
            problems.add(new FieldProblem(field.name(), e.getMessage()));
            return;
        }
        List<String> violations = field.type() == FieldType.JSON ? List.of() : field.violationsOf(value);
        if (violations.isEmpty()) {
            values.put(field.name(), value);
        } else {
            violations.forEach(v -> problems.add(new FieldProblem(field.name(), v)));
        }
    }

    private Object toJava(FieldDefinition field, JsonNode node) {
        return switch (field.type()) {
            case STRING, TEXT, ENUM -> storableText(string(node, "a string"));
            case INTEGER -> integral(node, INT_MIN, INT_MAX, "a 32-bit integer").intValue();
            case LONG -> integral(node, LONG_MIN, LONG_MAX, "a 64-bit integer").longValue();
            case DECIMAL -> {
                if (!node.isNumber()) {
                    throw new IllegalArgumentException("must be a number, not " + describe(node));
                }
                yield node.decimalValue();
            }
            case BOOLEAN -> {
                if (!node.isBoolean()) {
                    throw new IllegalArgumentException("must be true or false, not " + describe(node));
                }
                yield node.booleanValue();
            }
            case DATE -> date(string(node, "a date (YYYY-MM-DD)"));
            case TIMESTAMP -> timestamp(string(node, "a timestamp (ISO 8601 with offset)"));
            case UUID -> {
                String text = string(node, "a UUID");
                if (!UUID_TEXT.matcher(text).matches()) {
                    throw new IllegalArgumentException("must be a UUID like 123e4567-e89b-12d3-a456-426614174000");
                }
                yield UUID.fromString(text);
            }
            case JSON -> {
                checkStorableJson(node);
                yield mapper.writeValueAsString(node);
            }
        };
    }

    private static String string(JsonNode node, String expected) {
        if (!node.isString()) {
            throw new IllegalArgumentException("must be " + expected + ", not " + describe(node));
        }
        return node.stringValue();
    }

    private static BigInteger integral(JsonNode node, BigInteger lowest, BigInteger highest, String expected) {
        if (!node.isNumber()) {
            throw new IllegalArgumentException("must be " + expected + ", not " + describe(node));
        }
        if (!node.isIntegralNumber()) {
            throw new IllegalArgumentException("must be a whole number, not " + node.decimalValue().toPlainString());
        }
        BigInteger value = node.bigIntegerValue();
        if (value.compareTo(lowest) < 0 || value.compareTo(highest) > 0) {
            throw new IllegalArgumentException("must be " + expected + " (between " + lowest + " and " + highest + ")");
        }
        return value;
    }

    private static LocalDate date(String text) {
        try {
            if (!DATE_TEXT.matcher(text).matches()) {
                throw new DateTimeParseException("shape", text, 0);
            }
            LocalDate date = LocalDate.parse(text, STRICT_DATE);
            if (date.getYear() < 1) {
                throw new DateTimeParseException("year", text, 0);
            }
            return date;
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("must be a calendar date as YYYY-MM-DD (years 0001 to 9999)");
        }
    }

    private static OffsetDateTime timestamp(String text) {
        if (TOO_PRECISE.matcher(text).matches()) {
            throw new IllegalArgumentException("has more than 6 fractional digits: timestamps are stored to the microsecond");
        }
        try {
            if (!TIMESTAMP_TEXT.matcher(text).matches()) {
                throw new DateTimeParseException("shape", text, 0);
            }
            OffsetDateTime timestamp = OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
            if (timestamp.getYear() < 1) {
                throw new DateTimeParseException("year", text, 0);
            }
            return timestamp;
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(
                    "must be an ISO 8601 timestamp with an offset, e.g. 2026-01-31T12:00:00Z (years 0001 to 9999)");
        }
    }

    private static String storableText(String text) {
        String problem = unstorable(text);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        return text;
    }

    private static void checkStorableJson(JsonNode node) {
        if (node.isString()) {
            storableText(node.stringValue());
        }
        for (Map.Entry<String, JsonNode> property : node.properties()) {
            storableText(property.getKey());
            checkStorableJson(property.getValue());
        }
        if (node.isArray()) {
            node.values().forEach(RecordReader::checkStorableJson);
        }
    }

    /** Why PostgreSQL could not store this text unchanged, or null when it can. */
    private static String unstorable(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\u0000') {
                return "must not contain the NUL character (\\u0000)";
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                    continue;
                }
                return "contains an unpaired surrogate (\\u" + Integer.toHexString(c) + "), which is not valid Unicode";
            }
            if (Character.isLowSurrogate(c)) {
                return "contains an unpaired surrogate (\\u" + Integer.toHexString(c) + "), which is not valid Unicode";
            }
        }
        return null;
    }

    private static String describe(JsonNode node) {
        if (node.isString()) {
            return "a string";
        }
        if (node.isNumber()) {
            return "a number";
        }
        if (node.isBoolean()) {
            return "a boolean";
        }
        if (node.isArray()) {
            return "an array";
        }
        if (node.isObject()) {
            return "an object";
        }
        return node.isNull() ? "null" : "a " + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }

    private static String at(TokenStreamLocation location) {
        if (location == null || location.getLineNr() < 1) {
            return "";
        }
        return " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }
}
