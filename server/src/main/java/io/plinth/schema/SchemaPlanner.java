package io.plinth.schema;

import io.plinth.definition.DefinitionLoader;
import io.plinth.definition.FieldDefinition;
import io.plinth.definition.ResourceCatalog;
import io.plinth.definition.ResourceDefinition;
import io.plinth.schema.SchemaPlan.Classification;
import io.plinth.schema.SchemaPlan.Step;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jooq.DSLContext;
import org.jooq.Query;
import org.jooq.Record;
import org.jooq.exception.DataAccessException;

/**
 * Compares the declarations with the database and works out the {@link SchemaPlan}.
 *
 * <p>The declared side is not rendered by hand: the declared tables are created, exactly as Plinth creates them, in a
 * scratch schema inside a savepoint that is rolled back, and read from PostgreSQL's catalog like the live tables. Every
 * difference between the two catalogs becomes a step whose SQL is built from what the catalog printed, so what is
 * compared and what is run are the same thing. The plan runs nothing on the live tables: its data checks are counts.
 */
final class SchemaPlanner {

    static final String BACKUP_PREFIX = "plinth_backup_v";

    private static final Pattern INDEX_HEAD = Pattern.compile("^CREATE (UNIQUE )?INDEX \\S+ ON \\S+ ");
    private static final Pattern REFERENCES = Pattern.compile("REFERENCES (\"(?:[^\"]|\"\")+\"|[^\\s(]+)\\(");

    private final ResourceCatalog declarations;
    private final long concurrentIndexRows;

    SchemaPlanner(ResourceCatalog declarations, long concurrentIndexRows) {
        this.declarations = declarations;
        this.concurrentIndexRows = concurrentIndexRows;
    }

    /** A resource's latest applied (not rolled back) version. */
    record Recorded(String resource, String table, List<String> linkTables, String checksum, boolean removed) {
    }

    /** One table on both sides: live (null when new) and declared (null when removed). */
    private record Pair(String resource, String liveName, String declaredName, boolean link, boolean managed,
                        Map<String, String> renames, Map<String, FieldDefinition> fieldsByColumn) {
    }

    SchemaPlan plan(DSLContext tx) {
        String schema = tx.fetchSingle("select current_schema()").get(0, String.class);
        int version = tx.fetchSingle("select coalesce(max(version), 0) + 1 from plinth_schema_change").get(0, Integer.class);
        Map<String, Recorded> history = history(tx);
        Map<String, Catalog.Table> declared = declaredTables(tx);

        List<Pair> pairs = new ArrayList<>();
        Set<String> liveNames = new LinkedHashSet<>();
        Map<String, String> tableRenames = new LinkedHashMap<>();
        Set<String> pairedLive = new java.util.HashSet<>();
        for (ResourceDefinition resource : declarations.all()) {
            Recorded recorded = history.get(resource.name());
            String live = recorded == null ? resource.table() : recorded.table();
            Map<String, String> renames = new LinkedHashMap<>();
            Map<String, FieldDefinition> byColumn = new HashMap<>();
            for (FieldDefinition field : resource.fields()) {
                byColumn.put(field.column(), field);
                if (field.renamedFrom() != null && !field.type().isLinks()) {
                    renames.put(DefinitionLoader.toSnakeCase(field.renamedFrom()), field.column());
                }
            }
            pairs.add(new Pair(resource.name(), live, resource.table(), false, recorded != null, renames, byColumn));
            liveNames.add(live);
            pairedLive.add(live);
            if (!live.equals(resource.table())) {
                tableRenames.put(live, resource.table());
            }
            for (FieldDefinition field : resource.fields()) {
                if (!field.type().isLinks()) {
                    continue;
                }
                String declaredLink = resource.linkTable(field);
                String liveLink = declaredLink;
                if (recorded != null) {
                    String previous = live + "_" + DefinitionLoader.toSnakeCase(field.renamedFrom() != null ? field.renamedFrom() : field.name());
                    liveLink = recorded.linkTables().contains(previous) ? previous : declaredLink;
                }
                pairs.add(new Pair(resource.name(), liveLink, declaredLink, true, recorded != null, Map.of(), Map.of()));
                liveNames.add(liveLink);
                pairedLive.add(liveLink);
                if (!liveLink.equals(declaredLink)) {
                    tableRenames.put(liveLink, declaredLink);
                }
            }
        }
        for (Recorded recorded : history.values()) {
            if (recorded.removed() || declarations.byName(recorded.resource()).isPresent()) {
                continue;
            }
            pairs.add(new Pair(recorded.resource(), recorded.table(), null, false, true, Map.of(), Map.of()));
            liveNames.add(recorded.table());
            for (String link : recorded.linkTables()) {
                pairs.add(new Pair(recorded.resource(), link, null, true, true, Map.of(), Map.of()));
                liveNames.add(link);
            }
        }
        // Link tables recorded for a resource that is still declared but no longer has that field.
        for (Recorded recorded : history.values()) {
            if (recorded.removed() || declarations.byName(recorded.resource()).isEmpty()) {
                continue;
            }
            for (String link : recorded.linkTables()) {
                if (!pairedLive.contains(link)) {
                    pairs.add(new Pair(recorded.resource(), link, null, true, true, Map.of(), Map.of()));
                    liveNames.add(link);
                }
            }
        }
        Map<String, Catalog.Table> live = normalized(tx, Catalog.read(tx, schema, liveNames));

        Builder builder = new Builder(tx, version, live, declared, tableRenames);
        List<String> recordedResources = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (Pair pair : pairs) {
            Catalog.Table liveTable = pair.liveName() == null ? null : live.get(pair.liveName());
            Catalog.Table declaredTable = pair.declaredName() == null ? null : declared.get(pair.declaredName());
            int before = builder.size();
            if (declaredTable == null) {
                if (liveTable != null) {
                    builder.removeTable(pair, liveTable);
                }
            } else if (liveTable == null) {
                builder.createTable(pair, declaredTable);
            } else {
                builder.compare(pair, liveTable, declaredTable, notes);
                if (!pair.managed() && builder.size() > before) {
                    builder.refuseSince(before, "table " + pair.liveName() + " exists but Plinth did not create it, "
                            + "and it differs from the declaration; change it to match, or drop it");
                }
            }
        }
        for (ResourceDefinition resource : declarations.all()) {
            Recorded recorded = history.get(resource.name());
            boolean stepped = builder.touches(resource.name());
            if (recorded == null || !recorded.checksum().equals(TableShape.of(resource).checksum()) || stepped) {
                recordedResources.add(resource.name());
            }
        }
        for (Recorded recorded : history.values()) {
            if (!recorded.removed() && declarations.byName(recorded.resource()).isEmpty()) {
                recordedResources.add(recorded.resource());
            }
        }
        return new SchemaPlan(version, builder.ordered(), recordedResources, notes);
    }

