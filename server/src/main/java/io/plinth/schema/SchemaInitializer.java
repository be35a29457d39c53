package io.plinth.schema;

import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.inline;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;

import io.plinth.definition.FieldDefinition;
import io.plinth.definition.ResourceCatalog;
import io.plinth.definition.ResourceDefinition;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jooq.DSLContext;
import org.jooq.Query;
import org.jooq.Record;
import org.jooq.Record3;
import org.jooq.impl.DSL;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.stereotype.Component;

/**
 * At start-up, makes the database hold a table for every declared resource, before the server accepts requests.
 *
 * <p>A missing table is created in the template's shape and recorded in {@code plinth_schema_history}. An existing
 * table is checked twice: its columns against the catalog, and its recorded shape against the current declaration.
 * Any difference stops start-up with a message naming the resource and what changed, rather than serving a table
 * that does not match. All of it runs in one transaction under an advisory lock, so instances starting together
 * neither race nor leave half a schema behind (PostgreSQL DDL is transactional).
 */
@Component
public class SchemaInitializer implements InitializingBean {

    /** Advisory lock key for schema changes: "plinth" as a number, shared by every instance on the database. */
    static final long SCHEMA_LOCK_KEY = 0x706c696e7468L;

    private static final Logger log = LoggerFactory.getLogger(SchemaInitializer.class);

    private final ResourceCatalog catalog;
    private final DSLContext dsl;

    public SchemaInitializer(ResourceCatalog catalog, DSLContext dsl) {
        this.catalog = catalog;
        this.dsl = dsl;
    }

    @Override
    public void afterPropertiesSet() {
        List<String> problems = new ArrayList<>();
        dsl.transaction(configuration -> {
            DSLContext tx = configuration.dsl();
            tx.select(DSL.function("pg_advisory_xact_lock", Object.class, inline(SCHEMA_LOCK_KEY))).fetch();
            List<Query> foreignKeys = new ArrayList<>();
            for (ResourceDefinition resource : catalog.all()) {
                ensureTable(tx, resource, problems, foreignKeys);
            }
            // Only after every table exists: references may point forwards, at themselves, or in a cycle.
            foreignKeys.forEach(Query::execute);
            if (!problems.isEmpty()) {
                throw new SchemaMismatchException(problems);
            }
        });
    }

    private void ensureTable(DSLContext tx, ResourceDefinition resource, List<String> problems, List<Query> foreignKeys) {
        ResourceTable table = new ResourceTable(resource);
        TableShape declared = TableShape.of(resource);
        Record3<Integer, String, String> recorded = tx
                .select(field(name("version"), Integer.class), field(name("checksum"), String.class), field(name("shape"), String.class))
                .from(table(name("plinth_schema_history")))
                .where(field(name("resource"), String.class).eq(resource.name()))
                .orderBy(field(name("version")).desc())
                .limit(1)
                .fetchOne();
        Map<String, Column> existing = existingColumns(tx, resource.table());
        if (existing.isEmpty()) {
            List<Query> statements = table.createStatements(tx);
            statements.forEach(Query::execute);
            List<Query> references = table.foreignKeyStatements(tx, this::tableOf);
            foreignKeys.addAll(references);
            int version = recorded == null ? 1 : recorded.value1() + 1;
            List<Query> all = new ArrayList<>(statements);
            all.addAll(references);
            record(tx, resource, declared, all, version);
            log.atInfo().addKeyValue("resource", resource.name()).addKeyValue("table", resource.table())
                    .log("Created table {} for resource {}", resource.table(), resource.name());
            return;
        }
        if (recorded != null && !recorded.value2().equals(declared.checksum())
                && declared.onlyAddsPlinthLinesTo(TableShape.parse(recorded.value3()))
                && columnDifferences(resource, existing).stream().allMatch(SchemaInitializer::isMissingAuditColumn)) {
            List<Query> added = table.upgradeStatements(tx);
            added.forEach(Query::execute);
            record(tx, resource, declared, added, recorded.value1() + 1);
            log.atInfo().addKeyValue("resource", resource.name()).addKeyValue("table", resource.table())
                    .log("Added Plinth's newer audit columns and default indexes to table {}", resource.table());
            return;
        }
        List<String> differences = new ArrayList<>(columnDifferences(resource, existing));
        for (ResourceTable.Links link : table.links()) {
            if (existingColumns(tx, link.table().getName()).isEmpty()) {
                differences.add("link table " + link.table().getName() + " of field " + link.field().name()
                        + " does not exist");
            }
        }
        if (recorded != null && !recorded.value2().equals(declared.checksum())) {
            differences.addAll(declared.differencesFrom(TableShape.parse(recorded.value3())));
        }
        if (recorded == null && !differences.isEmpty() && differences.stream().allMatch(SchemaInitializer::isMissingAuditColumn)) {
            // A table in the declared shape made before Plinth managed it: it only lacks Plinth's audit columns.
            table.upgradeStatements(tx).forEach(Query::execute);
            differences.clear();
        }
        if (!differences.isEmpty()) {
            problems.add("resource '" + resource.name() + "' (table " + resource.table() + ", declared in "
                    + resource.source() + ") differs from the table:\n      "
                    + String.join("\n      ", differences));
        } else if (recorded == null) {
            record(tx, resource, declared, table.createStatements(tx), 1);
            log.atInfo().addKeyValue("resource", resource.name()).addKeyValue("table", resource.table())
                    .log("Adopted existing table {} for resource {}", resource.table(), resource.name());
        }
    }

