package io.plinth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static io.plinth.support.StandaloneApps.http;
import static io.plinth.support.StandaloneApps.newDataDir;

import io.plinth.embedded.EmbeddedPostgresServer;
import io.plinth.support.Http;
import io.plinth.support.Http.Response;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * Plinth started and stopped as a whole application, each time on a data directory of its own: restarts keep records,
 * a database that goes away is reported and answered with 503, and start-up refuses bad or changed definitions.
 */
class StandaloneLifecycleTest {

    /**
     * These applications run in the JVM of the shared test instance, whose embedded queue owns ElasticMQ's one storage
     * pool per JVM; events are tested elsewhere (EventsTest, EventDeliveryTest), so they are off here.
     */
    private static ConfigurableApplicationContext start(Path dataDir, String... extra) {
        String[] args = java.util.Arrays.copyOf(extra, extra.length + 1);
        args[extra.length] = "--plinth.events.enabled=false";
        return io.plinth.support.StandaloneApps.start(dataDir, args);
    }




    @Test
    void keepsEveryRecordAcrossARestartOnTheSameDataDirectory() throws IOException {
        Path dataDir = newDataDir("standalone-");
        JsonNode created;
        try (ConfigurableApplicationContext first = start(dataDir)) {
            Response response = http(first).postJson("/api/v1/entities", "{\"field1\":\"survives\",\"field2\":7}");
            assertThat(response.status()).isEqualTo(201);
            created = response.json();
        }
        assertThat(dataDir.resolve("postgres/PG_VERSION")).exists();
        assertThat(dataDir.resolve("postgres/postmaster.pid")).doesNotExist();

        try (ConfigurableApplicationContext second = start(dataDir)) {
            Response fetched = http(second).get("/api/v1/entities/" + created.get("id").asString());
            assertThat(fetched.status()).isEqualTo(200);
            assertThat(fetched.json()).isEqualTo(created);
        }
    }

    @Test
    void bringsATableCreatedByAnEarlierPlinthUpToDateWithItsNewerColumnsAndIndexes() throws IOException {
        Path dataDir = newDataDir("standalone-");
        String earlier;
        try (ConfigurableApplicationContext first = start(dataDir)) {
            earlier = http(first).postJson("/api/v1/entities", "{\"field1\":\"before\"}").json().get("id").asString();
            // As an earlier Plinth left it: without the audit columns and the (status, created_at, id) index, nor
            // their lines in the recorded shape.
            org.jooq.DSLContext dsl = first.getBean(org.jooq.DSLContext.class);
            dsl.execute("drop index idx_entity_status_created_at_id");
            dsl.execute("alter table entity_name drop column created_by, drop column updated_by");
            dsl.execute("update plinth_schema_history set shape = replace(replace(replace(shape, "
                    + "E'\\nindex status, created_at, id', ''), E'\\ncolumn created_by varchar(200) null', ''), "
                    + "E'\\ncolumn updated_by varchar(200) null', ''), "
                    + "checksum = 'from an earlier Plinth' where resource = 'entity'");
        }
        try (ConfigurableApplicationContext second = start(dataDir)) {
            org.jooq.DSLContext dsl = second.getBean(org.jooq.DSLContext.class);
            assertThat(dsl.fetchValue("select count(*) from pg_indexes where indexname = 'idx_entity_status_created_at_id'"))
                    .isEqualTo(1L);
            assertThat(dsl.fetch("select version, up_sql from plinth_schema_history where resource = 'entity' order by version")
                    .getValues(1, String.class)).hasSize(2).last().asString().contains("idx_entity_status_created_at_id");
            assertThat(http(second).postJson("/api/v1/entities", "{\"field1\":\"after\"}").json()
                    .get("createdBy").asString()).isEqualTo("admin");
            // Records from before the audit columns have no recorded author.
            assertThat(http(second).get("/api/v1/entities/" + earlier).json().get("createdBy").isNull()).isTrue();
        }
    }