    /** Every resource's latest version that is not rolled back, removed ones included (flagged). */
    static Map<String, Recorded> history(DSLContext tx) {
        Map<String, Recorded> history = new LinkedHashMap<>();
        for (Record row : tx.fetch("""
                select distinct on (h.resource) h.resource, h.table_name, h.shape, h.checksum, h.removed
                from plinth_schema_history h join plinth_schema_change c on c.version = h.schema_version
                where c.rolled_back_at is null
                order by h.resource, h.version desc""")) {
            List<String> links = new ArrayList<>();
            for (String line : row.get(2, String.class).split("\n")) {
                if (line.startsWith("links ")) {
                    links.add(line.split(" ")[1]);
                }
            }
            history.put(row.get(0, String.class), new Recorded(row.get(0, String.class), row.get(1, String.class),
                    List.copyOf(links), row.get(3, String.class).trim(), row.get(4, Boolean.class)));
        }
        return history;
    }

    /** The declared tables as PostgreSQL would hold them: built in a scratch schema that is rolled back. */
    private Map<String, Catalog.Table> declaredTables(DSLContext tx) {
        String scratch = "plinth_plan_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        List<String> names = new ArrayList<>();
        tx.execute("savepoint plinth_plan");
        try {
            tx.execute("create schema " + q(scratch));
            tx.execute("set local search_path to " + q(scratch));
            List<Query> foreignKeys = new ArrayList<>();
            for (ResourceDefinition resource : declarations.all()) {
                ResourceTable table = new ResourceTable(resource);
                table.createStatements(tx).forEach(Query::execute);
                foreignKeys.addAll(table.foreignKeyStatements(tx, name -> declarations.byName(name).orElseThrow().table()));
                names.add(resource.table());
                table.links().forEach(link -> names.add(link.table().getName()));
            }
            foreignKeys.forEach(Query::execute);
            // Built once more from what the catalog printed: a plan creates tables from that text, and PostgreSQL
            // prints some expressions differently after one such round (an IN list of casts), never after two.
            Map<String, Catalog.Table> first = Catalog.read(tx, scratch, names);
            String second = scratch + "_2";
            tx.execute("create schema " + q(second));
            tx.execute("set local search_path to " + q(second));
            for (Catalog.Table table : first.values()) {
                execute(tx, createTable(table));
                for (Catalog.Index index : table.indexes().values()) {
                    execute(tx, index.definition());
                }
            }
            for (Catalog.Table table : first.values()) {
                for (Catalog.Constraint constraint : table.constraints().values()) {
                    if (constraint.kind() == 'f') {
                        execute(tx, "ALTER TABLE " + q(table.name()) + " ADD CONSTRAINT " + q(constraint.name()) + " "
                                + constraint.definition());
                    }
                }
            }
            return Catalog.read(tx, second, names);
        } finally {
            tx.execute("rollback to savepoint plinth_plan");
            tx.execute("release savepoint plinth_plan");
        }
    }

