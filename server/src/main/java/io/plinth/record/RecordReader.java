package io.plinth.record;

import io.plinth.definition.FieldDefinition;
import io.plinth.definition.FieldType;
import io.plinth.definition.ResourceDefinition;
import io.plinth.definition.ValueText;
import io.plinth.error.ErrorCode;
import io.plinth.error.FieldProblem;
import io.plinth.error.PlinthException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

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

    /** A record id from a URL: a UUID in its 8-4-4-4-12 hex form (either case), else empty. */
    public static java.util.Optional<UUID> parseId(String text) {
        try {
            return java.util.Optional.of(ValueText.uuid(text));
        } catch (IllegalArgumentException e) {
            return java.util.Optional.empty();
        }
    }

    /**
     * Parses a request body that must be one JSON array (of records, for bulk writes).
     *
     * @throws PlinthException MALFORMED_REQUEST when it is empty, not JSON, not an array, too deep or has a duplicate key
     */
    public List<JsonNode> parseArray(byte[] body) {
        JsonNode node = parse(body);
        if (!node.isArray()) {
            throw new PlinthException(ErrorCode.MALFORMED_REQUEST, "The request body must be a JSON array of records, not "
                    + describe(node) + ".");
        }
        return node.valueStream().toList();
    }

    /**
     * Parses a request body that must be one JSON object.
     *
     * @throws PlinthException MALFORMED_REQUEST when it is empty, not JSON, not an object, too deep or has a duplicate key
     */
    public JsonNode parseObject(byte[] body) {
        JsonNode node = parse(body);
        if (!node.isObject()) {
            throw new PlinthException(ErrorCode.MALFORMED_REQUEST, "The request body must be a JSON object, not "
                    + describe(node) + ".");
        }
        return node;
    }

    private JsonNode parse(byte[] body) {
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
        Map<String, Object> values = readWritableFields(resource, body, "", problems);
        for (FieldDefinition field : resource.fields()) {
            if (!field.optionalOnCreate() && !body.has(field.name())) {
                problems.add(new FieldProblem(field.name(), "is required"));
            }
        }
        throwIfAny(resource, problems);
        return new RecordValues(values);
    }

    /**
     * Checks every element of a bulk create; problems name their element ({@code [3].field1}).
     *
     * @throws PlinthException VALIDATION_ERROR listing every problem of every element
     */
    public List<RecordValues> readForBulkCreate(ResourceDefinition resource, List<JsonNode> elements) {
        List<FieldProblem> problems = new ArrayList<>();
        List<RecordValues> all = new ArrayList<>();
        for (int i = 0; i < elements.size(); i++) {
            JsonNode element = elements.get(i);
            String prefix = "[" + i + "]";
            if (!element.isObject()) {
                problems.add(new FieldProblem(prefix, "must be a JSON object, not " + describe(element)));
                continue;
            }
            Map<String, Object> values = readWritableFields(resource, element, prefix + ".", problems);
            for (FieldDefinition field : resource.fields()) {
                if (!field.optionalOnCreate() && !element.has(field.name())) {
                    problems.add(new FieldProblem(prefix + "." + field.name(), "is required"));
                }
            }
            all.add(new RecordValues(values));
        }
        throwIfAny(resource, problems);
        return all;
    }

    /**
     * Checks a JSON Merge Patch (RFC 7396): the same rules as create for every field it names; nothing is required;
     * {@code status} is refused (it changes only through a transition).
     *
     * @throws PlinthException VALIDATION_ERROR listing every problem found
     */
    public RecordPatch readForPatch(ResourceDefinition resource, JsonNode body) {
        List<FieldProblem> problems = new ArrayList<>();
        Map<String, Object> values = new LinkedHashMap<>();
        Map<String, JsonNode> jsonPatches = new LinkedHashMap<>();
        ObjectNode plain = (ObjectNode) body.deepCopy();
        for (Map.Entry<String, JsonNode> property : body.properties()) {
            resource.field(property.getKey())
                    .filter(f -> f.type() == FieldType.JSON && !f.readOnly() && !property.getValue().isNull())
                    .ifPresent(f -> {
                        checkStorableJsonField(f, property.getValue(), problems);
                        jsonPatches.put(f.name(), property.getValue());
                        plain.remove(f.name());
                    });
        }
        if (body.has("status")) {
            plain.remove("status");
            problems.add(new FieldProblem("status", "cannot be changed by PATCH: use POST /api/v1/" + resource.path()
                    + "/{id}/transitions"));
        }
        values.putAll(readWritableFields(resource, plain, "", problems));
        throwIfAny(resource, problems);
        return new RecordPatch(values, jsonPatches);
    }

    /**
     * The values a patch writes to a record as it is now: plain fields as given, json fields merged into their stored
     * value as RFC 7396 describes.
     */
    public RecordValues applyPatch(ResourceDefinition resource, RecordPatch patch, StoredRecord current) {
        Map<String, Object> values = new LinkedHashMap<>(patch.values());
        patch.jsonPatches().forEach((name, document) -> {
            Object stored = current.fields().get(name);
            JsonNode target = stored == null ? null : mapper.readTree((String) stored);
            JsonNode merged = mergePatch(target, document);
            values.put(name, merged == null || merged.isNull() ? null : mapper.writeValueAsString(merged));
        });
        return new RecordValues(values);
    }

    /** RFC 7396 section 2. A null result means the value is removed. */
    private static JsonNode mergePatch(JsonNode target, JsonNode patch) {
        if (!patch.isObject()) {
            return patch;
        }
        ObjectNode result = target != null && target.isObject() ? (ObjectNode) target.deepCopy() : JsonNodeFactory.instance.objectNode();
        for (Map.Entry<String, JsonNode> property : patch.properties()) {
            if (property.getValue().isNull()) {
                result.remove(property.getKey());
            } else {
                result.set(property.getKey(), mergePatch(result.get(property.getKey()), property.getValue()));
            }
        }
        return result;
    }

    private Map<String, Object> readWritableFields(ResourceDefinition resource, JsonNode body, String prefix,
                                                   List<FieldProblem> problems) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> property : body.properties()) {
            String name = property.getKey();
            FieldDefinition field = resource.field(name).orElse(null);
            if (field == null) {
                problems.add(new FieldProblem(prefix + name, ResourceDefinition.SYSTEM_FIELDS.contains(name)
                        ? "is read-only: it is set by Plinth"
                        : "is not a field of " + resource.name()));
            } else if (field.readOnly()) {
                problems.add(new FieldProblem(prefix + name, "is read-only"));
            } else {
                readField(field, property.getValue(), prefix, values, problems);
            }
        }
        return values;
    }

    private static void throwIfAny(ResourceDefinition resource, List<FieldProblem> problems) {
        if (!problems.isEmpty()) {
            throw new PlinthException(ErrorCode.VALIDATION_ERROR, problems.size() == 1
                    ? "The " + resource.name() + " is not valid: " + problems.getFirst().field() + " "
                            + problems.getFirst().message() + "."
                    : "The " + resource.name() + " is not valid: " + problems.size() + " problems, listed in details.",
                    problems);
        }
    }

    private static void checkStorableJsonField(FieldDefinition field, JsonNode value, List<FieldProblem> problems) {
        try {
            checkStorableJson(value);
        } catch (IllegalArgumentException e) {
            problems.add(new FieldProblem(field.name(), e.getMessage()));
        }
    }

    private void readField(FieldDefinition field, JsonNode node, String prefix, Map<String, Object> values,
                           List<FieldProblem> problems) {
        String name = prefix + field.name();
        if (node.isNull()) {
            if (field.type() == FieldType.REFERENCES) {
                problems.add(new FieldProblem(name, "must be an array of ids, not null ([] for none)"));
            } else if (field.required()) {
                problems.add(new FieldProblem(name, "must not be null"));
            } else {
                values.put(field.name(), null);
            }
            return;
        }
        Object value;
        try {
            value = toJava(field, node);
        } catch (IllegalArgumentException e) {
            problems.add(new FieldProblem(name, e.getMessage()));
            return;
        }
        List<String> violations = field.type() == FieldType.JSON ? List.of() : field.violationsOf(value);
        if (violations.isEmpty()) {
            values.put(field.name(), value);
        } else {
            violations.forEach(v -> problems.add(new FieldProblem(name, v)));
        }
    }

    private Object toJava(FieldDefinition field, JsonNode node) {
        return switch (field.type()) {
            case STRING, TEXT, ENUM -> storableText(string(node, "a string"));
            case INTEGER -> ValueText.integer(integral(node, "a 32-bit integer")).intValue();
            case LONG -> ValueText.longValue(integral(node, "a 64-bit integer")).longValue();
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
            case DATE -> ValueText.date(string(node, "a date (YYYY-MM-DD)"));
            case TIMESTAMP -> ValueText.timestamp(string(node, "a timestamp (ISO 8601 with offset)"));
            case UUID -> ValueText.uuid(string(node, "a UUID"));
            case REFERENCE -> ValueText.uuid(string(node, "the id (a UUID) of " + article(field.reference().to())));
            case REFERENCES -> {
                if (!node.isArray()) {
                    throw new IllegalArgumentException("must be an array of ids of " + field.reference().to()
                            + " records, not " + describe(node));
                }
                if (node.size() > field.reference().maxItems()) {
                    throw new IllegalArgumentException("must hold at most " + field.reference().maxItems() + " ids");
                }
                List<java.util.UUID> ids = new ArrayList<>(node.size());
                for (int i = 0; i < node.size(); i++) {
                    JsonNode element = node.get(i);
                    if (!element.isString()) {
                        throw new IllegalArgumentException("[" + i + "] must be the id (a UUID) of "
                                + article(field.reference().to()) + ", not " + describe(element));
                    }
                    try {
                        ids.add(ValueText.uuid(element.stringValue()));
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException("[" + i + "] " + e.getMessage());
                    }
                }
                yield List.copyOf(ids);
            }
            case JSON -> {
                checkStorableJson(node);
                yield mapper.writeValueAsString(node);
            }
        };
    }

    private static String article(String name) {
        return ("aeiou".indexOf(Character.toLowerCase(name.charAt(0))) >= 0 ? "an " : "a ") + name;
    }

    private static String string(JsonNode node, String expected) {
        if (!node.isString()) {
            throw new IllegalArgumentException("must be " + expected + ", not " + describe(node));
        }
        return node.stringValue();
    }

    private static BigInteger integral(JsonNode node, String expected) {
        if (!node.isNumber()) {
            throw new IllegalArgumentException("must be " + expected + ", not " + describe(node));
        }
        if (!node.isIntegralNumber()) {
            throw new IllegalArgumentException("must be a whole number, not " + node.decimalValue().toPlainString());
        }
        return node.bigIntegerValue();
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
