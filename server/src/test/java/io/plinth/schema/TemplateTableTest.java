package io.plinth.schema;

import static org.assertj.core.api.Assertions.assertThat;

import io.plinth.support.PlinthIntegrationTest;
import java.util.List;
import java.util.Map;
import org.jooq.DSLContext;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The tables Plinth creates, read back from PostgreSQL's catalog and compared with the design template's DDL. */
class TemplateTableTest extends PlinthIntegrationTest {

    @Autowired
    DSLContext dsl;

    private List<Map<String, Object>> columns(String table) {
        return dsl.fetch("""
                select column_name, data_type, character_maximum_length, is_nullable, column_default
                from information_schema.columns where table_schema = current_schema() and table_name = ?
                order by ordinal_position""", table).intoMaps();
    }

    private List<String> checks(String table) {
        return dsl.fetch("""
                select pg_get_constraintdef(c.oid) from pg_constraint c join pg_class t on t.oid = c.conrelid
                where t.relname = ? and c.contype = 'c' order by c.conname""", table).getValues(0, String.class);
    }

    private List<String> indexes(String table) {
        return dsl.fetch("select indexdef from pg_indexes where schemaname = current_schema() and tablename = ? order by indexname",
                table).getValues(0, String.class);
    }

    private String value(String sql) {
        return String.valueOf(dsl.fetchValue(sql));
    }

    @Test
    void createsEntityNameExactlyAsTheTemplateDeclaresIt() {
        List<Map<String, Object>> columns = columns("entity_name");

        assertThat(columns).extracting(c -> c.get("column_name"))
                .containsExactly("id", "created_at", "updated_at", "field1", "field2", "status", "version", "created_by",
                        "updated_by");
        assertThat(columns.get(0)).containsEntry("data_type", "uuid").containsEntry("is_nullable", "NO")
                .containsEntry("column_default", "gen_random_uuid()");
        assertThat(columns.get(1)).containsEntry("data_type", "timestamp with time zone")
                .containsEntry("is_nullable", "NO").containsEntry("column_default", "now()");
        assertThat(columns.get(2)).containsEntry("data_type", "timestamp with time zone")
                .containsEntry("is_nullable", "NO").containsEntry("column_default", "now()");
        assertThat(columns.get(3)).containsEntry("data_type", "character varying")
                .containsEntry("character_maximum_length", 255).containsEntry("is_nullable", "NO")
                .containsEntry("column_default", null);
        assertThat(columns.get(4)).containsEntry("data_type", "integer").containsEntry("is_nullable", "YES")
                .containsEntry("column_default", null);
        assertThat(columns.get(5)).containsEntry("data_type", "character varying")
                .containsEntry("character_maximum_length", 20).containsEntry("is_nullable", "NO")
                .containsEntry("column_default", "'DRAFT'::character varying");
        // Beyond the template: the record version behind ETags and optimistic concurrency.
        assertThat(columns.get(6)).containsEntry("data_type", "bigint").containsEntry("is_nullable", "NO")
                .containsEntry("column_default", "1");
        // Beyond the template: who created and last changed the record (row rules compare created_by).
        for (Map<String, Object> audit : columns.subList(7, 9)) {
            assertThat(audit).containsEntry("data_type", "character varying")
                    .containsEntry("character_maximum_length", 200).containsEntry("is_nullable", "YES")
                    .containsEntry("column_default", null);
        }

        assertThat(checks("entity_name")).containsExactlyInAnyOrder(
                "CHECK ((field2 >= 0))",
                "CHECK ((version >= 1))",
                "CHECK (((status)::text = ANY (ARRAY[('DRAFT'::character varying)::text, ('ACTIVE'::character varying)::text, ('ARCHIVED'::character varying)::text])))");
        assertThat(indexes("entity_name")).containsExactlyInAnyOrder(
                "CREATE UNIQUE INDEX entity_name_pkey ON public.entity_name USING btree (id)",
                "CREATE INDEX idx_entity_status ON public.entity_name USING btree (status)",
                "CREATE INDEX idx_entity_created_at_id ON public.entity_name USING btree (created_at, id)",
                // Beyond the template: a status filter in the default order reads one page, whatever the other states.
                "CREATE INDEX idx_entity_status_created_at_id ON public.entity_name USING btree (status, created_at, id)");
        assertThat(value("select count(*) from pg_constraint c join pg_class t on t.oid = c.conrelid "
                + "where t.relname = 'entity_name' and c.contype = 'p'")).isEqualTo("1");
    }

