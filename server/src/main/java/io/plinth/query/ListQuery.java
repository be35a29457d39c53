package io.plinth.query;

import java.util.List;
import java.util.Set;

/**
 * A parsed list request: plain data between parsing and SQL.
 *
 * @param filters conditions that all must hold
 * @param sort    sort keys in order; {@code id} is always added last as the tie-breaker
 * @param limit   rows per page
 * @param after   where the previous page ended, or null for the first page
 * @param fields  the fields to return (a sparse fieldset), or null for all
 * @param count   whether and how to count all matching rows
 * @param includes related records to embed
 */
public record ListQuery(List<Filter> filters, List<SortKey> sort, int limit, Cursor after, Set<String> fields,
                        CountMode count, List<Include> includes, RowScope scope) {

    public ListQuery {
        filters = List.copyOf(filters);
        sort = List.copyOf(sort);
        fields = fields == null ? null : Set.copyOf(fields);
        includes = includes == null ? List.of() : List.copyOf(includes);
        scope = scope == null ? RowScope.ALL : scope;
    }

    /** A list request with every row in scope. */
    public ListQuery(List<Filter> filters, List<SortKey> sort, int limit, Cursor after, Set<String> fields,
                     CountMode count, List<Include> includes) {
        this(filters, sort, limit, after, fields, count, includes, RowScope.ALL);
    }

    /** A list request without embedded relations. */
    public ListQuery(List<Filter> filters, List<SortKey> sort, int limit, Cursor after, Set<String> fields,
                     CountMode count) {
        this(filters, sort, limit, after, fields, count, List.of());
    }

    /** Filter operators, with their names in query parameters ({@code field[gte]=10}). */
    public enum Operator {
        EQ("eq"), NE("ne"), GT("gt"), GTE("gte"), LT("lt"), LTE("lte"), IN("in"),
        CONTAINS("contains"), ICONTAINS("icontains"), STARTS_WITH("startsWith"), ISTARTS_WITH("istartsWith"),
        IS_NULL("isNull");

        private final String parameterName;

        Operator(String parameterName) {
            this.parameterName = parameterName;
        }

        /** The operator's name in a query parameter. */
        public String parameterName() {
            return parameterName;
        }
    }

    /**
     * One condition on one field, of the listed resource or of a record it refers to.
     *
     * @param field    the field's JSON name (system fields included), on the resource the path leads to
     * @param operator the comparison
     * @param values   typed operands: one for most operators, several for IN, a Boolean for IS_NULL
     * @param via      the reference fields leading to that resource ({@code customer.name}: [customer]); empty for
     *                 the listed resource's own fields
     */
    public record Filter(String field, Operator operator, List<Object> values, List<String> via) {
        public Filter {
            values = List.copyOf(values);
            via = via == null ? List.of() : List.copyOf(via);
        }

        /** A condition on a field of the listed resource itself. */
        public Filter(String field, Operator operator, List<Object> values) {
            this(field, operator, values, List.of());
        }
    }

    /**
     * One sort key.
     *
     * @param field      the field's JSON name, on the resource the path leads to
     * @param descending true for {@code -field}
     * @param via        the reference fields leading to that resource ({@code customer.name}); empty for own fields
     */
    public record SortKey(String field, boolean descending, List<String> via) {
        public SortKey {
            via = via == null ? List.of() : List.copyOf(via);
        }

        /** A key on a field of the listed resource itself. */
        public SortKey(String field, boolean descending) {
            this(field, descending, List.of());
        }

        @Override
        public String toString() {
            return (descending ? "-" : "") + (via.isEmpty() ? "" : String.join(".", via) + ".") + field;
        }
    }

    /** How to count. */
    public enum CountMode { NONE, EXACT, ESTIMATED }

    /**
     * The position after the last row of a page: its sort-key values and id.
     *
     * @param values sort-key values of the last row, typed, nulls included
     * @param id     the last row's id
     */
    public record Cursor(List<Object> values, java.util.UUID id) {
        public Cursor {
            values = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(values));
        }
    }
}
