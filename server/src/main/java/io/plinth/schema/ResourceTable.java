package io.plinth.schema;

import static org.jooq.impl.DSL.constraint;
import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.inline;
import static org.jooq.impl.DSL.name;

import io.plinth.definition.DefinitionLoader;
import io.plinth.definition.FieldDefinition;
import io.plinth.definition.FieldType;
import io.plinth.definition.IndexDefinition;
import io.plinth.definition.ResourceDefinition;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jooq.Condition;
import org.jooq.Constraint;
import org.jooq.DSLContext;
import org.jooq.DataType;
import org.jooq.Field;
import org.jooq.Query;
import org.jooq.Table;
import org.jooq.impl.SQLDataType;

/**
 * The table of one resource as jOOQ objects: every identifier quoted, every literal inlined by jOOQ, never by string
 * concatenation. Constraint names follow PostgreSQL's own defaults ({@code <table>_pkey}, {@code <table>_<column>_check},
 * {@code <table>_<column>_key}) so the table looks as if written by hand from the design template.
 */
public final class ResourceTable {

    private static final int MAX_IDENTIFIER_BYTES = 63;
    /** Longest principal name the audit columns hold (a username is at most 100; oidc:<claim> is cut to fit). */
    public static final int AUDIT_LENGTH = 200;

    private final ResourceDefinition resource;
    private final Table<?> table;
    private final Field<UUID> id;
    private final Field<OffsetDateTime> createdAt;
    private final Field<OffsetDateTime> updatedAt;
    private final Field<String> status;
    private final Field<Long> version;
    private final Field<String> createdBy;
    private final Field<String> updatedBy;
    private final Map<String, Field<?>> columns = new LinkedHashMap<>();
    private final Map<String, Links> links = new LinkedHashMap<>();

    /**
     * The link table of a {@code references} field: {@code (<owner>_id, <target>_id, position)}, primary key on the
     * pair, the owner's foreign key cascading (links belong to their record), the target's following the declared rule.
     *
     * @param field    the references field
     * @param table    the link table
     * @param owner    the column holding the id of the record that has the field
     * @param target   the column holding a referenced id
     * @param position the column keeping the order the client gave
     * @param ownerKey the owner's foreign key name
     * @param targetKey the target's foreign key name
     */
    public record Links(FieldDefinition field, Table<?> table, Field<UUID> owner, Field<UUID> target,
                        Field<Integer> position, String ownerKey, String targetKey) {
    }

    public ResourceTable(ResourceDefinition resource) {
        this.resource = resource;
        this.table = org.jooq.impl.DSL.table(name(resource.table()));
        this.id = field(name("id"), SQLDataType.UUID);
        this.createdAt = field(name("created_at"), SQLDataType.TIMESTAMPWITHTIMEZONE);
        this.updatedAt = field(name("updated_at"), SQLDataType.TIMESTAMPWITHTIMEZONE);
        this.status = field(name("status"), SQLDataType.VARCHAR);
        this.version = field(name("version"), SQLDataType.BIGINT);
        this.createdBy = field(name("created_by"), SQLDataType.VARCHAR);
        this.updatedBy = field(name("updated_by"), SQLDataType.VARCHAR);
        for (FieldDefinition declared : resource.fields()) {
            if (declared.type().isLinks()) {
                links.put(declared.name(), links(declared));
            } else {
                columns.put(declared.name(), field(name(declared.column()), dataType(declared)));
            }
        }
    }

    private Links links(FieldDefinition declared) {
        String linkTable = identifier(resource.linkTable(declared));
        String ownerName = DefinitionLoader.toSnakeCase(resource.name()) + "_id";
        String targetName = DefinitionLoader.toSnakeCase(declared.reference().to()) + "_id";
        if (targetName.equals(ownerName)) {
            targetName = declared.column() + "_id";
        }
        return new Links(declared, org.jooq.impl.DSL.table(name(linkTable)),
                field(name(ownerName), SQLDataType.UUID), field(name(targetName), SQLDataType.UUID),
                field(name("position"), SQLDataType.INTEGER),
                identifier(linkTable + "_" + ownerName + "_fkey"), identifier(linkTable + "_" + targetName + "_fkey"));
    }


    /** The link tables of this resource's {@code references} fields, in declaration order. */
    public List<Links> links() {
        return List.copyOf(links.values());
    }

    /** The link table of a {@code references} field. */
    public Links links(String fieldName) {
        return links.get(fieldName);
    }

    /** The definition this table stores. */
    public ResourceDefinition resource() {
        return resource;
    }

    /** The table, by quoted name. */
    public Table<?> table() {
        return table;
    }