    @Test
    void turnsEveryDeclaredConstraintIntoADatabaseConstraint() {
        Map<String, String> types = new java.util.LinkedHashMap<>();
        dsl.fetch("""
                select a.attname, format_type(a.atttypid, a.atttypmod) from pg_attribute a join pg_class c on c.oid = a.attrelid
                where c.relname = 'gadget' and a.attnum > 0 and not a.attisdropped order by a.attnum""")
                .forEach(r -> types.put(r.get(0, String.class), r.get(1, String.class)));
        assertThat(types).containsExactly(
                Map.entry("id", "uuid"), Map.entry("created_at", "timestamp with time zone"),
                Map.entry("updated_at", "timestamp with time zone"), Map.entry("name", "character varying(10)"),
                Map.entry("notes", "text"), Map.entry("quantity", "integer"), Map.entry("serial", "bigint"),
                Map.entry("price", "numeric(7,2)"), Map.entry("active", "boolean"), Map.entry("released_on", "date"),
                Map.entry("seen_at", "timestamp with time zone"), Map.entry("ref", "uuid"),
                Map.entry("color", "character varying(255)"), Map.entry("extra", "jsonb"),
                Map.entry("code", "character varying(8)"), Map.entry("count", "bigint"), Map.entry("ratio", "integer"),
                Map.entry("status", "character varying(20)"), Map.entry("version", "bigint"),
                Map.entry("created_by", "character varying(200)"), Map.entry("updated_by", "character varying(200)"));

        assertThat(checks("gadget")).contains(
                "CHECK ((char_length((name)::text) >= 2))",
                "CHECK ((char_length(notes) <= 20))",
                "CHECK (((quantity >= '-5'::integer) AND (quantity <= 100)))",
                "CHECK (((serial >= 0) AND (serial <= '9000000000'::bigint)))",
                "CHECK (((price >= 0.01) AND (price <= 99999.99)))");
        assertThat(String.join("\n", checks("gadget"))).contains("'RED'", "'GREEN'", "'BLUE'", "'NEW'", "'IN_USE'", "'RETIRED'");
        assertThat(indexes("gadget")).contains(
                "CREATE UNIQUE INDEX gadget_serial_key ON public.gadget USING btree (serial)",
                "CREATE INDEX idx_gadget_quantity_status ON public.gadget USING btree (quantity, status)",
                "CREATE UNIQUE INDEX uq_gadget_serial_released_on ON public.gadget USING btree (serial, released_on)",
                "CREATE INDEX idx_gadget_status ON public.gadget USING btree (status)");
        assertThat(value("select column_default from information_schema.columns where table_name = 'gadget' "
                + "and column_name = 'active'")).isEqualTo("true");
        assertThat(value("select column_default from information_schema.columns where table_name = 'gadget' "
                + "and column_name = 'status'")).isEqualTo("'NEW'::character varying");
    }

    @Test
    void recordsEachCreatedTableInTheSchemaHistory() {
        var rows = dsl.fetch("select resource, table_name, version, up_sql, down_sql from plinth_schema_history "
                + "order by resource = 'entity' desc, resource");
        assertThat(rows.getValues("resource", String.class)).containsExactly("entity", "customer", "gadget", "item", "label", "logEntry", "note", "product", "purchase", "purchaseLine", "ticket");
        assertThat(rows.getValues("version", Integer.class)).containsOnly(1);
        assertThat(rows.get(0).get("up_sql", String.class)).startsWith("CREATE TABLE \"entity_name\" (\"id\" uuid DEFAULT gen_random_uuid() NOT NULL");
        // Undoing the creation keeps the table (and its data) as a backup table rather than dropping it.
        assertThat(rows.get(0).get("down_sql", String.class)).contains("ALTER TABLE \"entity_name\" RENAME TO \"plinth_backup_v1_r");
    }

    @Test
    void theDatabaseItselfRefusesRowsThatBreakTheDeclaration() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() ->
                        dsl.execute("insert into entity_name (field1, field2) values ('x', -1)"))
                .hasMessageContaining("entity_name_field2_check");
        org.assertj.core.api.Assertions.assertThatThrownBy(() ->
                        dsl.execute("insert into entity_name (field1, status) values ('x', 'BOGUS')"))
                .hasMessageContaining("entity_name_status_check");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> dsl.execute("insert into entity_name (field2) values (1)"))
                .hasMessageContaining("field1");
    }
}