    /**
     * The live tables with their CHECK constraints and column defaults as PostgreSQL prints them after one more round
     * (created again from their text in a scratch schema, rolled back): the declared side went through the same
     * round, so a table created from older text (an earlier Plinth, a restore, another PostgreSQL version) compares
     * equal when it means the same thing. Falls back to the text as read if the round fails.
     */
    private Map<String, Catalog.Table> normalized(DSLContext tx, Map<String, Catalog.Table> live) {
        if (live.isEmpty()) {
            return live;
        }
        String scratch = "plinth_norm_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        tx.execute("savepoint plinth_normalize");
        try {
            tx.execute("create schema " + q(scratch));
            tx.execute("set local search_path to " + q(scratch));
            for (Catalog.Table table : live.values()) {
                List<String> definitions = new ArrayList<>();
                table.columns().values().forEach(column -> definitions.add(columnDefinition(column)));
                table.constraints().values().stream().filter(c -> c.kind() == 'c')
                        .forEach(c -> definitions.add("CONSTRAINT " + q(c.name()) + " " + c.definition()));
                execute(tx, "CREATE TABLE " + q(table.name()) + " (" + String.join(", ", definitions) + ")");
            }
            Map<String, Catalog.Table> again = Catalog.read(tx, scratch, live.keySet());
            Map<String, Catalog.Table> result = new LinkedHashMap<>();
            live.forEach((name, table) -> {
                Catalog.Table round = again.get(name);
                Map<String, Catalog.Column> columns = new LinkedHashMap<>();
                table.columns().forEach((column, value) -> columns.put(column, new Catalog.Column(value.name(), value.type(),
                        value.notNull(), round.columns().get(column).defaultValue())));
                Map<String, Catalog.Constraint> constraints = new LinkedHashMap<>();
                table.constraints().forEach((constraint, value) -> constraints.put(constraint, value.kind() != 'c' ? value
                        : new Catalog.Constraint(value.name(), 'c', round.constraints().get(constraint).definition(), value.columns())));
                result.put(name, new Catalog.Table(name, columns, constraints, table.indexes(), table.rows()));
            });
            return result;
        } catch (RuntimeException e) {
            return live;
        } finally {
            tx.execute("rollback to savepoint plinth_normalize");
            tx.execute("release savepoint plinth_normalize");
        }
    }

    /** Collects the steps by phase, so that the plan runs them in an order PostgreSQL accepts. */
    private final class Builder {
        /** Drops of changed constraints and indexes; renames; new tables; columns; constraints and indexes; foreign keys; dropped columns; dropped tables. */
        private static final int PHASES = 8;
        private final List<List<Step>> phases = new ArrayList<>();
        private final List<Step> all = new ArrayList<>();
        private final DSLContext tx;
        private final int version;
        private final Map<String, Catalog.Table> live;
        private final Map<String, Catalog.Table> declared;
        private final Map<String, String> tableRenames;
        private int backups;

        Builder(DSLContext tx, int version, Map<String, Catalog.Table> live, Map<String, Catalog.Table> declared,
                Map<String, String> tableRenames) {
            this.tx = tx;
            this.version = version;
            this.live = live;
            this.declared = declared;
            this.tableRenames = tableRenames;
            for (int i = 0; i < PHASES; i++) {
                phases.add(new ArrayList<>());
            }
        }

        int size() {
            return all.size();
        }

        boolean touches(String resource) {
            return all.stream().anyMatch(step -> step.resource().equals(resource));
        }

        void refuseSince(int index, String reason) {
            for (int i = index; i < all.size(); i++) {
                Step step = all.get(i);
                Step refused = step.refuse(reason);
                all.set(i, refused);
                for (List<Step> phase : phases) {
                    phase.replaceAll(s -> s == step ? refused : s);
                }
            }
        }

        List<Step> ordered() {
            return phases.stream().flatMap(List::stream).toList();
        }

        private void add(int phase, Step step) {
            phases.get(phase - 1).add(step);
            all.add(step);
        }

        private String backupName(boolean down) {
            return BACKUP_PREFIX + version + "_" + (down ? "r" : "") + (++backups);
        }

        void createTable(Pair pair, Catalog.Table table) {
            String backup = backupName(true);
            add(3, step(pair, table.name(), pair.link() ? "create link table" : "create table", table.name(),
                    "create " + (pair.link() ? "link " : "") + "table " + table.name() + " (" + table.columns().size()
                            + " columns); undone by keeping it as backup table " + backup,
                    Classification.SAFE,
                    List.of(SchemaPlanner.createTable(table)), renameTable(table, table.name(), backup, false), null, null));
            table.indexes().values().forEach(index -> addIndex(pair, table.name(), null, index, 0));
            table.constraints().values().stream().filter(c -> c.kind() == 'f')
                    .forEach(c -> addConstraint(pair, table.name(), null, c));
        }

        void removeTable(Pair pair, Catalog.Table table) {
            table.constraints().values().stream().filter(c -> c.kind() == 'f').forEach(c ->
                    add(1, step(pair, table.name(), "drop constraint", c.name(),
                            "drop foreign key " + c.name() + " of removed table " + table.name(), Classification.SAFE,
                            List.of("ALTER TABLE " + q(table.name()) + " DROP CONSTRAINT " + q(c.name())),
                            List.of("ALTER TABLE " + q(table.name()) + " ADD CONSTRAINT " + q(c.name()) + " " + c.definition()),
                            null, null).deferred()));
            String backup = backupName(false);
            long rows = count("SELECT count(*) FROM " + q(table.name()));
            add(8, step(pair, table.name(), pair.link() ? "drop link table" : "drop table", table.name(),
                    "remove " + (pair.link() ? "link " : "") + "table " + table.name() + " (" + rows
                            + " rows), kept as backup table " + backup + " until purged",
                    Classification.DESTRUCTIVE, renameTable(table, table.name(), backup, true),
                    renameTable(table, backup, table.name(), true), null, null).deferred());
        }