    /** The {@code id} column. */
    public Field<UUID> id() {
        return id;
    }

    /** The {@code created_at} column. */
    public Field<OffsetDateTime> createdAt() {
        return createdAt;
    }

    /** The {@code updated_at} column. */
    public Field<OffsetDateTime> updatedAt() {
        return updatedAt;
    }

    /** The {@code status} column. */
    public Field<String> status() {
        return status;
    }

    /** The {@code version} column: 1 on insert, +1 on every change; the record's ETag. */
    public Field<Long> version() {
        return version;
    }

    /** The {@code created_by} column: the principal that created the record (row rules compare it). */
    public Field<String> createdBy() {
        return createdBy;
    }

    /** The {@code updated_by} column: the principal of the record's last change. */
    public Field<String> updatedBy() {
        return updatedBy;
    }

    /** The column of a declared field, typed for binding and reading. */
    @SuppressWarnings("unchecked")
    public <T> Field<T> column(FieldDefinition field) {
        return (Field<T>) columns.get(field.name());
    }

    /**
     * Every column in table order: id, timestamps, declared fields, status (as in the template), then version and the
     * audit columns.
     */
    public List<Field<?>> allColumns() {
        List<Field<?>> all = new ArrayList<>(List.of(id, createdAt, updatedAt));
        all.addAll(columns.values());
        all.add(status);
        all.add(version);
        all.add(createdBy);
        all.add(updatedBy);
        return all;
    }

    /**
     * A column qualified by the table name ({@code "ticket"."version"}), for statements where a bare name would be
     * ambiguous, such as the {@code DO UPDATE} part of an upsert.
     */
    public <T> Field<T> qualified(Field<T> column) {
        return field(name(name(resource.table()), column.getUnqualifiedName()), column.getDataType());
    }

    /** The column of a field by its JSON name, system fields included; empty for an unknown name. */
    public Optional<Field<?>> columnByName(String fieldName) {
        return switch (fieldName) {
            case "id" -> Optional.of(id);
            case "createdAt" -> Optional.of(createdAt);
            case "updatedAt" -> Optional.of(updatedAt);
            case "status" -> Optional.of(status);
            case "version" -> Optional.of(version);
            case "createdBy" -> Optional.of(createdBy);
            case "updatedBy" -> Optional.of(updatedBy);
            default -> Optional.ofNullable(columns.get(fieldName));
        };
    }

    /** The declared fields whose values a unique constraint or unique index with this name protects. */
    public Optional<List<FieldDefinition>> fieldsOfConstraint(String constraintName) {
        for (FieldDefinition field : resource.fields()) {
            if (field.unique() && uniqueConstraintName(field).equals(constraintName)) {
                return Optional.of(List.of(field));
            }
        }
        return resource.indexes().stream()
                .filter(index -> index.unique() && index.name().equals(constraintName))
                .findFirst()
                .map(IndexDefinition::fields);
    }

