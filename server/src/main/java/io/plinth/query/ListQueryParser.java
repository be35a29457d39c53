package io.plinth.query;

import io.plinth.definition.FieldType;
import io.plinth.definition.ResourceDefinition;
import io.plinth.definition.ValueText;
import io.plinth.error.ErrorCode;
import io.plinth.error.FieldProblem;
import io.plinth.error.PlinthException;
import io.plinth.query.ListQuery.CountMode;
import io.plinth.query.ListQuery.Cursor;
import io.plinth.query.ListQuery.Filter;
import io.plinth.query.ListQuery.Operator;
import io.plinth.query.ListQuery.SortKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the query parameters of {@code GET /api/v1/{resource}} into a {@link ListQuery}: filters
 * ({@code field=value}, {@code field[op]=value}), {@code sort}, {@code limit}, {@code cursor}, {@code fields} and
 * {@code count}. Every problem is reported at once, each naming its parameter.
 */
public final class ListQueryParser {

    /** The default order of a list: newest first. */
    public static final List<SortKey> DEFAULT_SORT = List.of(new SortKey("createdAt", true));
    static final int MAX_SORT_KEYS = 5;
    static final int MAX_IN_VALUES = 100;
    /** Parameter names that are not filters; a field with one of these names is filtered as {@code name[eq]}. */
    public static final Set<String> RESERVED = Set.of("sort", "limit", "cursor", "fields", "count", "include");
    /** Deepest path of references a filter may follow ({@code a.b.c.field}). */
    static final int MAX_FILTER_PATH = 3;
    private static final Pattern FILTER_KEY = Pattern.compile(
            "((?:[A-Za-z][A-Za-z0-9]{0,62}\\.){0," + MAX_FILTER_PATH + "}[A-Za-z][A-Za-z0-9]{0,62})(?:\\[([A-Za-z]{1,20})])?");
    private static final Set<Operator> ORDERED = Set.of(Operator.GT, Operator.GTE, Operator.LT, Operator.LTE);
    private static final Set<Operator> TEXTUAL =
            Set.of(Operator.CONTAINS, Operator.ICONTAINS, Operator.STARTS_WITH, Operator.ISTARTS_WITH);

    private final int defaultLimit;
    private final int maxLimit;
    private final IncludeParser includes;
    private final io.plinth.definition.ResourceCatalog catalog;

    /**
     * @param defaultLimit rows per page when {@code limit} is absent
     * @param maxLimit     the largest {@code limit} accepted
     * @param includes     reads {@code include} and {@code fields[relation]}
     */
    public ListQueryParser(int defaultLimit, int maxLimit, IncludeParser includes) {
        this.defaultLimit = defaultLimit;
        this.maxLimit = maxLimit;
        this.includes = includes;
        this.catalog = includes.catalog();
    }

    /**
     * Parses the parameters of a list request.
     *
     * @throws PlinthException VALIDATION_ERROR naming every bad parameter
     */
    public ListQuery parse(ResourceDefinition resource, Map<String, String[]> parameters) {
        List<FieldProblem> problems = new ArrayList<>();
        List<Filter> filters = new ArrayList<>();
        for (Map.Entry<String, String[]> parameter : parameters.entrySet()) {
            String key = parameter.getKey();
            if (key.startsWith("fields[")) {
                continue; // sparse fieldsets of included relations, read by the IncludeParser
            }
            if (RESERVED.contains(key)) {
                if (parameter.getValue().length > 1) {
                    problems.add(new FieldProblem(key, "is given more than once"));
                }
                continue;
            }
            for (String value : parameter.getValue()) {
                filter(resource, key, value, problems).ifPresent(filters::add);
            }
        }
        List<SortKey> sort = sort(resource, single(parameters, "sort"), problems);
        int limit = limit(single(parameters, "limit"), problems);
        Set<String> fields = fields(resource, single(parameters, "fields"), problems);
        CountMode count = count(single(parameters, "count"), problems);
        if (!problems.isEmpty()) {
            throw invalid(problems);
        }
        String cursorText = single(parameters, "cursor");
        Cursor after = cursorText == null || cursorText.isEmpty()
                ? null
                : Cursors.decode(cursorText, Cursors.fingerprint(resource, filters, sort),
                        sort.stream().map(key -> typeOf(resource, key)).toList());
        return new ListQuery(filters, sort, limit, after, fields, count,
                includes.parse(resource, single(parameters, "include"), parameters));
    }