        /**
         * Renames a table and the indexes it owns (index names are unique per schema, so a backup must not keep them):
         * the statements that rename {@code from} to {@code to}; the opposite call undoes it.
         */
        private List<String> renameTable(Catalog.Table table, String from, String to, boolean withIndexes) {
            boolean toBackup = to.startsWith(BACKUP_PREFIX);
            String backup = toBackup ? to : from;
            List<String> statements = new ArrayList<>();
            statements.add("ALTER TABLE " + q(from) + " RENAME TO " + q(to));
            List<String> owned = new ArrayList<>();
            table.constraints().values().stream().filter(c -> c.kind() == 'p' || c.kind() == 'u').forEach(c -> owned.add(c.name()));
            if (withIndexes) {
                // (A new table's other indexes are steps of their own, undone before the table.)
                owned.addAll(table.indexes().keySet());
            }
            int n = 0;
            for (String index : owned) {
                String backupIndex = ResourceTable.identifier(backup + "_i" + (++n));
                statements.add(toBackup ? "ALTER INDEX " + q(index) + " RENAME TO " + q(backupIndex)
                        : "ALTER INDEX " + q(backupIndex) + " RENAME TO " + q(index));
            }
            return statements;
        }

        void compare(Pair pair, Catalog.Table live, Catalog.Table declared, List<String> notes) {
            String table = declared.name();
            String liveName = live.name();
            Map<String, String> renames = new LinkedHashMap<>();
            pair.renames().forEach((from, to) -> {
                if (live.columns().containsKey(from) && !live.columns().containsKey(to) && declared.columns().containsKey(to)) {
                    renames.put(from, to);
                }
            });
            if (!liveName.equals(table)) {
                add(2, step(pair, table, "rename table", liveName, "rename table " + liveName + " to " + table,
                        Classification.SAFE, List.of("ALTER TABLE " + q(liveName) + " RENAME TO " + q(table)),
                        List.of("ALTER TABLE " + q(table) + " RENAME TO " + q(liveName)), null, null));
            }
            renames.forEach((from, to) -> add(2, step(pair, table, "rename column", to,
                    "rename column " + from + " to " + to + " (renamedFrom)", Classification.SAFE,
                    List.of("ALTER TABLE " + q(table) + " RENAME COLUMN " + q(from) + " TO " + q(to)),
                    List.of("ALTER TABLE " + q(table) + " RENAME COLUMN " + q(to) + " TO " + q(from)), null, null)));
            String source = source(liveName, live, declared, renames, pair);

            // Constraints: kept (perhaps renamed), or dropped first and added again later.
            Set<String> matched = new java.util.HashSet<>();
            for (Catalog.Constraint constraint : live.constraints().values()) {
                String mapped = mapName(constraint.name(), liveName, table, renames, pair.resource());
                Catalog.Constraint wanted = declared.constraints().get(mapped);
                if (wanted != null && wanted.kind() == constraint.kind()
                        && wanted.definition().equals(renamed(constraint.definition(), renames))) {
                    matched.add(mapped);
                    if (!mapped.equals(constraint.name())) {
                        add(2, step(pair, table, "rename constraint", mapped, "rename constraint " + constraint.name()
                                        + " to " + mapped, Classification.SAFE,
                                List.of("ALTER TABLE " + q(table) + " RENAME CONSTRAINT " + q(constraint.name()) + " TO " + q(mapped)),
                                List.of("ALTER TABLE " + q(table) + " RENAME CONSTRAINT " + q(mapped) + " TO " + q(constraint.name())),
                                null, null));
                    }
                    continue;
                }
                add(1, step(pair, table, "drop constraint", constraint.name(), "drop constraint " + constraint.name()
                                + " (" + constraint.definition() + ")" + (wanted == null ? "" : ", to add it as " + wanted.definition()),
                        Classification.SAFE,
                        List.of("ALTER TABLE " + q(liveName) + " DROP CONSTRAINT " + q(constraint.name())),
                        List.of("ALTER TABLE " + q(liveName) + " ADD CONSTRAINT " + q(constraint.name()) + " " + constraint.definition()),
                        null, null));
            }
            Set<String> matchedIndexes = new java.util.HashSet<>();
            for (Catalog.Index index : live.indexes().values()) {
                String mapped = mapName(index.name(), liveName, table, renames, pair.resource());
                Catalog.Index wanted = declared.indexes().get(mapped);
                if (wanted != null && index.valid()
                        && indexBody(wanted.definition()).equals(renamed(indexBody(index.definition()), renames))) {
                    matchedIndexes.add(mapped);
                    if (!mapped.equals(index.name())) {
                        add(2, step(pair, table, "rename index", mapped, "rename index " + index.name() + " to " + mapped,
                                Classification.SAFE, List.of("ALTER INDEX " + q(index.name()) + " RENAME TO " + q(mapped)),
                                List.of("ALTER INDEX " + q(mapped) + " RENAME TO " + q(index.name())), null, null));
                    }
                    continue;
                }
                if (wanted == null && !index.name().startsWith("idx_") && !index.name().startsWith("uq_") && index.valid()) {
                    notes.add("index " + index.name() + " on " + liveName + " is not Plinth's; left alone");
                    continue;
                }
                Step drop = step(pair, table, "drop index", index.name(), "drop index " + index.name()
                                + (index.valid() ? "" : " (left invalid by a failed concurrent build)"),
                        Classification.SAFE, List.of("DROP INDEX " + q(index.name())),
                        index.valid() ? List.of(index.definition()) : List.of(), null, null);
                add(1, wanted == null && index.valid() ? drop.deferred() : drop);
            }

            // Columns, in the declared order.
            for (Catalog.Column column : declared.columns().values()) {
                String liveColumnName = renames.entrySet().stream().filter(e -> e.getValue().equals(column.name()))
                        .map(Map.Entry::getKey).findFirst().orElse(column.name());
                Catalog.Column current = live.columns().get(liveColumnName);
                FieldDefinition field = pair.fieldsByColumn().get(column.name());
                if (current == null) {
                    addColumn(pair, table, liveName, column, field);
                } else {
                    changeColumn(pair, table, source, current, column, field);
                }
            }
            for (Catalog.Constraint constraint : declared.constraints().values()) {
                if (!matched.contains(constraint.name())) {
                    addConstraint(pair, table, source, constraint);
                }
            }
            for (Catalog.Index index : declared.indexes().values()) {
                if (!matchedIndexes.contains(index.name())) {
                    addIndex(pair, table, source, index, live.rows());
                }
            }
            for (Catalog.Column column : live.columns().values()) {
                if (!declared.columns().containsKey(column.name()) && !renames.containsKey(column.name())) {
                    dropColumn(pair, table, column);
                }
            }
        }

