package io.plinth.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.plinth.schema.SchemaPlan.Classification;
import io.plinth.support.PlinthIntegrationTest;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Each kind of declaration change, applied up and down on tables holding data, each in a database of its own: the plan
 * classifies it, applying it leaves nothing to plan, and rolling it back leaves the schema (read from PostgreSQL's
 * catalog) and every row exactly as before — including data a destructive step removed.
 */
class SchemaEvolutionTest extends PlinthIntegrationTest {

    static final String BASE = """
            resources:
              maker:
                path: makers
                fields:
                  name: {type: string, maxLength: 100, required: true}
              tag:
                path: tags
                fields:
                  label: {type: string, maxLength: 40, required: true}
              widget:
                path: widgets
                lifecycle:
                  states: [DRAFT, ACTIVE, RETIRED]
                  initial: DRAFT
                fields:
                  label: {type: string, maxLength: 40, required: true}
                  weight: {type: integer, min: 0}
                  note: {type: text}
                  kind: {type: enum, values: [small, large]}
                  code: {type: string, maxLength: 20}
                  legacyName: {type: string, maxLength: 60}
                  maker: {type: reference, to: maker}
                  tags: {type: references, to: tag}
              gadget:
                path: gadgets
                fields:
                  title: {type: string, maxLength: 50}
            """;

    static final String SEED = """
            insert into maker (id, name) values ('00000000-0000-0000-0000-00000000000a', 'Acme'),
                ('00000000-0000-0000-0000-00000000000b', 'Globex');
            insert into tag (id, label) values ('00000000-0000-0000-0000-0000000000a1', 'red'),
                ('00000000-0000-0000-0000-0000000000a2', 'blue'), ('00000000-0000-0000-0000-0000000000a3', 'green');
            insert into widget (id, label, weight, note, kind, code, legacy_name, maker, status) values
                ('00000000-0000-0000-0000-000000000001', 'first', 5, 'a note', 'small', '007', 'Old one', '00000000-0000-0000-0000-00000000000a', 'DRAFT'),
                ('00000000-0000-0000-0000-000000000002', 'second', null, null, 'large', '12', null, '00000000-0000-0000-0000-00000000000b', 'ACTIVE'),
                ('00000000-0000-0000-0000-000000000003', 'third', 40, 'another', null, null, 'Old three', null, 'ACTIVE'),
                ('00000000-0000-0000-0000-000000000004', 'fourth', 0, null, 'small', '40', null, '00000000-0000-0000-0000-00000000000a', 'DRAFT');
            insert into widget_tags (widget_id, tag_id, position) values
                ('00000000-0000-0000-0000-000000000001', '00000000-0000-0000-0000-0000000000a1', 0),
                ('00000000-0000-0000-0000-000000000001', '00000000-0000-0000-0000-0000000000a2', 1),
                ('00000000-0000-0000-0000-000000000003', '00000000-0000-0000-0000-0000000000a3', 0);
            insert into gadget (title) values ('kept'), ('also kept');
            """;

    @Autowired
    DataSource shared;