    private String tableOf(String resourceName) {
        return catalog.byName(resourceName).orElseThrow().table();
    }

    private static void record(DSLContext tx, ResourceDefinition resource, TableShape shape, List<Query> statements, int version) {
        String upSql = statements.stream().map(q -> q.getSQL(org.jooq.conf.ParamType.INLINED) + ";")
                .collect(Collectors.joining("\n"));
        String downSql = new ResourceTable(resource).links().stream()
                .map(link -> tx.dropTable(link.table()).getSQL() + ";\n").collect(Collectors.joining())
                + tx.dropTable(table(name(resource.table()))).getSQL() + ";";
        tx.insertInto(table(name("plinth_schema_history")))
                .set(field(name("resource"), String.class), resource.name())
                .set(field(name("table_name"), String.class), resource.table())
                .set(field(name("version"), Integer.class), version)
                .set(field(name("checksum"), String.class), shape.checksum())
                .set(field(name("shape"), String.class), shape.text())
                .set(field(name("up_sql"), String.class), upSql)
                .set(field(name("down_sql"), String.class), downSql)
                .set(field(name("applied_by"), String.class), "plinth start-up")
                .execute();
    }

    private static boolean isMissingAuditColumn(String difference) {
        return difference.startsWith("column created_by is declared") || difference.startsWith("column updated_by is declared");
    }

    private static List<String> columnDifferences(ResourceDefinition resource, Map<String, Column> existing) {
        Map<String, Column> expected = new LinkedHashMap<>();
        expected.put("id", new Column("uuid", true));
        expected.put("created_at", new Column("timestamp with time zone", true));
        expected.put("updated_at", new Column("timestamp with time zone", true));
        for (FieldDefinition field : resource.fields()) {
            if (!field.type().isLinks()) {
                expected.put(field.column(), new Column(ResourceTable.catalogType(field), field.required()));
            }
        }
        expected.put("status", new Column("character varying(20)", true));
        expected.put("version", new Column("bigint", true));
        expected.put("created_by", new Column("character varying(200)", false));
        expected.put("updated_by", new Column("character varying(200)", false));
        List<String> differences = new ArrayList<>();
        expected.forEach((name, column) -> {
            Column actual = existing.get(name);
            if (actual == null) {
                differences.add("column " + name + " is declared (" + column.describe() + ") but the table has no such column");
            } else if (!actual.equals(column)) {
                differences.add("column " + name + " is declared as " + column.describe() + " but the table has " + actual.describe());
            }
        });
        existing.keySet().stream().filter(name -> !expected.containsKey(name)).forEach(name ->
                differences.add("column " + name + " exists in the table but is not declared"));
        return differences;
    }

    private static Map<String, Column> existingColumns(DSLContext tx, String tableName) {
        Map<String, Column> columns = new LinkedHashMap<>();
        for (Record row : tx.fetch("""
                select a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull
                from pg_attribute a
                join pg_class c on c.oid = a.attrelid
                join pg_namespace n on n.oid = c.relnamespace
                where n.nspname = current_schema() and c.relname = ? and a.attnum > 0 and not a.attisdropped
                order by a.attnum""", tableName)) {
            columns.put(row.get(0, String.class), new Column(row.get(1, String.class), row.get(2, Boolean.class)));
        }
        return columns;
    }

    private record Column(String type, boolean notNull) {
        String describe() {
            return type + (notNull ? " not null" : " null");
        }
    }
}