    @Test
    void reportsTheDatabaseDownAnswers503AndKeepsCommittedRecords() throws Exception {
        Path dataDir = newDataDir("standalone-");
        String id;
        try (ConfigurableApplicationContext app = start(dataDir)) {
            Http http = http(app);
            id = http.postJson("/api/v1/entities", "{\"field1\":\"committed\"}").json().get("id").asString();

            // An immediate shutdown (SIGQUIT): PostgreSQL stops at once, without a checkpoint, as in a crash.
            long pid = Long.parseLong(Files.readAllLines(app.getBean(EmbeddedPostgresServer.class).directory()
                    .resolve("postmaster.pid")).getFirst().trim());
            new ProcessBuilder("kill", "-QUIT", Long.toString(pid)).start().waitFor();
            await().atMost(Duration.ofSeconds(30)).until(() -> ProcessHandle.of(pid).isEmpty());

            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(http.get("/actuator/health/readiness").status()).isEqualTo(503));
            assertThat(http.get("/actuator/health/readiness").json().get("status").asString()).isEqualTo("DOWN");
            assertThat(http.get("/actuator/health/liveness").status()).isEqualTo(200);

            Response write = http.postJson("/api/v1/entities", "{\"field1\":\"lost?\"}");
            assertThat(write.status()).isEqualTo(503);
            assertThat(write.header("Retry-After")).isEqualTo("2");
            assertThat(write.json().get("code").asString()).isEqualTo("SERVICE_UNAVAILABLE");
            assertThat(write.text()).doesNotContain("Exception", "jdbc", "Connection to");
            Response read = http.get("/api/v1/entities/" + id);
            assertThat(read.status()).isEqualTo(503);
            assertThat(read.json().get("code").asString()).isEqualTo("SERVICE_UNAVAILABLE");
        }

