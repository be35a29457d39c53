package io.plinth.schema;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jooq.DSLContext;
import org.jooq.Record;

/**
 * What PostgreSQL's own catalog says about a set of tables in one schema: columns (type, nullability, default),
 * constraints (as {@code pg_get_constraintdef} prints them) and indexes (as {@code pg_get_indexdef} prints them, without
 * the schema). Both sides of a schema plan are read this way — the live tables, and the declared tables built in a
 * scratch schema — so they compare exactly, however PostgreSQL chooses to print an expression.
 */
final class Catalog {

    private Catalog() {
    }

    /**
     * One column.
     *
     * @param name         its name
     * @param type         as {@code format_type} prints it, e.g. {@code character varying(255)}
     * @param notNull      whether it is NOT NULL
     * @param defaultValue the default expression as PostgreSQL prints it, or null
     */
    record Column(String name, String type, boolean notNull, String defaultValue) {
        String describe() {
            return type + (notNull ? " not null" : " null") + (defaultValue == null ? "" : " default " + defaultValue);
        }
    }

    /**
     * One constraint.
     *
     * @param name       its name
     * @param kind       p (primary key), u (unique), c (check), f (foreign key)
     * @param definition as {@code pg_get_constraintdef} prints it, schema names removed
     * @param columns    the columns it is on, in order
     */
    record Constraint(String name, char kind, String definition, List<String> columns) {
    }

    /**
     * One index that no constraint owns.
     *
     * @param name       its name
     * @param definition its CREATE INDEX statement, schema names removed
     * @param unique     whether it is unique
     * @param valid      false for an index left invalid by a failed CREATE INDEX CONCURRENTLY
     * @param columns    the columns it is on, in order
     */
    record Index(String name, String definition, boolean unique, boolean valid, List<String> columns) {
    }

    /**
     * One table.
     *
     * @param name        its name
     * @param columns     by name, in column order
     * @param constraints by name
     * @param indexes     by name: only indexes that no constraint owns (a unique constraint's index is the constraint)
     * @param rows        the planner's estimate of the number of rows (pg_class.reltuples), -1 if never analyzed
     */
    record Table(String name, Map<String, Column> columns, Map<String, Constraint> constraints,
                 Map<String, Index> indexes, long rows) {
    }

    /** The tables of {@code schema} among {@code names}; a name with no table is absent from the result. */
    static Map<String, Table> read(DSLContext dsl, String schema, Collection<String> names) {
        Map<String, Table> tables = new LinkedHashMap<>();
        if (names.isEmpty()) {
            return tables;
        }
        String[] wanted = names.toArray(String[]::new);
        for (Record row : dsl.fetch("""
                select c.relname, c.reltuples::bigint from pg_class c join pg_namespace n on n.oid = c.relnamespace
                where n.nspname = ? and c.relkind in ('r', 'p') and c.relname = any(?::text[]) order by c.relname""",
                schema, wanted)) {
            String name = row.get(0, String.class);
            tables.put(name, new Table(name, new LinkedHashMap<>(), new LinkedHashMap<>(), new LinkedHashMap<>(),
                    row.get(1, Long.class)));
        }
        for (Record row : dsl.fetch("""
                select c.relname, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,
                       pg_get_expr(d.adbin, d.adrelid)
                from pg_attribute a
                join pg_class c on c.oid = a.attrelid
                join pg_namespace n on n.oid = c.relnamespace
                left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
                where n.nspname = ? and c.relname = any(?::text[]) and a.attnum > 0 and not a.attisdropped
                order by c.relname, a.attnum""", schema, wanted)) {
            Table table = tables.get(row.get(0, String.class));
            if (table != null) {
                String column = row.get(1, String.class);
                table.columns().put(column, new Column(column, row.get(2, String.class), row.get(3, Boolean.class),
                        row.get(4, String.class)));
            }
        }
        for (Record row : dsl.fetch("""
                select c.relname, k.conname, k.contype::text, pg_get_constraintdef(k.oid),
                       array(select a.attname::text from unnest(k.conkey) with ordinality u(attnum, ord)
                             join pg_attribute a on a.attrelid = k.conrelid and a.attnum = u.attnum order by u.ord)
                from pg_constraint k
                join pg_class c on c.oid = k.conrelid
                join pg_namespace n on n.oid = c.relnamespace
                where n.nspname = ? and c.relname = any(?::text[]) and k.contype in ('p', 'u', 'c', 'f')
                order by c.relname, k.conname""", schema, wanted)) {
            Table table = tables.get(row.get(0, String.class));
            if (table != null) {
                String name = row.get(1, String.class);
                table.constraints().put(name, new Constraint(name, row.get(2, String.class).charAt(0),
                        withoutSchema(row.get(3, String.class), schema), List.of(row.get(4, String[].class))));
            }
        }
        for (Record row : dsl.fetch("""
                select t.relname, i.relname, pg_get_indexdef(x.indexrelid), x.indisunique, x.indisvalid,
                       array(select a.attname::text from unnest(x.indkey::int2[]) with ordinality u(attnum, ord)
                             join pg_attribute a on a.attrelid = x.indrelid and a.attnum = u.attnum order by u.ord)
                from pg_index x
                join pg_class i on i.oid = x.indexrelid
                join pg_class t on t.oid = x.indrelid
                join pg_namespace n on n.oid = t.relnamespace
                where n.nspname = ? and t.relname = any(?::text[])
                  and not exists (select 1 from pg_constraint k where k.conindid = x.indexrelid and k.conrelid = x.indrelid)
                order by t.relname, i.relname""", schema, wanted)) {
            Table table = tables.get(row.get(0, String.class));
            if (table != null) {
                String name = row.get(1, String.class);
                table.indexes().put(name, new Index(name, withoutSchema(row.get(2, String.class), schema),
                        row.get(3, Boolean.class), row.get(4, Boolean.class), List.of(row.get(5, String[].class))));
            }
        }
        return tables;
    }

    /** Every table of {@code schema} whose name starts with {@code prefix}. */
    static List<String> tablesStartingWith(DSLContext dsl, String schema, String prefix) {
        return dsl.fetch("""
                select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
                where n.nspname = ? and c.relkind in ('r', 'p') and starts_with(c.relname, ?) order by c.relname""",
                schema, prefix).getValues(0, String.class);
    }

    private static String withoutSchema(String definition, String schema) {
        String quoted = "\"" + schema.replace("\"", "\"\"") + "\".";
        return definition.replace(quoted, "").replaceAll("(?<![\\w\"])" + Pattern.quote(schema) + "\\.", "");
    }

    /**
     * Replaces the identifier {@code from} by {@code to} in a constraint or index definition, outside string literals,
     * whether written bare or quoted: how a definition reads after its column was renamed.
     */
    static String renameIdentifier(String definition, String from, String to) {
        StringBuilder out = new StringBuilder();
        Matcher tokens = TOKEN.matcher(definition);
        int last = 0;
        while (tokens.find()) {
            out.append(definition, last, tokens.start());
            String token = tokens.group();
            if (token.equals(from)) {
                out.append(to);
            } else if (token.equals("\"" + from + "\"")) {
                out.append('"').append(to).append('"');
            } else {
                out.append(token);
            }
            last = tokens.end();
        }
        return out.append(definition.substring(last)).toString();
    }

    /** A string literal, a quoted identifier or a bare word. */
    private static final Pattern TOKEN = Pattern.compile("'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|[A-Za-z_][A-Za-z0-9_$]*");
}
