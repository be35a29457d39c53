package io.plinth.schema;

import static io.plinth.schema.SchemaEvolutionTest.BASE;
import static io.plinth.schema.SchemaEvolutionTest.SEED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.plinth.schema.SchemaPlan.Step;
import io.plinth.support.PlinthIntegrationTest;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The rules around applying: all or nothing when a step fails midway, refusals with counts of the rows in the way,
 * destructive steps only on request, a reviewed plan or none, one apply at a time, backups until purged.
 */
class SchemaApplyRulesTest extends PlinthIntegrationTest {

    @Autowired
    DataSource shared;

    private SchemaDatabase seeded() {
        SchemaDatabase db = SchemaDatabase.create(shared);
        db.migrator(BASE).apply(false, null, "test");
        db.run(SEED);
        return db;
    }

    @Test
    void aStepThatFailsMidwayLeavesTheDatabaseExactlyAsBefore() throws Exception {
        try (SchemaDatabase db = seeded()) {
            Map<String, Catalog.Table> schema = db.catalog();
            Map<String, String> data = db.data();
            long versions = db.count("select count(*) from plinth_schema_change");
            String declared = BASE.replace("      name: {type: string, maxLength: 100, required: true}\n",
                            "      name: {type: string, maxLength: 100, required: true}\n      country: {type: string, maxLength: 2}\n")
                    .replace("      legacyName: {type: string, maxLength: 60}\n",
                            "      legacyName: {type: string, maxLength: 60}\n      color: {type: string, maxLength: 20}\n");
            SchemaMigrator migrator = db.migrator(declared, Duration.ofMillis(300));
            List<Step> steps = migrator.plan().steps();
            assertThat(steps).extracting(Step::table).containsExactly("maker", "widget");

            // Another session holds a lock on widget: the maker step runs, the widget step times out waiting.
            try (Connection blocker = db.dataSource.getConnection(); Statement statement = blocker.createStatement()) {
                blocker.setAutoCommit(false);
                statement.execute("lock table widget in access share mode");
                assertThatThrownBy(() -> migrator.apply(false, null, "test"))
                        .hasStackTraceContaining("lock timeout");
                blocker.rollback();
            }

            assertThat(db.catalog()).isEqualTo(schema);
            assertThat(db.data()).isEqualTo(data);
            assertThat(db.count("select count(*) from plinth_schema_change")).isEqualTo(versions);
            assertThat(db.count("select count(*) from pg_class where relname like 'plinth_backup%'")).isZero();
            // Nothing half-done is left behind: the same plan applies cleanly once the lock is gone.
            assertThat(migrator.apply(false, null, "test").applied()).isTrue();
            assertThat(db.count("select count(*) from information_schema.columns where column_name in ('country', 'color')"))
                    .isEqualTo(2);
        }
    }

    @Test
    void tighteningsWithViolatingRowsAreRefusedWithTheirCounts() {
        try (SchemaDatabase db = seeded()) {
            Map<String, Catalog.Table> schema = db.catalog();
            String declared = BASE
                    .replace("label: {type: string, maxLength: 40, required: true}\n      weight",
                            "label: {type: string, maxLength: 5, required: true}\n      weight")
                    .replace("weight: {type: integer, min: 0}", "weight: {type: integer, min: 1}")
                    .replace("states: [DRAFT, ACTIVE, RETIRED]", "states: [DRAFT, RETIRED]")
                    .replace("kind: {type: enum, values: [small, large]}", "kind: {type: enum, values: [small, large], unique: true}")
                    .replace("note: {type: text}", "note: {type: text, required: true}")
                    .replace("code: {type: string, maxLength: 20}", "code: {type: uuid}");
            SchemaMigrator migrator = db.migrator(declared);
            SchemaPlan plan = migrator.plan();

            assertThat(plan.refusals()).extracting(Step::target, Step::violations).containsExactlyInAnyOrder(
                    org.assertj.core.groups.Tuple.tuple("label", 2L),
                    org.assertj.core.groups.Tuple.tuple("note", 2L),
                    org.assertj.core.groups.Tuple.tuple("code", 3L),
                    org.assertj.core.groups.Tuple.tuple("widget_weight_check", 1L),
                    org.assertj.core.groups.Tuple.tuple("widget_status_check", 2L),
                    org.assertj.core.groups.Tuple.tuple("widget_kind_key", 1L));
            assertThat(plan.text()).contains("REFUSED: 2 rows hold a value of label that is not a valid character varying(5)",
                    "REFUSED: 2 rows violate it (2 in state ACTIVE); correct them first",
                    "REFUSED: 1 rows duplicate another row's value; correct them first",
                    "REFUSED: 2 rows have no value for note: set them, or declare a backfill expression");
            assertThatThrownBy(() -> migrator.apply(true, null, "test"))
                    .isInstanceOfSatisfying(SchemaRefusedException.class, e ->
                            assertThat(e.reason()).isEqualTo(SchemaRefusedException.Reason.REFUSED_BY_DATA));
            assertThat(db.catalog()).isEqualTo(schema);

            // A NOT NULL field added to a non-empty table needs a default or a backfill.
            SchemaPlan added = db.migrator(BASE.replace("      title: {type: string, maxLength: 50}\n",
                    "      title: {type: string, maxLength: 50}\n      size: {type: integer, required: true}\n")).plan();
            assertThat(added.refusals()).singleElement().satisfies(step -> {
                assertThat(step.violations()).isEqualTo(2);
                assertThat(step.refused()).isEqualTo("the field is required and 2 existing rows would have no value: "
                        + "declare a default, or a backfill expression");
            });
        }
    }