        try (ConfigurableApplicationContext restarted = start(dataDir)) {
            Response fetched = http(restarted).get("/api/v1/entities/" + id);
            assertThat(fetched.status()).isEqualTo(200);
            assertThat(fetched.json().get("field1").asString()).isEqualTo("committed");
        }
    }

    @Test
    void usesAConfiguredDatabaseStartsNothingEmbeddedAndSharesItWithOtherInstances() throws IOException {
        try (ConfigurableApplicationContext first = start(newDataDir("standalone-"))) {
            EmbeddedPostgresServer database = first.getBean(EmbeddedPostgresServer.class);
            String url = "jdbc:postgresql://localhost:" + database.port() + "/postgres";
            Path unused = newDataDir("standalone-");
            // PLINTH_DATABASE_* given as properties here; as environment variables they resolve the same way.
            try (ConfigurableApplicationContext second = start(unused, "--PLINTH_DATABASE_URL=" + url,
                    "--PLINTH_DATABASE_USERNAME=postgres", "--PLINTH_DATABASE_PASSWORD=postgres")) {
                assertThat(second.getBeansOfType(EmbeddedPostgresServer.class)).isEmpty();
                assertThat(unused.resolve("postgres")).doesNotExist();

                String id = http(second).postJson("/api/v1/entities", "{\"field1\":\"via second\"}").json()
                        .get("id").asString();
                assertThat(http(first).get("/api/v1/entities/" + id).json().get("field1").asString())
                        .isEqualTo("via second");
                assertThat(http(second).get("/actuator/health/readiness").status()).isEqualTo(200);
            }
        }
    }

    @Test
    void withAnExternalDatabaseStartUpChangesNoTableUnlessToldTo() throws IOException {
        Path dataDir = newDataDir("standalone-");
        Path definitions = dataDir.resolve("widgets.yaml");
        Files.writeString(definitions, ORIGINAL_WIDGETS);
        try (ConfigurableApplicationContext first = start(dataDir, "--plinth.definitions=" + definitions)) {
            String url = "jdbc:postgresql://localhost:" + first.getBean(EmbeddedPostgresServer.class).port() + "/postgres";
            Files.writeString(definitions, ORIGINAL_WIDGETS + "      color: {type: string, maxLength: 20}\n");
            String[] external = {"--plinth.definitions=" + definitions, "--PLINTH_DATABASE_URL=" + url,
                    "--PLINTH_DATABASE_USERNAME=postgres", "--PLINTH_DATABASE_PASSWORD=postgres"};
            assertThatThrownBy(() -> start(newDataDir("standalone-"), external))
                    .satisfies(e -> assertThat(messages(e)).contains(
                            "Applying schema changes at start-up is off (plinth.schema.auto-apply)",
                            "[safe] widget: add column color character varying(20) null"));
            String[] told = java.util.Arrays.copyOf(external, external.length + 1);
            told[external.length] = "--plinth.schema.auto-apply=true";
            try (ConfigurableApplicationContext second = start(newDataDir("standalone-"), told)) {
                assertThat(http(second).postJson("/api/v1/widgets", "{\"label\":\"x\",\"color\":\"red\"}").status())
                        .isEqualTo(201);
            }
        }
    }

    private static final String ORIGINAL_WIDGETS = """
            resources:
              widget:
                path: widgets
                fields:
                  label: {type: string, maxLength: 40}
            """;

    @Test
    void refusesToStartWhenADeclarationChangedAfterItsTableWasCreated() throws IOException {
        Path dataDir = newDataDir("standalone-");
        Path definitions = dataDir.resolve("widgets.yaml");
        Files.writeString(definitions, ORIGINAL_WIDGETS);
        try (ConfigurableApplicationContext first = start(dataDir, "--plinth.definitions=" + definitions)) {
            assertThat(http(first).postJson("/api/v1/widgets", "{\"label\":\"x\"}").status()).isEqualTo(201);
        }
        Files.writeString(definitions, """
                resources:
                  widget:
                    path: widgets
                    fields:
                      label: {type: string, maxLength: 80}
                      weight: {type: integer, required: true}
                """);

        assertThatThrownBy(() -> start(dataDir, "--plinth.definitions=" + definitions))
                .satisfies(e -> assertThat(messages(e))
                        .contains("does not match the resource definitions", "Some steps are refused",
                                "[safe] widget: widen label from character varying(40) to character varying(80)",
                                "[needs-backfill] widget: add column weight integer not null",
                                "REFUSED: the field is required and 1 existing rows would have no value: declare a default, or a backfill expression",
                                "java -jar plinth.jar schema apply"));

        Files.writeString(definitions, ORIGINAL_WIDGETS);
        try (ConfigurableApplicationContext restored = start(dataDir, "--plinth.definitions=" + definitions)) {
            assertThat(http(restored).get("/api/v1/widgets/" + UUID.randomUUID()).status()).isEqualTo(404);
        }
    }

    @Test
    void refusesToStartWithABadDefinitionNamingFileResourceAndField() throws IOException {
        Path dataDir = newDataDir("standalone-");
        Path definitions = dataDir.resolve("bad.yaml");
        Files.writeString(definitions, """
                resources:
                  widget:
                    path: widgets
                    fields:
                      weight: {type: integer, min: 10, max: 1}
                """);

        assertThatThrownBy(() -> start(dataDir, "--plinth.definitions=" + definitions))
                .satisfies(e -> assertThat(messages(e)).contains(definitions + ":5: resource 'widget', field 'weight': "
                        + "min (10) is greater than max (1)"));
    }

    @Test
    void refusesToStartWhenTheDefinitionsFileIsMissing() throws IOException {
        Path dataDir = newDataDir("standalone-");
        assertThatThrownBy(() -> start(dataDir, "--plinth.definitions=" + dataDir.resolve("nope.yaml")))
                .satisfies(e -> assertThat(messages(e)).contains("nope.yaml (plinth.definitions) does not exist"));
    }

    private static String messages(Throwable failure) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            all.append(t.getMessage()).append('\n');
        }
        return all.toString();
    }
}