    /** The statements that create the table and its indexes, in order. */
    public List<Query> createStatements(DSLContext dsl) {
        var create = dsl.createTable(table)
                .column(id, SQLDataType.UUID.notNull().defaultValue(field("gen_random_uuid()", SQLDataType.UUID)))
                .column(createdAt, SQLDataType.TIMESTAMPWITHTIMEZONE.notNull().defaultValue(field("now()", SQLDataType.TIMESTAMPWITHTIMEZONE)))
                .column(updatedAt, SQLDataType.TIMESTAMPWITHTIMEZONE.notNull().defaultValue(field("now()", SQLDataType.TIMESTAMPWITHTIMEZONE)));
        for (FieldDefinition declared : resource.fields()) {
            if (!declared.type().isLinks()) {
                create = create.column(column(declared), columnType(declared));
            }
        }
        create = create.column(status, SQLDataType.VARCHAR(20).notNull()
                .defaultValue(inline(resource.lifecycle().initial(), SQLDataType.VARCHAR(20))));
        create = create.column(version, SQLDataType.BIGINT.notNull().defaultValue(inline(1L)));
        create = create.column(createdBy, SQLDataType.VARCHAR(AUDIT_LENGTH).nullable(true));
        create = create.column(updatedBy, SQLDataType.VARCHAR(AUDIT_LENGTH).nullable(true));
        List<Constraint> constraints = new ArrayList<>();
        constraints.add(constraint(name(identifier(resource.table() + "_pkey"))).primaryKey(id));
        for (FieldDefinition declared : resource.fields()) {
            if (declared.type().isLinks()) {
                continue;
            }
            checkCondition(declared).ifPresent(condition ->
                    constraints.add(constraint(name(identifier(resource.table() + "_" + declared.column() + "_check"))).check(condition)));
            if (declared.unique()) {
                constraints.add(constraint(name(uniqueConstraintName(declared))).unique(column(declared)));
            }
        }
        constraints.add(constraint(name(identifier(resource.table() + "_status_check")))
                .check(status.in(resource.lifecycle().states().stream().map(s -> inline(s)).toList())));
        constraints.add(constraint(name(identifier(resource.table() + "_version_check"))).check(version.ge(inline(1L))));
        List<Query> statements = new ArrayList<>();
        statements.add(create.constraints(constraints));
        statements.add(dsl.createIndex(name(identifier("idx_" + resource.name() + "_status"))).on(table, status));
        // Serves the default list order (newest first, id as tie-breaker) and keyset pages of it.
        statements.add(dsl.createIndex(name(identifier("idx_" + resource.name() + "_created_at_id")))
                .on(table, createdAt, id));
        // Serves a status filter in the default order (newest first) by reading exactly one page: with (status) and
        // (created_at, id) alone, PostgreSQL walks the newest rows of every other status first (575 ms for a page
        // behind 220,000 newer rows, docs/performance.md).
        statements.add(dsl.createIndex(name(identifier("idx_" + resource.name() + "_status_created_at_id")))
                .on(table, status, createdAt, id));
        for (FieldDefinition declared : resource.fields()) {
            if (declared.indexed()) {
                statements.add(dsl.createIndex(name(identifier("idx_" + resource.name() + "_" + declared.column())))
                        .on(table, column(declared)));
            }
        }
        for (IndexDefinition index : resource.indexes()) {
            List<Field<?>> indexed = index.fields().stream().map(this::anyColumn).toList();
            statements.add(index.unique()
                    ? dsl.createUniqueIndex(name(index.name())).on(table, indexed)
                    : dsl.createIndex(name(index.name())).on(table, indexed));
        }
        return statements;
    }

    /**
     * The foreign keys of this table's reference fields, with an index on each referencing column (for joins and for
     * the checks a deletion of a referenced record makes). Run after every table exists, so references may form
     * cycles.
     *
     * @param tableOf the table name of a resource, by resource name
     */
    public List<Query> foreignKeyStatements(DSLContext dsl, java.util.function.Function<String, String> tableOf) {
        List<Query> statements = new ArrayList<>();
        for (FieldDefinition declared : resource.fields()) {
            statements.addAll(foreignKeyStatements(dsl, declared, tableOf));
        }
        return statements;
    }

    /**
     * What one field adds once every table exists: for a reference, its foreign key (and an index unless it has one);
     * for a references field, its link table; nothing for other fields.
     */
    public List<Query> foreignKeyStatements(DSLContext dsl, FieldDefinition declared,
                                            java.util.function.Function<String, String> tableOf) {
        if (declared.type().isLinks()) {
            return linkStatements(dsl, links.get(declared.name()), tableOf);
        }
        if (declared.reference() == null) {
            return List.of();
        }
        List<Query> statements = new ArrayList<>();
        Table<?> target = org.jooq.impl.DSL.table(name(tableOf.apply(declared.reference().to())));
        var key = constraint(name(foreignKeyName(declared))).foreignKey(column(declared))
                .references(target, field(name("id")));
        Constraint withRule = switch (declared.reference().onDelete()) {
            case RESTRICT -> key.onDeleteRestrict();
            case CASCADE -> key.onDeleteCascade();
            case SET_NULL -> key.onDeleteSetNull();
            case UNLINK -> throw new IllegalStateException("unlink applies to references fields only");
        };
        statements.add(dsl.alterTable(table).add(withRule));
        if (!declared.indexed() && !declared.unique()) {
            statements.add(dsl.createIndex(name(identifier("idx_" + resource.name() + "_" + declared.column())))
                    .on(table, column(declared)));
        }
        return statements;
    }

    private List<Query> linkStatements(DSLContext dsl, Links link, java.util.function.Function<String, String> tableOf) {
        Table<?> target = org.jooq.impl.DSL.table(name(tableOf.apply(link.field().reference().to())));
        String linkTable = link.table().getName();
        var targetKey = constraint(name(link.targetKey())).foreignKey(link.target()).references(target, field(name("id"), SQLDataType.UUID));
        return List.of(
                dsl.createTable(link.table())
                        .column(link.owner(), SQLDataType.UUID.notNull())
                        .column(link.target(), SQLDataType.UUID.notNull())
                        .column(link.position(), SQLDataType.INTEGER.notNull())
                        .constraints(
                                constraint(name(identifier(linkTable + "_pkey"))).primaryKey(link.owner(), link.target()),
                                constraint(name(link.ownerKey())).foreignKey(link.owner())
                                        .references(table, id).onDeleteCascade(),
                                // Unlinking is done by Plinth (so the holders get a new version and an event); the
                                // cascade only covers deletions made outside Plinth.
                                link.field().reference().onDelete() == FieldDefinition.OnDelete.UNLINK
                                        ? targetKey.onDeleteCascade() : targetKey.onDeleteRestrict()),
                dsl.createIndex(name(identifier("idx_" + linkTable + "_" + link.target().getName())))
                        .on(link.table(), link.target()));
    }