    private Optional<Filter> filter(ResourceDefinition resource, String key, String value, List<FieldProblem> problems) {
        Matcher matcher = FILTER_KEY.matcher(key);
        if (!matcher.matches()) {
            problems.add(new FieldProblem(key, "is not a known parameter: use a field name, field[operator], sort, "
                    + "limit, cursor, fields or count"));
            return Optional.empty();
        }
        String[] steps = matcher.group(1).split("\\.");
        List<String> via = new ArrayList<>();
        ResourceDefinition target = resource;
        for (int i = 0; i < steps.length - 1; i++) {
            var reference = target.field(steps[i]).filter(f -> f.reference() != null).orElse(null);
            var relation = reference == null ? target.relation(steps[i]).orElse(null) : null;
            if (reference == null && relation == null) {
                problems.add(new FieldProblem(key, "'" + steps[i] + "' is not a reference or relation of " + target.name()));
                return Optional.empty();
            }
            via.add(steps[i]);
            target = catalog.byName(reference != null ? reference.reference().to() : relation.resource()).orElseThrow();
        }
        String field = steps[steps.length - 1];
        Optional<FieldType> type = FieldTypes.of(target, field);
        if (type.isEmpty()) {
            problems.add(new FieldProblem(key, "'" + field + "' is not a field of " + target.name()));
            return Optional.empty();
        }
        Operator operator = operator(matcher.group(2));
        if (operator == null) {
            problems.add(new FieldProblem(key, "unknown operator '" + matcher.group(2) + "'; one of "
                    + String.join(", ", Arrays.stream(Operator.values()).map(Operator::parameterName).toList())));
            return Optional.empty();
        }
        String unsupported = unsupported(type.get(), operator);
        if (unsupported != null) {
            problems.add(new FieldProblem(key, unsupported));
            return Optional.empty();
        }
        try {
            List<Object> values = switch (operator) {
                case IS_NULL -> List.of(ValueText.parse(FieldType.BOOLEAN, value));
                case IN -> {
                    String[] parts = value.split(",", -1);
                    if (parts.length > MAX_IN_VALUES) {
                        throw new IllegalArgumentException("lists at most " + MAX_IN_VALUES + " values");
                    }
                    List<Object> parsed = new ArrayList<>();
                    for (String part : parts) {
                        parsed.add(operand(target, field, type.get(), part));
                    }
                    yield parsed;
                }
                default -> List.of(operand(target, field, type.get(), value));
            };
            return Optional.of(new Filter(field, operator, values, via));
        } catch (IllegalArgumentException e) {
            problems.add(new FieldProblem(key, e.getMessage()));
            return Optional.empty();
        }
    }

    private static Object operand(ResourceDefinition resource, String field, FieldType type, String text) {
        if (text.indexOf('\u0000') >= 0) {
            throw new IllegalArgumentException("must not contain the NUL character");
        }
        if ("status".equals(field) && !resource.lifecycle().states().contains(text)) {
            throw new IllegalArgumentException("must be one of the states " + String.join(", ", resource.lifecycle().states()));
        }
        Object value = ValueText.parse(type, text);
        if (type == FieldType.ENUM) {
            List<String> values = resource.field(field).orElseThrow().values();
            if (!values.contains(text)) {
                throw new IllegalArgumentException("must be one of " + String.join(", ", values));
            }
        }
        return value;
    }

    private static String unsupported(FieldType type, Operator operator) {
        if (type == FieldType.JSON && operator != Operator.IS_NULL) {
            return "json fields can only be filtered with [isNull]";
        }
        if (type == FieldType.REFERENCES && !Set.of(Operator.EQ, Operator.NE, Operator.IN, Operator.IS_NULL).contains(operator)) {
            return "references fields are filtered with eq (holds the id), ne (does not hold it), in (holds any) or isNull (holds none)";
        }
        if (ORDERED.contains(operator) && type == FieldType.BOOLEAN) {
            return "booleans have no order; use eq or ne";
        }
        if (TEXTUAL.contains(operator) && !(type.isCharacter() || type == FieldType.ENUM)) {
            return "[" + operator.parameterName() + "] applies to text fields only";
        }
        return null;
    }

    private static Operator operator(String name) {
        if (name == null) {
            return Operator.EQ;
        }
        return Arrays.stream(Operator.values()).filter(o -> o.parameterName().equals(name)).findFirst().orElse(null);
    }