        private void addColumn(Pair pair, String table, String liveName, Catalog.Column column, FieldDefinition field) {
            String add = "ALTER TABLE " + q(table) + " ADD COLUMN " + columnDefinition(column);
            String backup = backupName(true);
            List<String> down = List.of("CREATE TABLE " + q(backup) + " AS SELECT id, " + q(column.name()) + " FROM " + q(table),
                    "ALTER TABLE " + q(table) + " DROP COLUMN " + q(column.name()));
            String describe = "add column " + column.name() + " " + column.describe();
            if (!column.notNull() || column.defaultValue() != null) {
                add(4, step(pair, table, "add column", column.name(), describe, Classification.SAFE, List.of(add), down,
                        null, null));
                return;
            }
            long rows = count("SELECT count(*) FROM " + q(liveName));
            if (rows == 0) {
                add(4, step(pair, table, "add column", column.name(), describe, Classification.SAFE, List.of(add), down,
                        "the table is empty", 0L));
                return;
            }
            String backfill = field == null ? null : field.backfill();
            if (backfill == null) {
                add(4, step(pair, table, "add column", column.name(), describe, Classification.NEEDS_BACKFILL, List.of(add),
                        down, rows + " existing rows would have no value", rows).refuse("the field is required and "
                        + rows + " existing rows would have no value: declare a default, or a backfill expression"));
                return;
            }
            String nullable = "ALTER TABLE " + q(table) + " ADD COLUMN " + q(column.name()) + " " + column.type();
            Counted stillNull = countSafely("SELECT count(*) FROM " + q(liveName) + " WHERE (" + backfill + ") IS NULL");
            Step step = step(pair, table, "add column", column.name(), describe + ", existing rows filled by backfill "
                            + backfill, Classification.NEEDS_BACKFILL,
                    List.of(nullable, "UPDATE " + q(table) + " SET " + q(column.name()) + " = (" + backfill + ")",
                            "ALTER TABLE " + q(table) + " ALTER COLUMN " + q(column.name()) + " SET NOT NULL"),
                    down, stillNull.error() != null ? "backfill fails: " + stillNull.error()
                            : rows + " rows backfilled, " + stillNull.rows() + " of them to NULL", stillNull.rows());
            if (stillNull.error() != null) {
                step = step.refuse("the backfill expression fails: " + stillNull.error());
            } else if (stillNull.rows() > 0) {
                step = step.refuse("the backfill expression gives NULL for " + stillNull.rows() + " rows");
            }
            add(4, step);
        }

