package io.plinth;

import static org.assertj.core.api.Assertions.assertThat;

import io.plinth.schema.SchemaDatabase;
import io.plinth.support.PlinthIntegrationTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code java -jar plinth.jar schema ...} as an operator runs it (the same entry point, in this JVM), against a
 * database of its own: the plan-review-apply-rollback workflow, its JSON, and every documented exit code.
 */
class SchemaCommandTest extends PlinthIntegrationTest {

    private static final String V1 = """
            resources:
              part:
                path: parts
                fields:
                  serial: {type: string, maxLength: 30, required: true}
                  note: {type: text}
            """;

    @Autowired
    DataSource shared;

    record Result(int code, String out, String err) {
        JsonNode json() {
            return JsonMapper.builder().build().readTree(out);
        }
    }

    private Result schema(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = SchemaCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static String[] with(SchemaDatabase db, Path definitions, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--url", db.url, "--username", "postgres", "--password=postgres", "--definitions", definitions.toString(),
                "--plinth.events.enabled=false"));
        return all.toArray(String[]::new);
    }

    @Test
    void plansAppliesAndRollsBackWithDocumentedExitCodesAndJson() throws IOException {
        Path dir = Files.createTempDirectory("schema-cli-");
        Path definitions = dir.resolve("plinth.yaml");
        Files.writeString(definitions, V1);
        try (SchemaDatabase db = SchemaDatabase.create(shared)) {
            Result plan = schema(with(db, definitions, "plan", "--json"));
            assertThat(plan.code()).as(plan.err()).isEqualTo(SchemaCommand.CHANGES_PENDING);
            JsonNode json = plan.json();
            assertThat(json.get("version").asInt()).isEqualTo(1);
            assertThat(json.get("applicable").asBoolean()).isTrue();
            assertThat(json.get("classification").asString()).isEqualTo("safe");
            assertThat(json.get("steps").get(0).get("action").asString()).isEqualTo("create table");
            assertThat(json.get("steps").get(0).get("up").get(0).asString()).startsWith("CREATE TABLE \"part\"");
            assertThat(json.get("steps").get(0).get("down").get(0).asString()).startsWith("ALTER TABLE \"part\" RENAME TO");
            String checksum = json.get("checksum").asString();

            Result applied = schema(with(db, definitions, "apply", "--json", "--expect", checksum, "--by", "ci deploy"));
            assertThat(applied.code()).as(applied.err()).isEqualTo(SchemaCommand.OK);
            assertThat(applied.json().get("version").asInt()).isEqualTo(1);
            assertThat(schema(with(db, definitions, "plan")).code()).isEqualTo(SchemaCommand.OK);
            assertThat(schema(with(db, definitions, "plan")).out()).contains("nothing to do");
            db.dsl.execute("insert into part (serial, note) values ('S-1', 'kept'), ('S-2', null)");

            // A destructive change: refused without the flag, then applied with it.
            Files.writeString(definitions, V1.replace("      note: {type: text}\n", ""));
            Result destructive = schema(with(db, definitions, "apply"));
            assertThat(destructive.code()).isEqualTo(SchemaCommand.DESTRUCTIVE);
            assertThat(destructive.err()).contains("Refused, nothing was changed", "--allow-destructive");
            Result stale = schema(with(db, definitions, "apply", "--allow-destructive", "--expect", checksum));
            assertThat(stale.code()).isEqualTo(SchemaCommand.PLAN_CHANGED);
            Result removed = schema(with(db, definitions, "apply", "--allow-destructive"));
            assertThat(removed.code()).as(removed.err()).isEqualTo(SchemaCommand.OK);
            assertThat(removed.out()).contains("[destructive] part: remove column note", "Applied as schema version 2.");

            // Refused by the data: a required field without a value for the two rows.
            Files.writeString(definitions, V1.replace("      note: {type: text}\n", "      size: {type: integer, required: true}\n"));
            Result refused = schema(with(db, definitions, "plan", "--json"));
            assertThat(refused.code()).isEqualTo(SchemaCommand.REFUSED_BY_DATA);
            assertThat(refused.json().get("applicable").asBoolean()).isFalse();
            assertThat(schema(with(db, definitions, "apply", "--allow-destructive")).code()).isEqualTo(SchemaCommand.REFUSED_BY_DATA);

            Result history = schema(with(db, definitions, "history", "--json"));
            assertThat(history.code()).isZero();
            assertThat(history.json().get(0).get("version").asInt()).isEqualTo(2);
            assertThat(history.json().get(0).get("classification").asString()).isEqualTo("destructive");
            assertThat(history.json().get(1).get("appliedBy").asString()).isEqualTo("ci deploy");

            Result rollback = schema(with(db, definitions, "rollback", "--json"));
            assertThat(rollback.code()).as(rollback.err()).isZero();
            assertThat(rollback.json().get("undone").get(0).asInt()).isEqualTo(2);
            assertThat(db.count("select count(*) from part where note = 'kept'")).isEqualTo(1);
            Files.writeString(definitions, V1);
            assertThat(schema(with(db, definitions, "plan")).code()).isEqualTo(SchemaCommand.OK);

            Result purged = schema(with(db, definitions, "purge-backups", "--through", "2", "--json"));
            assertThat(purged.code()).isZero();
            assertThat(purged.json().get("dropped").size()).isEqualTo(1);
        }
    }

    @Test
    void badUsageExitsWith64AndSaysWhy() throws IOException {
        assertThat(schema().code()).isEqualTo(SchemaCommand.USAGE);
        Result unknown = schema("migrate");
        assertThat(unknown.code()).isEqualTo(SchemaCommand.USAGE);
        assertThat(unknown.err()).contains("Unknown schema command 'migrate'", "Usage: java -jar plinth.jar schema");
        assertThat(schema("rollback", "--to", "two").err()).contains("--to takes a schema version number, not 'two'");
        assertThat(schema("rollback", "--to", "-1").code()).isEqualTo(SchemaCommand.USAGE);
        assertThat(schema("plan", "--to", "1").err()).contains("--to does not apply to plan");
        assertThat(schema("plan", "--allow-destructive").err()).contains("--allow-destructive applies to apply only");
        assertThat(schema("plan", "--definitions").err()).contains("--definitions needs a value");
        assertThat(schema("plan", "--frobnicate").err()).contains("Unknown option '--frobnicate'");
        assertThat(schema("help").code()).isZero();
    }

    @Test
    void failsWithExitCode1WhenTheDatabaseCannotBeReachedOrTheDefinitionsAreBad() throws IOException {
        Path definitions = Files.createTempFile("schema-cli-", ".yaml");
        Files.writeString(definitions, V1);
        Result unreachable = schema("plan", "--url", "jdbc:postgresql://127.0.0.1:1/none", "--definitions",
                definitions.toString(), "--spring.datasource.hikari.initialization-fail-timeout=1");
        assertThat(unreachable.code()).isEqualTo(SchemaCommand.FAILED);
        assertThat(unreachable.err()).contains("schema plan failed, nothing was changed");
        Files.writeString(definitions, "resources:\n  part:\n    path: parts\n    fields:\n      serial: {type: strng}\n");
        try (SchemaDatabase db = SchemaDatabase.create(shared)) {
            Result bad = schema(with(db, definitions, "plan"));
            assertThat(bad.code()).isEqualTo(SchemaCommand.FAILED);
            assertThat(bad.err()).contains("unknown type 'strng'");
        }
        Path missing = Path.of("target", "no-such-" + UUID.randomUUID() + ".yaml");
        assertThat(schema("plan", "--url", "jdbc:postgresql://127.0.0.1:1/none", "--definitions", missing.toString()).code())
                .isEqualTo(SchemaCommand.FAILED);
    }
}
