package io.plinth.schema;

import io.plinth.definition.ResourceCatalog;
import io.plinth.definition.ResourceDefinition;
import io.plinth.schema.SchemaPlan.Classification;
import io.plinth.schema.SchemaPlan.Step;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * Plans, applies and rolls back schema changes. Apply and rollback each run in one transaction (PostgreSQL DDL is
 * transactional: all or nothing) under an advisory lock shared by every instance, so two applies at once are
 * serialized and the second finds nothing left to do. Index builds on large tables run CONCURRENTLY after the commit.
 */
public class SchemaMigrator {

    /** Advisory lock key for schema changes: "plinth" as a number, shared by every instance on the database. */
    static final long SCHEMA_LOCK_KEY = 0x706c696e7468L;

    private static final Logger log = LoggerFactory.getLogger(SchemaMigrator.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Pattern UP_BACKUP = Pattern.compile("\"(" + SchemaPlanner.BACKUP_PREFIX + "\\d+_\\d+)\"");

    private final ResourceCatalog catalog;
    private final DSLContext dsl;
    private final SchemaProperties properties;
    private final SchemaPlanner planner;

    public SchemaMigrator(ResourceCatalog catalog, DSLContext dsl, SchemaProperties properties) {
        this.catalog = catalog;
        this.dsl = dsl;
        this.properties = properties;
        this.planner = new SchemaPlanner(catalog, properties.concurrentIndexRows());
    }

    /** The plan that would bring the database to the declarations; changes nothing. */
    public SchemaPlan plan() {
        AtomicReference<SchemaPlan> plan = new AtomicReference<>();
        dsl.transaction(configuration -> plan.set(planner.plan(configuration.dsl())));
        return plan.get();
    }

    /**
     * What an apply did.
     *
     * @param plan             the plan applied (empty when there was nothing to do)
     * @param applied          whether a new schema version was recorded
     * @param concurrentFailed the concurrent index builds that failed after the commit (their invalid index dropped)
     */
    public record Applied(SchemaPlan plan, boolean applied, List<String> concurrentFailed) {
    }

    /**
     * Plans again under the lock and applies the plan in one transaction.
     *
     * @param allowDestructive whether destructive steps may run
     * @param expectChecksum   the reviewed plan's checksum, or null to apply whatever the plan is now
     * @param appliedBy        who, for the history
     * @throws SchemaRefusedException when the plan has refused steps, destructive steps without permission, or is not
     *                                the reviewed one; nothing has changed then
     */
    public Applied apply(boolean allowDestructive, String expectChecksum, String appliedBy) {
        return run(appliedBy, plan -> {
            guardApply(plan, allowDestructive, expectChecksum);
            return plan;
        });
    }

    private static void guardApply(SchemaPlan plan, boolean allowDestructive, String expectChecksum) {
        {
            if (expectChecksum != null && !expectChecksum.equalsIgnoreCase(plan.checksum())
                    && !(expectChecksum.length() >= 12 && plan.checksum().startsWith(expectChecksum.toLowerCase(java.util.Locale.ROOT)))) {
                throw new SchemaRefusedException(SchemaRefusedException.Reason.PLAN_CHANGED, "The plan is not the "
                        + "reviewed one: expected checksum " + expectChecksum + ", the plan now is " + plan.checksum(), plan);
            }
            refuseUnlessApplicable(plan);
            if (plan.classification() == Classification.DESTRUCTIVE && !allowDestructive) {
                throw new SchemaRefusedException(SchemaRefusedException.Reason.DESTRUCTIVE, "The plan has destructive "
                        + "steps (" + plan.steps().stream().filter(s -> s.classification() == Classification.DESTRUCTIVE)
                        .map(Step::description).collect(Collectors.joining("; ")) + "); apply it with --allow-destructive", plan);
            }
        }
    }

    /**
     * Start-up: applies a plan of safe steps when {@code autoApply}, records a changed declaration that needs no SQL,
     * and otherwise refuses to start with the plan.
     */
    public Applied startUp(boolean autoApply) {
        return run("plinth start-up", plan -> {
            SchemaPlan now = plan.withoutDeferrable(resource -> catalog.byName(resource).isPresent());
            if (now.steps().isEmpty()) {
                return now;
            }
            if (!autoApply || !now.refusals().isEmpty() || now.classification() != Classification.SAFE) {
                throw new SchemaMismatchException(now, autoApply);
            }
            return now;
        });
    }

    private Applied run(String appliedBy, java.util.function.UnaryOperator<SchemaPlan> guard) {
        AtomicReference<SchemaPlan> applied = new AtomicReference<>();
        dsl.transaction(configuration -> {
            DSLContext tx = configuration.dsl();
            tx.execute("set local lock_timeout = '" + properties.lockTimeout().toMillis() + "ms'");
            tx.fetch("select pg_advisory_xact_lock(" + SCHEMA_LOCK_KEY + ")");
            SchemaPlan plan = guard.apply(planner.plan(tx));
            applied.set(plan);
            plan.notes().stream().filter(note -> note.startsWith("left for schema apply"))
                    .forEach(note -> log.atWarn().log("Schema plan step {}", note));
            if (!plan.changed()) {
                return;
            }
            for (Step step : plan.transactional()) {
                for (String sql : step.up()) {
                    execute(tx, sql);
                }
                log.atInfo().addKeyValue("resource", step.resource()).addKeyValue("schemaVersion", plan.version())
                        .log("Schema step [{}]: {}", step.classification().label(), step.description());
            }
            record(tx, plan, appliedBy);
        });
        SchemaPlan plan = applied.get();
        List<String> failed = new ArrayList<>();
        for (Step step : plan.concurrent()) {
            try {
                // Outside any transaction (autocommit), as CREATE INDEX CONCURRENTLY requires.
                execute(dsl, step.up().get(0));
                log.atInfo().addKeyValue("resource", step.resource()).log("Schema step (concurrent): {}", step.description());
            } catch (RuntimeException e) {
                failed.add(step.target() + ": " + rootMessage(e));
                log.atError().addKeyValue("resource", step.resource()).setCause(e)
                        .log("Concurrent index build {} failed; its invalid index is dropped and the next plan builds it again", step.target());
                dsl.execute("DROP INDEX CONCURRENTLY IF EXISTS " + SchemaPlanner.q(step.target()));
            }
        }
        if (plan.changed()) {
            log.atInfo().addKeyValue("schemaVersion", plan.version())
                    .log("Applied schema version {} ({} steps, {})", plan.version(), plan.steps().size(),
                            plan.classification() == null ? "no SQL" : plan.classification().label());
        }
        return new Applied(plan, plan.changed(), List.copyOf(failed));
    }

    private static void refuseUnlessApplicable(SchemaPlan plan) {
        if (!plan.refusals().isEmpty()) {
            throw new SchemaRefusedException(SchemaRefusedException.Reason.REFUSED_BY_DATA, "The plan cannot be applied: "
                    + plan.refusals().stream().map(s -> s.resource() + ": " + s.description() + ": " + s.refused())
                    .collect(Collectors.joining("; ")), plan);
        }
    }

    private void record(DSLContext tx, SchemaPlan plan, String appliedBy) {
        List<String> down = plan.downStatements();
        String classification = plan.classification() == null ? Classification.SAFE.label() : plan.classification().label();
        tx.execute("""
                insert into plinth_schema_change (version, classification, plan_checksum, steps, up_sql, down_sql,
                    down_statements, applied_by) values (?, ?, ?, ?::jsonb, ?, ?, ?::jsonb, ?)""",
                plan.version(), classification, plan.checksum(),
                JSON.writeValueAsString(plan.steps().stream().map(Step::json).toList()),
                sqlText(plan.steps().stream().flatMap(s -> s.up().stream()).toList()), sqlText(down),
                JSON.writeValueAsString(down), appliedBy);
        Map<String, SchemaPlanner.Recorded> history = SchemaPlanner.history(tx);
        for (String resource : plan.recorded()) {
            List<Step> steps = plan.steps().stream().filter(s -> s.resource().equals(resource)).toList();
            List<String> resourceDown = new ArrayList<>();
            for (int i = steps.size() - 1; i >= 0; i--) {
                resourceDown.addAll(steps.get(i).down());
            }
            ResourceDefinition declared = catalog.byName(resource).orElse(null);
            String classificationOf = steps.stream().map(Step::classification).max(Enum::compareTo)
                    .orElse(Classification.SAFE).label();
            TableShape shape = declared == null ? null : TableShape.of(declared);
            String table = declared != null ? declared.table() : history.get(resource).table();
            tx.execute("""
                    insert into plinth_schema_history (resource, table_name, version, checksum, shape, up_sql, down_sql,
                        applied_by, schema_version, classification, removed)
                    values (?, ?, (select coalesce(max(version), 0) + 1 from plinth_schema_history where resource = ?),
                        ?, ?, ?, ?, ?, ?, ?, ?)""",
                    resource, table, resource,
                    shape == null ? TableShape.removed().checksum() : shape.checksum(),
                    shape == null ? TableShape.removed().text() : shape.text(),
                    sqlText(steps.stream().flatMap(s -> s.up().stream()).toList()), sqlText(resourceDown),
                    appliedBy, plan.version(), classificationOf, declared == null);
        }
    }

    /**
     * What a rollback did.
     *
     * @param from the version that was current
     * @param to   the version now current (0: none)
     * @param undone the versions undone, newest first
     */
    public record RolledBack(int from, int to, List<Integer> undone) {
    }

    /**
     * Undoes the applied versions after {@code to} (default: the latest one), newest first, in one transaction, with
     * their recorded down SQL. Data that a destructive step removed comes back from its backup table.
     *
     * @throws SchemaRefusedException when a version in the way cannot be undone or its backup tables were purged
     * @throws IllegalArgumentException when {@code to} is not an earlier applied version
     */
    public RolledBack rollback(Integer to, String by) {
        AtomicReference<RolledBack> result = new AtomicReference<>();
        dsl.transaction(configuration -> {
            DSLContext tx = configuration.dsl();
            tx.execute("set local lock_timeout = '" + properties.lockTimeout().toMillis() + "ms'");
            tx.fetch("select pg_advisory_xact_lock(" + SCHEMA_LOCK_KEY + ")");
            List<Record> applied = tx.fetch("""
                    select version, down_statements::text, reversible from plinth_schema_change
                    where rolled_back_at is null order by version desc""");
            if (applied.isEmpty()) {
                throw new IllegalArgumentException("No schema version has been applied, so there is nothing to roll back");
            }
            int current = applied.get(0).get(0, Integer.class);
            int target = to != null ? to : applied.size() > 1 ? applied.get(1).get(0, Integer.class) : 0;
            if (target >= current || target < 0
                    || target > 0 && applied.stream().noneMatch(r -> r.get(0, Integer.class) == target)) {
                throw new IllegalArgumentException("Version " + target + " is not an applied version before the current one ("
                        + current + "); applied: " + applied.stream().map(r -> r.get(0, Integer.class).toString())
                        .collect(Collectors.joining(", ")));
            }
            List<Integer> undone = new ArrayList<>();
            for (Record version : applied) {
                int number = version.get(0, Integer.class);
                if (number <= target) {
                    break;
                }
                if (!version.get(2, Boolean.class)) {
                    throw new SchemaRefusedException(SchemaRefusedException.Reason.NOT_REVERSIBLE, "Version " + number
                            + " holds the tables created before schema plans existed and cannot be rolled back", null);
                }
                List<String> down = List.of(JSON.readValue(version.get(1, String.class), String[].class));
                for (String backup : backupsRead(down)) {
                    if (!Catalog.tablesStartingWith(tx, tx.fetchSingle("select current_schema()").get(0, String.class), backup)
                            .contains(backup)) {
                        throw new SchemaRefusedException(SchemaRefusedException.Reason.NOT_REVERSIBLE, "Version " + number
                                + " cannot be rolled back: its backup table " + backup + " was purged", null);
                    }
                }
                for (String sql : down) {
                    execute(tx, sql);
                }
                tx.execute("update plinth_schema_change set rolled_back_at = now(), rolled_back_by = ? where version = ?",
                        by, number);
                undone.add(number);
                log.atInfo().addKeyValue("schemaVersion", number).log("Rolled back schema version {}", number);
            }
            result.set(new RolledBack(current, target, List.copyOf(undone)));
        });
        return result.get();
    }

    /** The applied schema versions, newest first, with their steps and whether they were rolled back. */
    public List<Map<String, Object>> history() {
        List<Map<String, Object>> versions = new ArrayList<>();
        for (Record row : dsl.fetch("""
                select c.version, c.classification, c.plan_checksum, c.applied_by, c.applied_at, c.rolled_back_at,
                       c.rolled_back_by, c.reversible, c.steps::text, c.up_sql, c.down_sql,
                       (select coalesce(json_agg(json_build_object('resource', h.resource, 'version', h.version,
                           'removed', h.removed) order by h.resource), '[]') from plinth_schema_history h
                        where h.schema_version = c.version)::text
                from plinth_schema_change c order by c.version desc""")) {
            Map<String, Object> version = new LinkedHashMap<>();
            version.put("version", row.get(0, Integer.class));
            version.put("classification", row.get(1, String.class));
            version.put("checksum", row.get(2, String.class));
            version.put("appliedBy", row.get(3, String.class));
            version.put("appliedAt", String.valueOf(row.get(4)));
            version.put("rolledBackAt", row.get(5) == null ? null : String.valueOf(row.get(5)));
            version.put("rolledBackBy", row.get(6, String.class));
            version.put("reversible", row.get(7, Boolean.class));
            version.put("resources", JSON.readValue(row.get(11, String.class), Object.class));
            version.put("steps", JSON.readValue(row.get(8, String.class), Object.class));
            version.put("upSql", row.get(9, String.class));
            version.put("downSql", row.get(10, String.class));
            versions.add(version);
        }
        return versions;
    }

    /**
     * Drops the backup tables of versions up to and including {@code through} (all when null). Rolling back past a
     * purged version is refused afterwards.
     *
     * @return the tables dropped
     */
    public List<String> purgeBackups(Integer through) {
        List<String> dropped = new ArrayList<>();
        dsl.transaction(configuration -> {
            DSLContext tx = configuration.dsl();
            tx.fetch("select pg_advisory_xact_lock(" + SCHEMA_LOCK_KEY + ")");
            String schema = tx.fetchSingle("select current_schema()").get(0, String.class);
            for (String table : Catalog.tablesStartingWith(tx, schema, SchemaPlanner.BACKUP_PREFIX)) {
                Matcher version = Pattern.compile(Pattern.quote(SchemaPlanner.BACKUP_PREFIX) + "(\\d+)_").matcher(table);
                if (version.lookingAt() && (through == null || Integer.parseInt(version.group(1)) <= through)) {
                    execute(tx, "DROP TABLE " + SchemaPlanner.q(table));
                    dropped.add(table);
                }
            }
        });
        return dropped;
    }

    /** The backup tables made by an up that these down statements read or rename back. */
    private static List<String> backupsRead(List<String> down) {
        List<String> names = new ArrayList<>();
        for (String sql : down) {
            Matcher matcher = UP_BACKUP.matcher(sql);
            while (matcher.find()) {
                if (!sql.startsWith("CREATE TABLE \"" + matcher.group(1) + "\"") && !names.contains(matcher.group(1))) {
                    names.add(matcher.group(1));
                }
            }
        }
        return names;
    }

    private static void execute(DSLContext tx, String sql) {
        SchemaPlanner.execute(tx, sql);
    }

    private static String sqlText(List<String> statements) {
        return statements.stream().map(s -> s + ";").collect(Collectors.joining("\n"));
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return String.valueOf(root.getMessage());
    }
}