        private void changeColumn(Pair pair, String table, String source, Catalog.Column current, Catalog.Column column,
                                  FieldDefinition field) {
            String name = column.name();
            String alter = "ALTER TABLE " + q(table) + " ALTER COLUMN " + q(name);
            boolean defaultChanged = !java.util.Objects.equals(current.defaultValue(), column.defaultValue());
            boolean typeChanged = !current.type().equals(column.type());
            if (defaultChanged && current.defaultValue() != null && typeChanged) {
                add(4, step(pair, table, "drop default", name, "drop the default of " + name + " before its type changes",
                        Classification.SAFE, List.of(alter + " DROP DEFAULT"),
                        List.of(alter + " SET DEFAULT " + current.defaultValue()), null, null));
            }
            if (typeChanged) {
                if (widens(current.type(), column.type())) {
                    add(4, step(pair, table, "change type", name, "widen " + name + " from " + current.type() + " to "
                                    + column.type() + " (every value converts)", Classification.SAFE,
                            List.of(alter + " TYPE " + column.type() + " USING " + q(name) + "::" + column.type()),
                            List.of(alter + " TYPE " + current.type() + " USING " + q(name) + "::" + current.type()),
                            null, null));
                } else {
                    String backup = backupName(false);
                    Counted bad = countSafely("SELECT count(*) FROM " + source + " WHERE " + q(name)
                            + " IS NOT NULL AND NOT pg_input_is_valid(" + q(name) + "::text, " + literal(column.type()) + ")");
                    Step step = step(pair, table, "change type", name, "convert " + name + " from " + current.type()
                                    + " to " + column.type() + " through its text form; the old values are kept in "
                                    + backup + " so a rollback restores them exactly", Classification.NEEDS_BACKFILL,
                            List.of("CREATE TABLE " + q(backup) + " AS SELECT id, " + q(name) + " FROM " + q(table),
                                    alter + " TYPE " + column.type() + " USING " + q(name) + "::text::" + column.type()),
                            List.of(alter + " TYPE " + current.type() + " USING " + q(name) + "::text::" + current.type(),
                                    "UPDATE " + q(table) + " SET " + q(name) + " = b." + q(name) + " FROM " + q(backup)
                                            + " b WHERE " + q(table) + ".id = b.id"),
                            bad.error() != null ? bad.error() : bad.rows() + " rows hold a value that is not a valid "
                                    + column.type(), bad.rows());
                    if (bad.error() != null || bad.rows() > 0) {
                        step = step.refuse(bad.error() != null ? "the conversion cannot be checked: " + bad.error()
                                : bad.rows() + " rows hold a value of " + name + " that is not a valid " + column.type());
                    }
                    add(4, step);
                }
            }
            if (column.notNull() && !current.notNull()) {
                Counted nulls = countSafely("SELECT count(*) FROM " + source + " WHERE " + q(name) + " IS NULL");
                String backfill = field == null ? null : field.backfill();
                if (nulls.rows() == 0) {
                    add(4, step(pair, table, "set not null", name, "make " + name + " required", Classification.SAFE,
                            List.of(alter + " SET NOT NULL"), List.of(alter + " DROP NOT NULL"),
                            "no row lacks a value", 0L));
                } else if (backfill == null) {
                    add(4, step(pair, table, "set not null", name, "make " + name + " required", Classification.NEEDS_BACKFILL,
                            List.of(alter + " SET NOT NULL"), List.of(alter + " DROP NOT NULL"),
                            nulls.rows() + " rows have no value", nulls.rows())
                            .refuse(nulls.rows() + " rows have no value for " + name + ": set them, or declare a backfill expression"));
                } else {
                    String backup = backupName(false);
                    add(4, step(pair, table, "set not null", name, "make " + name + " required; " + nulls.rows()
                                    + " rows without a value get backfill " + backfill + " (their ids kept in " + backup + ")",
                            Classification.NEEDS_BACKFILL,
                            List.of("CREATE TABLE " + q(backup) + " AS SELECT id FROM " + q(table) + " WHERE " + q(name) + " IS NULL",
                                    "UPDATE " + q(table) + " SET " + q(name) + " = (" + backfill + ") WHERE " + q(name) + " IS NULL",
                                    alter + " SET NOT NULL"),
                            List.of(alter + " DROP NOT NULL", "UPDATE " + q(table) + " SET " + q(name) + " = NULL FROM "
                                    + q(backup) + " b WHERE " + q(table) + ".id = b.id"),
                            nulls.rows() + " rows backfilled", nulls.rows()));
                }
            } else if (!column.notNull() && current.notNull()) {
                add(4, step(pair, table, "drop not null", name, "make " + name + " optional", Classification.SAFE,
                        List.of(alter + " DROP NOT NULL"), List.of(alter + " SET NOT NULL"), null, null));
            }
            if (defaultChanged && (column.defaultValue() != null || !typeChanged || current.defaultValue() == null)) {
                boolean droppedBefore = current.defaultValue() != null && typeChanged;
                String was = droppedBefore ? null : current.defaultValue();
                add(4, step(pair, table, column.defaultValue() == null ? "drop default" : "set default", name,
                        column.defaultValue() == null ? "drop the default of " + name
                                : "default of " + name + " becomes " + column.defaultValue(), Classification.SAFE,
                        List.of(column.defaultValue() == null ? alter + " DROP DEFAULT" : alter + " SET DEFAULT " + column.defaultValue()),
                        List.of(was == null ? alter + " DROP DEFAULT" : alter + " SET DEFAULT " + was), null, null));
            }
        }

        private void dropColumn(Pair pair, String table, Catalog.Column column) {
            String backup = backupName(false);
            List<String> down = new ArrayList<>();
            down.add("ALTER TABLE " + q(table) + " ADD COLUMN " + q(column.name()) + " " + column.type()
                    + (column.defaultValue() == null ? "" : " DEFAULT " + column.defaultValue()));
            down.add("UPDATE " + q(table) + " SET " + q(column.name()) + " = b." + q(column.name()) + " FROM " + q(backup)
                    + " b WHERE " + q(table) + ".id = b.id");
            if (column.notNull()) {
                down.add("ALTER TABLE " + q(table) + " ALTER COLUMN " + q(column.name()) + " SET NOT NULL");
            }
            Step drop = step(pair, table, "drop column", column.name(), "remove column " + column.name() + " ("
                            + column.describe() + "); its values are kept in backup table " + backup + " until purged",
                    Classification.DESTRUCTIVE,
                    List.of("CREATE TABLE " + q(backup) + " AS SELECT id, " + q(column.name()) + " FROM " + q(table),
                            "ALTER TABLE " + q(table) + " DROP COLUMN " + q(column.name())),
                    down, null, null);
            add(7, column.notNull() && column.defaultValue() == null ? drop : drop.deferred());
        }