    private List<SortKey> sort(ResourceDefinition resource, String text, List<FieldProblem> problems) {
        if (text == null || text.isEmpty()) {
            return DEFAULT_SORT;
        }
        List<SortKey> keys = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (String part : text.split(",", -1)) {
            boolean descending = part.startsWith("-");
            String path = descending ? part.substring(1) : part;
            String[] steps = path.split("\\.", -1);
            List<String> via = new ArrayList<>();
            ResourceDefinition target = resource;
            boolean valid = steps.length <= MAX_FILTER_PATH + 1;
            for (int i = 0; valid && i < steps.length - 1; i++) {
                var reference = target.field(steps[i]).filter(f -> f.type() == FieldType.REFERENCE).orElse(null);
                if (reference == null) {
                    valid = false;
                } else {
                    via.add(steps[i]);
                    target = catalog.byName(reference.reference().to()).orElseThrow();
                }
            }
            String field = steps[steps.length - 1];
            Optional<FieldType> type = valid ? FieldTypes.of(target, field) : Optional.empty();
            if (type.isEmpty()) {
                problems.add(new FieldProblem("sort", "'" + shorten(path) + "' is not a field of " + resource.name()
                        + " or of a record it refers to"));
            } else if (type.get() == FieldType.JSON || type.get() == FieldType.REFERENCES) {
                problems.add(new FieldProblem("sort", type.get().yamlName() + " field '" + path + "' cannot be sorted on"));
            } else if (!seen.add(path)) {
                problems.add(new FieldProblem("sort", "'" + path + "' is named twice"));
            } else if (!"id".equals(path)) {
                keys.add(new SortKey(field, descending, via));
            }
        }
        if (keys.size() > MAX_SORT_KEYS) {
            problems.add(new FieldProblem("sort", "at most " + MAX_SORT_KEYS + " sort keys"));
        }
        return keys;
    }

    /** The type of a sort key's values, following its path. */
    private FieldType typeOf(ResourceDefinition resource, SortKey key) {
        ResourceDefinition target = resource;
        for (String step : key.via()) {
            target = catalog.byName(target.field(step).orElseThrow().reference().to()).orElseThrow();
        }
        return FieldTypes.of(target, key.field()).orElseThrow();
    }

    private int limit(String text, List<FieldProblem> problems) {
        if (text == null) {
            return defaultLimit;
        }
        try {
            int limit = (int) ValueText.parse(FieldType.INTEGER, text);
            if (limit < 1 || limit > maxLimit) {
                problems.add(new FieldProblem("limit", "must be between 1 and " + maxLimit));
            }
            return limit;
        } catch (IllegalArgumentException e) {
            problems.add(new FieldProblem("limit", "must be a whole number between 1 and " + maxLimit));
            return defaultLimit;
        }
    }

    private static Set<String> fields(ResourceDefinition resource, String text, List<FieldProblem> problems) {
        if (text == null) {
            return null;
        }
        Set<String> fields = new LinkedHashSet<>();
        for (String field : text.split(",", -1)) {
            if (FieldTypes.of(resource, field).isEmpty()) {
                problems.add(new FieldProblem("fields", "'" + shorten(field) + "' is not a field of " + resource.name()));
            } else {
                fields.add(field);
            }
        }
        return fields;
    }

    private static CountMode count(String text, List<FieldProblem> problems) {
        if (text == null || "false".equals(text)) {
            return CountMode.NONE;
        }
        return switch (text) {
            case "true", "exact" -> CountMode.EXACT;
            case "estimated" -> CountMode.ESTIMATED;
            default -> {
                problems.add(new FieldProblem("count", "must be true, exact, estimated or false"));
                yield CountMode.NONE;
            }
        };
    }

    private static String single(Map<String, String[]> parameters, String name) {
        String[] values = parameters.get(name);
        return values == null || values.length == 0 ? null : values[0];
    }

    private static String shorten(String text) {
        return text.length() > 64 ? text.substring(0, 64) + "..." : text;
    }

    private static PlinthException invalid(List<FieldProblem> problems) {
        return new PlinthException(ErrorCode.VALIDATION_ERROR, problems.size() == 1
                ? "The list request is not valid: " + problems.getFirst().field() + " " + problems.getFirst().message() + "."
                : "The list request is not valid: " + problems.size() + " problems, listed in details.", problems);
    }
}