    record Change(String name, UnaryOperator<String> declare, Classification classification, Consumer<SchemaDatabase> after) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> changes() {
        return Stream.of(
                change("add an optional field", add("      color: {type: string, maxLength: 20}"), Classification.SAFE,
                        db -> assertThat(db.count("select count(*) from widget where color is null")).isEqualTo(4)),
                change("add a required field with a default", add("      priority: {type: integer, required: true, default: 3}"),
                        Classification.SAFE,
                        db -> assertThat(db.count("select count(*) from widget where priority = 3")).isEqualTo(4)),
                change("add a required field with a backfill",
                        add("      slug: {type: string, maxLength: 80, required: true, backfill: \"'w-' || label\"}"),
                        Classification.NEEDS_BACKFILL,
                        db -> assertThat(db.count("select count(*) from widget where slug = 'w-' || label")).isEqualTo(4)),
                change("remove a field", s -> s.replace("      note: {type: text}\n", ""), Classification.DESTRUCTIVE,
                        db -> assertThat(db.count("select count(*) from information_schema.columns where table_name = 'widget' "
                                + "and column_name = 'note'")).isZero()),
                change("rename a field", s -> s.replace("legacyName: {type: string, maxLength: 60}",
                                "displayName: {type: string, maxLength: 60, renamedFrom: legacyName}"), Classification.SAFE,
                        db -> assertThat(db.count("select count(*) from widget where display_name like 'Old %'")).isEqualTo(2)),
                change("widen a type", s -> s.replace("label: {type: string, maxLength: 40, required: true}\n      weight",
                                "label: {type: string, maxLength: 80, required: true}\n      weight"), Classification.SAFE,
                        db -> assertThat(db.count("select count(*) from information_schema.columns where table_name = 'widget' "
                                + "and column_name = 'label' and character_maximum_length = 80")).isEqualTo(1)),
                change("convert a type", s -> s.replace("code: {type: string, maxLength: 20}", "code: {type: integer}"),
                        Classification.NEEDS_BACKFILL,
                        db -> assertThat(db.count("select sum(code) from widget")).isEqualTo(7 + 12 + 40)),
                change("change a constraint", s -> s.replace("weight: {type: integer, min: 0}", "weight: {type: integer, min: 0, max: 1000}"),
                        Classification.SAFE, db -> assertThatThrownBy(() -> db.dsl.execute("update widget set weight = 1001"))
                                .hasMessageContaining("widget_weight_check")),
                change("add an enum value", s -> s.replace("values: [small, large]", "values: [small, medium, large]"),
                        Classification.SAFE, db -> db.acceptsAndUndo("update widget set kind = 'medium' where label = 'third'")),
                change("make a field unique", s -> s.replace("code: {type: string, maxLength: 20}", "code: {type: string, maxLength: 20, unique: true}"),
                        Classification.SAFE, db -> assertThat(db.count("select count(*) from pg_constraint where conname = 'widget_code_key'")).isEqualTo(1)),
                change("add indexes", s -> s.replace("weight: {type: integer, min: 0}", "weight: {type: integer, min: 0, indexed: true}")
                                .replace("      tags: {type: references, to: tag}\n", "      tags: {type: references, to: tag}\n    indexes:\n      - [weight, status]\n      - {fields: [label, kind], unique: true}\n"),
                        Classification.SAFE, db -> assertThat(db.count("select count(*) from pg_indexes where tablename = 'widget' "
                                + "and indexname in ('idx_widget_weight', 'idx_widget_weight_status', 'uq_widget_label_kind')")).isEqualTo(3)),
                change("add a lifecycle state and remove an unused one", s -> s.replace("states: [DRAFT, ACTIVE, RETIRED]", "states: [DRAFT, ACTIVE, ARCHIVED]"),
                        Classification.SAFE, db -> db.acceptsAndUndo("update widget set status = 'ARCHIVED' where label = 'first'")),
                change("change the initial state", s -> s.replace("initial: DRAFT", "initial: ACTIVE"), Classification.SAFE,
                        db -> assertThat(db.count("select count(*) from information_schema.columns where table_name = 'widget' "
                                + "and column_name = 'status' and column_default like '''ACTIVE''%'")).isEqualTo(1)),
                change("change a reference's delete rule", s -> s.replace("maker: {type: reference, to: maker}", "maker: {type: reference, to: maker, onDelete: setNull}"),
                        Classification.SAFE, db -> db.undone(tx -> {
                            tx.execute("delete from maker where name = 'Acme'");
                            assertThat(tx.fetchSingle("select count(*) from widget where maker is null").get(0, Long.class)).isEqualTo(3);
                        })),
                change("add a reference field", add("      owner: {type: reference, to: maker}"), Classification.SAFE,
                        db -> assertThatThrownBy(() -> db.dsl.execute("update widget set owner = gen_random_uuid()"))
                                .hasMessageContaining("widget_owner_fkey")),
                change("add a references field", add("      parts: {type: references, to: gadget}"), Classification.SAFE,
                        db -> assertThat(db.count("select count(*) from widget_parts")).isZero()),
                change("remove a references field", s -> s.replace("      tags: {type: references, to: tag}\n", ""), Classification.DESTRUCTIVE,
                        db -> assertThat(db.count("select count(*) from pg_class where relname = 'widget_tags'")).isZero()),
                change("add a resource", s -> s + "  part:\n    path: parts\n    fields:\n      serial: {type: string, maxLength: 30, unique: true}\n      widget: {type: reference, to: widget, onDelete: cascade}\n",
                        Classification.SAFE, db -> assertThat(db.count("select count(*) from part")).isZero()),
                change("remove a resource", s -> s.substring(0, s.indexOf("  gadget:")), Classification.DESTRUCTIVE,
                        db -> assertThat(db.count("select count(*) from pg_class where relname = 'gadget'")).isZero()),
                change("make a field required with a backfill", s -> s.replace("weight: {type: integer, min: 0}",
                                "weight: {type: integer, min: 0, required: true, backfill: \"0\"}"), Classification.NEEDS_BACKFILL,
                        db -> assertThat(db.count("select count(*) from widget where weight is null")).isZero()),
                change("make a field optional", s -> s.replace("label: {type: string, maxLength: 40, required: true}\n      weight",
                                "label: {type: string, maxLength: 40}\n      weight"), Classification.SAFE,
                        db -> db.acceptsAndUndo("update widget set label = null where label = 'first'")),
                change("change a default", s -> s.replace("weight: {type: integer, min: 0}", "weight: {type: integer, min: 0, default: 5}"),
                        Classification.SAFE, db -> assertThat(db.count("select count(*) from information_schema.columns where "
                                + "table_name = 'widget' and column_name = 'weight' and column_default = '5'")).isEqualTo(1)),
                change("rename a table", s -> s.replace("  widget:\n    path: widgets\n", "  widget:\n    path: widgets\n    table: widgets\n"),
                        Classification.SAFE, db -> assertThat(db.count("select count(*) from widgets")).isEqualTo(4)));
    }