        private void addConstraint(Pair pair, String table, String source, Catalog.Constraint constraint) {
            String up = "ALTER TABLE " + q(table) + " ADD CONSTRAINT " + q(constraint.name()) + " " + constraint.definition();
            List<String> down = List.of("ALTER TABLE " + q(table) + " DROP CONSTRAINT " + q(constraint.name()));
            int phase = constraint.kind() == 'f' ? 6 : 5;
            if (source == null) {
                add(phase, step(pair, table, "add constraint", constraint.name(), "add " + kind(constraint) + " "
                        + constraint.name() + ": " + constraint.definition(), Classification.SAFE, List.of(up), down, null, null));
                return;
            }
            Counted violations = switch (constraint.kind()) {
                case 'c' -> countSafely("SELECT count(*) FROM " + source + " WHERE NOT coalesce("
                        + constraint.definition().substring("CHECK ".length()) + ", true)");
                case 'u', 'p' -> countSafely(duplicates(source, constraint.columns()));
                case 'f' -> countSafely(dangling(source, constraint));
                default -> new Counted(0, null);
            };
            String detail = "";
            if (violations.rows() > 0 && constraint.name().endsWith("_status_check")) {
                detail = " (" + tx.fetch("SELECT status, count(*) FROM " + source + " WHERE NOT coalesce("
                        + constraint.definition().substring("CHECK ".length()) + ", true) GROUP BY status ORDER BY status")
                        .stream().map(r -> r.get(1) + " in state " + r.get(0)).reduce((a, b) -> a + ", " + b).orElse("") + ")";
            }
            String what = switch (constraint.kind()) {
                case 'u', 'p' -> "rows duplicate another row's value";
                case 'f' -> "rows refer to no existing record";
                default -> "rows violate it";
            };
            Step step = step(pair, table, "add constraint", constraint.name(), "add " + kind(constraint) + " "
                            + constraint.name() + ": " + constraint.definition(), Classification.SAFE, List.of(up), down,
                    violations.error() != null ? "cannot be checked: " + violations.error()
                            : violations.rows() + " " + what + detail, violations.rows());
            if (violations.error() != null) {
                step = step.refuse("the data check failed: " + violations.error());
            } else if (violations.rows() > 0) {
                step = step.refuse(violations.rows() + " " + what + detail + "; correct them first");
            }
            add(phase, step);
        }

        private void addIndex(Pair pair, String table, String source, Catalog.Index index, long rows) {
            boolean concurrent = rows >= concurrentIndexRows && source != null;
            String up = concurrent ? index.definition().replaceFirst("^CREATE (UNIQUE )?INDEX ", "CREATE $1INDEX CONCURRENTLY ")
                    : index.definition();
            Step step = step(pair, table, "add index", index.name(), "add " + (index.unique() ? "unique " : "")
                    + "index " + index.name() + " on (" + String.join(", ", index.columns()) + ")"
                    + (concurrent ? " concurrently (about " + rows + " rows)" : ""), Classification.SAFE, List.of(up),
                    List.of("DROP INDEX " + q(index.name())), null, null);
            if (index.unique() && source != null) {
                Counted duplicates = countSafely(duplicates(source, index.columns()));
                step = new Step(step.resource(), step.table(), step.action(), step.target(), step.description(),
                        step.classification(), step.up(), step.down(), duplicates.rows() + " rows duplicate another row's value",
                        duplicates.rows(), duplicates.rows() > 0 ? duplicates.rows() + " rows duplicate another row's value; correct them first"
                        : duplicates.error() == null ? null : "the data check failed: " + duplicates.error(), false, false);
            }
            if (concurrent) {
                step = step.concurrently();
            }
            add(5, step);
        }

        private String duplicates(String source, List<String> columns) {
            String list = String.join(", ", columns.stream().map(SchemaPlanner::q).toList());
            String notNull = String.join(" AND ", columns.stream().map(c -> q(c) + " IS NOT NULL").toList());
            return "SELECT coalesce(sum(n - 1), 0) FROM (SELECT count(*) AS n FROM " + source + " WHERE " + notNull
                    + " GROUP BY " + list + " HAVING count(*) > 1) d";
        }

        private String dangling(String source, Catalog.Constraint constraint) {
            Matcher target = REFERENCES.matcher(constraint.definition());
            String column = q(constraint.columns().get(0));
            if (!target.find()) {
                return "SELECT 0";
            }
            String declaredTarget = target.group(1).replace("\"", "");
            String liveTarget = tableRenames.entrySet().stream().filter(e -> e.getValue().equals(declaredTarget))
                    .map(Map.Entry::getKey).findFirst().orElse(declaredTarget);
            if (!live.containsKey(liveTarget)) {
                return "SELECT count(*) FROM " + source + " WHERE " + column + " IS NOT NULL";
            }
            return "SELECT count(*) FROM " + source + " WHERE " + column + " IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "
                    + q(liveTarget) + " t WHERE t.id = src." + column + ")";
        }

        /**
         * The live table as the declared columns name it, for data checks: renamed columns under their new names and
         * added columns with the value they will get.
         */
        private String source(String liveName, Catalog.Table live, Catalog.Table declared, Map<String, String> renames,
                              Pair pair) {
            List<String> extra = new ArrayList<>();
            renames.forEach((from, to) -> extra.add(q(from) + " AS " + q(to)));
            for (Catalog.Column column : declared.columns().values()) {
                boolean renamedTo = renames.containsValue(column.name());
                if (!live.columns().containsKey(column.name()) && !renamedTo) {
                    FieldDefinition field = pair.fieldsByColumn().get(column.name());
                    String value = column.defaultValue() != null ? column.defaultValue()
                            : field != null && field.backfill() != null ? "(" + field.backfill() + ")" : "NULL";
                    extra.add("(" + value + ")::" + column.type() + " AS " + q(column.name()));
                }
            }
            if (extra.isEmpty()) {
                return q(liveName) + " src";
            }
            return "(SELECT *, " + String.join(", ", extra) + " FROM " + q(liveName) + ") src";
        }

        private Step step(Pair pair, String table, String action, String target, String description,
                          Classification classification, List<String> up, List<String> down, String check, Long violations) {
            return new Step(pair.resource(), table, action, target, description, classification, List.copyOf(up),
                    List.copyOf(down), check, violations, null, false, false);
        }