    /** The name of a reference field's foreign key, as PostgreSQL would name it. */
    public String foreignKeyName(FieldDefinition field) {
        return identifier(resource.table() + "_" + field.column() + "_fkey");
    }

    /**
     * The PostgreSQL type of a declared field as {@code format_type()} prints it, e.g. {@code character varying(255)}.
     * Used to compare a declaration with an existing table.
     */
    public static String catalogType(FieldDefinition field) {
        return switch (field.type()) {
            case STRING -> "character varying(" + field.maxLength() + ")";
            case ENUM -> "character varying(255)";
            case TEXT -> "text";
            case INTEGER -> "integer";
            case LONG -> "bigint";
            case DECIMAL -> "numeric(" + field.precision() + "," + field.scale() + ")";
            case BOOLEAN -> "boolean";
            case DATE -> "date";
            case TIMESTAMP -> "timestamp with time zone";
            case UUID, REFERENCE -> "uuid";
            case REFERENCES -> "uuid[]";
            case JSON -> "jsonb";
        };
    }

    private Field<?> anyColumn(FieldDefinition field) {
        return columnByName(field.name()).orElseThrow();
    }

    private String uniqueConstraintName(FieldDefinition field) {
        return identifier(resource.table() + "_" + field.column() + "_key");
    }

    /** Truncates as PostgreSQL does, so names computed here match the catalog. */
    static String identifier(String name) {
        return name.length() <= MAX_IDENTIFIER_BYTES ? name : name.substring(0, MAX_IDENTIFIER_BYTES);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private DataType<?> columnType(FieldDefinition declared) {
        DataType type = dataType(declared).nullable(!declared.required());
        if (declared.defaultValue() != null) {
            type = type.defaultValue(inline(declared.defaultValue(), (DataType) dataType(declared)));
        }
        return type;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private Optional<Condition> checkCondition(FieldDefinition declared) {
        Field column = column(declared);
        List<Condition> conditions = new ArrayList<>();
        if (declared.type().isNumeric()) {
            if (declared.min() != null) {
                conditions.add(column.ge(inline(numberOf(declared, declared.min()))));
            }
            if (declared.max() != null) {
                conditions.add(column.le(inline(numberOf(declared, declared.max()))));
            }
        }
        if (declared.type().isCharacter()) {
            Field<Integer> length = org.jooq.impl.DSL.charLength(column);
            if (declared.minLength() != null && declared.minLength() > 0) {
                conditions.add(length.ge(inline(declared.minLength())));
            }
            if (declared.type() == FieldType.TEXT && declared.maxLength() != null) {
                conditions.add(length.le(inline(declared.maxLength())));
            }
        }
        if (declared.type() == FieldType.ENUM) {
            conditions.add(column.in(declared.values().stream().map(v -> inline(v)).toList()));
        }
        return conditions.stream().reduce(Condition::and);
    }

    private static Object numberOf(FieldDefinition field, BigDecimal value) {
        return switch (field.type()) {
            case INTEGER -> value.intValueExact();
            case LONG -> value.longValueExact();
            default -> value;
        };
    }

    private static DataType<?> dataType(FieldDefinition field) {
        return switch (field.type()) {
            case STRING -> SQLDataType.VARCHAR(field.maxLength());
            case ENUM -> SQLDataType.VARCHAR(255);
            case TEXT -> SQLDataType.CLOB;
            case INTEGER -> SQLDataType.INTEGER;
            case LONG -> SQLDataType.BIGINT;
            case DECIMAL -> SQLDataType.NUMERIC(field.precision(), field.scale());
            case BOOLEAN -> SQLDataType.BOOLEAN;
            case DATE -> SQLDataType.LOCALDATE;
            case TIMESTAMP -> SQLDataType.TIMESTAMPWITHTIMEZONE;
            case UUID, REFERENCE -> SQLDataType.UUID;
            case REFERENCES -> SQLDataType.UUID.array();
            case JSON -> SQLDataType.JSONB;
        };
    }
}