    @Test
    void destructiveStepsRunOnlyWhenAllowedAndTheirDataWaitsInABackupUntilPurged() {
        try (SchemaDatabase db = seeded()) {
            Map<String, String> data = db.data();
            SchemaMigrator migrator = db.migrator(BASE.replace("      note: {type: text}\n", ""));
            assertThatThrownBy(() -> migrator.apply(false, null, "test"))
                    .isInstanceOfSatisfying(SchemaRefusedException.class, e -> {
                        assertThat(e.reason()).isEqualTo(SchemaRefusedException.Reason.DESTRUCTIVE);
                        assertThat(e.getMessage()).contains("remove column note", "--allow-destructive");
                    });
            assertThat(db.data()).isEqualTo(data);

            SchemaMigrator.Applied applied = migrator.apply(true, null, "test");
            assertThat(applied.plan().version()).isEqualTo(2);
            assertThat(db.count("select count(*) from plinth_backup_v2_1 where note is not null")).isEqualTo(2);
            assertThat(db.dsl.fetchSingle("select classification, applied_by from plinth_schema_change where version = 2")
                    .intoList()).containsExactly("destructive", "test");
            assertThat(db.dsl.fetchSingle("select version, classification from plinth_schema_history "
                    + "where resource = 'widget' and schema_version = 2").intoList()).containsExactly(2, "destructive");

            assertThat(migrator.purgeBackups(null)).contains("plinth_backup_v2_1");
            assertThatThrownBy(() -> migrator.rollback(null, "test"))
                    .isInstanceOfSatisfying(SchemaRefusedException.class, e -> {
                        assertThat(e.reason()).isEqualTo(SchemaRefusedException.Reason.NOT_REVERSIBLE);
                        assertThat(e.getMessage()).contains("backup table plinth_backup_v2_1 was purged");
                    });
        }
    }