        private long count(String sql) {
            return tx.fetchSingle(sql).get(0, Long.class);
        }

        private Counted countSafely(String sql) {
            tx.execute("savepoint plinth_check");
            try {
                Counted counted = new Counted(tx.fetchSingle(sql).get(0, Long.class), null);
                tx.execute("release savepoint plinth_check");
                return counted;
            } catch (DataAccessException e) {
                tx.execute("rollback to savepoint plinth_check");
                tx.execute("release savepoint plinth_check");
                String message = e.getCause() == null ? e.getMessage() : e.getCause().getMessage();
                return new Counted(-1, message == null ? e.toString() : message.lines().findFirst().orElse(message));
            }
        }

        private String renamed(String definition, Map<String, String> renames) {
            String result = definition;
            for (Map.Entry<String, String> rename : renames.entrySet()) {
                result = Catalog.renameIdentifier(result, rename.getKey(), rename.getValue());
            }
            for (Map.Entry<String, String> rename : tableRenames.entrySet()) {
                result = Catalog.renameIdentifier(result, rename.getKey(), rename.getValue());
            }
            return result;
        }
    }

    private record Counted(long rows, String error) {
    }

    private static String kind(Catalog.Constraint constraint) {
        return switch (constraint.kind()) {
            case 'p' -> "primary key";
            case 'u' -> "unique constraint";
            case 'f' -> "foreign key";
            default -> "check constraint";
        };
    }

    /** A constraint or index name as it reads after the table and column renames of the plan. */
    private static String mapName(String name, String liveTable, String table, Map<String, String> renames, String resource) {
        String mapped = name;
        if (!liveTable.equals(table)) {
            if (mapped.startsWith(liveTable + "_")) {
                mapped = table + mapped.substring(liveTable.length());
            } else if (mapped.startsWith("idx_" + liveTable + "_")) {
                mapped = "idx_" + table + mapped.substring(4 + liveTable.length());
            }
        }
        for (Map.Entry<String, String> rename : renames.entrySet()) {
            for (String suffix : List.of("_check", "_key", "_fkey")) {
                if (mapped.equals(ResourceTable.identifier(table + "_" + rename.getKey() + suffix))) {
                    mapped = table + "_" + rename.getValue() + suffix;
                }
            }
            if (mapped.equals(ResourceTable.identifier("idx_" + resource + "_" + rename.getKey()))) {
                mapped = "idx_" + resource + "_" + rename.getValue();
            }
        }
        return ResourceTable.identifier(mapped);
    }

    /** An index definition without its name and table, to compare two indexes. */
    private static String indexBody(String definition) {
        return INDEX_HEAD.matcher(definition).replaceFirst("CREATE $1INDEX ON ");
    }

    /**
     * Whether every value of type {@code from} converts to {@code to} without loss or failure: a longer varchar, text
     * from varchar, bigint from integer, a numeric with at least as many digits on both sides of the point.
     */
    static boolean widens(String from, String to) {
        Matcher varcharFrom = VARCHAR.matcher(from);
        Matcher varcharTo = VARCHAR.matcher(to);
        if (varcharFrom.matches()) {
            return to.equals("text") || varcharTo.matches()
                    && Integer.parseInt(varcharTo.group(1)) >= Integer.parseInt(varcharFrom.group(1));
        }
        Matcher numericTo = NUMERIC.matcher(to);
        if (from.equals("integer")) {
            return to.equals("bigint") || numericTo.matches() && digitsBeforePoint(numericTo) >= 10;
        }
        if (from.equals("bigint")) {
            return numericTo.matches() && digitsBeforePoint(numericTo) >= 19;
        }
        Matcher numericFrom = NUMERIC.matcher(from);
        if (numericFrom.matches() && numericTo.matches()) {
            return Integer.parseInt(numericTo.group(2)) >= Integer.parseInt(numericFrom.group(2))
                    && digitsBeforePoint(numericTo) >= digitsBeforePoint(numericFrom);
        }
        return false;
    }

    private static final Pattern VARCHAR = Pattern.compile("character varying\\((\\d+)\\)");
    private static final Pattern NUMERIC = Pattern.compile("numeric\\((\\d+),(\\d+)\\)");

    private static int digitsBeforePoint(Matcher numeric) {
        return Integer.parseInt(numeric.group(1)) - Integer.parseInt(numeric.group(2));
    }

    /** CREATE TABLE with the table's columns and every constraint but its foreign keys. */
    private static String createTable(Catalog.Table table) {
        List<String> definitions = new ArrayList<>();
        table.columns().values().forEach(column -> definitions.add(columnDefinition(column)));
        table.constraints().values().stream().filter(c -> c.kind() != 'f')
                .forEach(c -> definitions.add("CONSTRAINT " + q(c.name()) + " " + c.definition()));
        return "CREATE TABLE " + q(table.name()) + " (" + String.join(", ", definitions) + ")";
    }

    /** Runs one statement as is, through JDBC: no templating of '?' or '{' by jOOQ in defaults and expressions. */
    static void execute(DSLContext tx, String sql) {
        tx.connection(connection -> {
            try (java.sql.Statement statement = connection.createStatement()) {
                statement.execute(sql);
            }
        });
    }

    private static String columnDefinition(Catalog.Column column) {
        return q(column.name()) + " " + column.type() + (column.defaultValue() == null ? "" : " DEFAULT " + column.defaultValue())
                + (column.notNull() ? " NOT NULL" : "");
    }

    static String q(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    private static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }

}