    private static Arguments change(String name, UnaryOperator<String> declare, Classification classification,
                                    Consumer<SchemaDatabase> after) {
        return Arguments.of(new Change(name, declare, classification, after));
    }

    /** Adds a field line at the end of widget's fields. */
    private static UnaryOperator<String> add(String fieldLine) {
        return s -> s.replace("      tags: {type: references, to: tag}\n", "      tags: {type: references, to: tag}\n" + fieldLine + "\n");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("changes")
    void appliesAndRollsBackLosslessly(Change change) {
        try (SchemaDatabase db = SchemaDatabase.create(shared)) {
            SchemaMigrator before = db.migrator(BASE);
            assertThat(before.apply(false, null, "test").applied()).isTrue();
            for (String statement : SEED.split(";\n")) {
                if (!statement.isBlank()) {
                    db.dsl.execute(statement);
                }
            }
            Map<String, Catalog.Table> schemaBefore = db.catalog();
            Map<String, String> dataBefore = db.data();
            assertThat(before.plan().changed()).as("v1 applied leaves nothing to plan").isFalse();

            String declared = change.declare().apply(BASE);
            assertThat(declared).as("the change edits the declaration").isNotEqualTo(BASE);
            SchemaMigrator after = db.migrator(declared);
            SchemaPlan plan = after.plan();
            assertThat(plan.refusals()).as(plan.text()).isEmpty();
            assertThat(plan.classification()).as(plan.text()).isEqualTo(change.classification());

            SchemaMigrator.Applied applied = after.apply(true, plan.checksum(), "test");
            assertThat(applied.applied()).isTrue();
            assertThat(after.plan().changed()).as("after applying: " + after.plan().text()).isFalse();
            change.after().accept(db);

            SchemaMigrator.RolledBack rolledBack = after.rollback(null, "test");
            assertThat(rolledBack.undone()).containsExactly(2);
            assertThat(before.plan().changed()).as("after rollback, v1 matches again: " + before.plan().text()).isFalse();
            assertThat(db.catalog()).isEqualTo(schemaBefore);
            assertThat(db.data()).isEqualTo(dataBefore);
        }
    }
}