    @Test
    void appliesOnlyTheReviewedPlanAndRollsBackSeveralVersionsAtOnce() {
        try (SchemaDatabase db = seeded()) {
            Map<String, Catalog.Table> schema = db.catalog();
            Map<String, String> data = db.data();
            String v2 = BASE.replace("weight: {type: integer, min: 0}", "weight: {type: integer, min: 0, indexed: true}");
            String reviewed = db.migrator(v2).plan().checksum();
            String v3 = v2.replace("      note: {type: text}\n", "");
            assertThatThrownBy(() -> db.migrator(v3).apply(true, reviewed, "test"))
                    .isInstanceOfSatisfying(SchemaRefusedException.class, e ->
                            assertThat(e.reason()).isEqualTo(SchemaRefusedException.Reason.PLAN_CHANGED));
            assertThat(db.migrator(v2).apply(false, reviewed.substring(0, 12), "test").plan().version()).isEqualTo(2);
            assertThat(db.migrator(v3).apply(true, null, "test").plan().version()).isEqualTo(3);

            SchemaMigrator.RolledBack rolledBack = db.migrator(v3).rollback(1, "test");
            assertThat(rolledBack.undone()).containsExactly(3, 2);
            assertThat(db.catalog()).isEqualTo(schema);
            assertThat(db.data()).isEqualTo(data);
            assertThat(db.migrator(BASE).plan().changed()).isFalse();
            assertThatThrownBy(() -> db.migrator(BASE).rollback(5, "test")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("not an applied version before the current one");
            // The next apply gets a new number: versions are never reused.
            assertThat(db.migrator(v2).apply(false, null, "test").plan().version()).isEqualTo(4);
        }
    }

    @Test
    void twoAppliesAtOnceAreSerializedAndTheChangeIsAppliedOnce() throws Exception {
        try (SchemaDatabase db = seeded()) {
            String declared = BASE.replace("weight: {type: integer, min: 0}", "weight: {type: integer, min: 0, max: 500}");
            try (Connection holder = db.dataSource.getConnection(); Statement statement = holder.createStatement()) {
                statement.execute("select pg_advisory_lock(" + SchemaMigrator.SCHEMA_LOCK_KEY + ")");
                CompletableFuture<SchemaMigrator.Applied> first = CompletableFuture.supplyAsync(
                        () -> db.migrator(declared).apply(false, null, "first"));
                CompletableFuture<SchemaMigrator.Applied> second = CompletableFuture.supplyAsync(
                        () -> db.migrator(declared).apply(false, null, "second"));
                await().atMost(Duration.ofSeconds(10)).until(() -> db.count(
                        "select count(*) from pg_locks where locktype = 'advisory' and not granted and database = (select oid from pg_database where datname = current_database())") == 2);
                statement.execute("select pg_advisory_unlock(" + SchemaMigrator.SCHEMA_LOCK_KEY + ")");
                List<SchemaMigrator.Applied> results = List.of(first.get(30, TimeUnit.SECONDS), second.get(30, TimeUnit.SECONDS));
                assertThat(results).filteredOn(SchemaMigrator.Applied::applied).hasSize(1);
                assertThat(results).filteredOn(result -> !result.applied())
                        .singleElement().satisfies(result -> assertThat(result.plan().changed()).isFalse());
            }
            assertThat(db.count("select count(*) from plinth_schema_change")).isEqualTo(2);
            assertThat(db.count("select count(*) from pg_constraint where conname = 'widget_weight_check'")).isEqualTo(1);
        }
    }

    @Test
    void buildsIndexesOnLargeTablesConcurrentlyAfterTheCommit() {
        try (SchemaDatabase db = seeded()) {
            db.dsl.execute("analyze widget");
            String declared = BASE.replace("weight: {type: integer, min: 0}", "weight: {type: integer, min: 0, indexed: true}");
            SchemaMigrator migrator = new SchemaMigrator(SchemaDatabase.declarations(declared), db.dsl,
                    new SchemaProperties(true, Duration.ofSeconds(5), 2L));
            SchemaPlan plan = migrator.plan();
            assertThat(plan.steps()).singleElement().satisfies(step -> {
                assertThat(step.concurrent()).isTrue();
                assertThat(step.up()).containsExactly("CREATE INDEX CONCURRENTLY idx_widget_weight ON widget USING btree (weight)");
            });
            SchemaMigrator.Applied applied = migrator.apply(false, null, "test");
            assertThat(applied.concurrentFailed()).isEmpty();
            assertThat(db.count("select count(*) from pg_index x join pg_class i on i.oid = x.indexrelid "
                    + "where i.relname = 'idx_widget_weight' and x.indisvalid")).isEqualTo(1);
            assertThat(migrator.plan().changed()).isFalse();
        }
    }

    @Test
    void adoptsTablesCreatedBeforeSchemaPlansAndRefusesToTouchADifferentTableItDidNotCreate() {
        try (SchemaDatabase db = SchemaDatabase.create(shared)) {
            // As Plinth created tables before schema plans: straight from jOOQ's DDL, nothing in the history.
            var declarations = SchemaDatabase.declarations(BASE);
            for (var resource : declarations.all()) {
                new ResourceTable(resource).createStatements(db.dsl).forEach(org.jooq.Query::execute);
            }
            for (var resource : declarations.all()) {
                new ResourceTable(resource).foreignKeyStatements(db.dsl,
                        name -> declarations.byName(name).orElseThrow().table()).forEach(org.jooq.Query::execute);
            }
            db.run(SEED);
            SchemaPlan plan = db.migrator(BASE).plan();
            assertThat(plan.steps()).as(plan.text()).isEmpty();
            assertThat(plan.recorded()).containsExactlyInAnyOrder("maker", "tag", "widget", "gadget");
            assertThat(db.migrator(BASE).apply(false, null, "test").applied()).isTrue();
            assertThat(db.migrator(BASE).plan().changed()).isFalse();

            // A table of the same name that Plinth did not create and that differs is refused, not altered.
            db.dsl.execute("create table part (id uuid primary key, serial text)");
            SchemaPlan foreign = db.migrator(BASE + "  part:\n    path: parts\n    fields:\n      serial: {type: string, maxLength: 30}\n").plan();
            assertThat(foreign.refusals()).isNotEmpty().allSatisfy(step -> assertThat(step.refused())
                    .isEqualTo("table part exists but Plinth did not create it, and it differs from the declaration; "
                            + "change it to match, or drop it"));
        }
    }
}
