package io.plinth.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.plinth.support.Http.Response;
import io.plinth.support.PlinthIntegrationTest;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** POST /{resource}/_bulk (all or nothing) and upserts on a unique field. */
class BulkTest extends PlinthIntegrationTest {

    private long countOf(String batch) {
        return http().get("/api/v1/items?batch=" + batch + "&count=true&limit=1").json().get("page").get("total").asLong();
    }

    @Test
    void createsEveryRecordOfAValidBulkInOrder() {
        String batch = "k-" + UUID.randomUUID();
        Response created = http().postJson("/api/v1/items/_bulk",
                "[{\"name\":\"one\",\"batch\":\"" + batch + "\"},{\"name\":\"two\",\"batch\":\"" + batch + "\"}]");
        assertThat(created.status()).isEqualTo(201);
        JsonNode data = created.json().get("data");
        assertThat(data).hasSize(2);
        assertThat(data.get(0).get("name").asString()).isEqualTo("one");
        assertThat(data.get(1).get("version").asLong()).isEqualTo(1);
        assertThat(countOf(batch)).isEqualTo(2);
    }

    @Test
    void writesNothingWhenOneRecordIsInvalidAndNamesItsIndex() {
        String batch = "k-" + UUID.randomUUID();
        JsonNode error = assertError(http().postJson("/api/v1/items/_bulk",
                "[{\"name\":\"ok\",\"batch\":\"" + batch + "\"},{\"rank\":\"high\",\"batch\":\"" + batch + "\"},"
                        + "{\"nope\":1},7]"), 400, "VALIDATION_ERROR");
        assertThat(error.get("details").valueStream().map(d -> d.get("field").asString()))
                .containsExactlyInAnyOrder("[1].rank", "[2].nope", "[3]");
        assertThat(countOf(batch)).isZero();
    }

    @Test
    void writesNothingWhenOneRecordBreaksAUniqueConstraint() {
        String code = "c-" + UUID.randomUUID().toString().substring(0, 8);
        JsonNode error = assertError(http().postJson("/api/v1/tickets/_bulk",
                "[{\"title\":\"a\",\"code\":\"" + code + "\"},{\"title\":\"b\",\"code\":\"" + code + "\"}]"), 409, "CONFLICT");
        assertThat(error.get("details").get(0).get("field").asString()).isEqualTo("code");
        assertThat(http().get("/api/v1/tickets?code=" + code).json().get("data")).isEmpty();
    }

    @Test
    void refusesBodiesThatAreNotArraysAndBulksOverTheLimit() {
        assertError(http().postJson("/api/v1/items/_bulk", "{\"name\":\"x\"}"), 400, "MALFORMED_REQUEST");
        String many = "[" + "{},".repeat(1000) + "{}]";
        assertError(http().postJson("/api/v1/items/_bulk", many), 413, "PAYLOAD_TOO_LARGE");
        Response empty = http().postJson("/api/v1/items/_bulk", "[]");
        assertThat(empty.status()).isEqualTo(201);
        assertThat(empty.json().get("data")).isEmpty();
    }

    @Test
    void upsertsOnAUniqueFieldInsertingOrUpdating() {
        String code = "u-" + UUID.randomUUID().toString().substring(0, 8);
        Response inserted = http().postJson("/api/v1/tickets?onConflict=code", "{\"title\":\"first\",\"code\":\"" + code + "\"}");
        assertThat(inserted.status()).isEqualTo(201);
        Response updated = http().postJson("/api/v1/tickets?onConflict=code", "{\"title\":\"second\",\"code\":\"" + code + "\"}");
        assertThat(updated.status()).isEqualTo(200);
        assertThat(updated.json().get("id")).isEqualTo(inserted.json().get("id"));
        assertThat(updated.json().get("title").asString()).isEqualTo("second");
        assertThat(updated.json().get("version").asLong()).isEqualTo(2);

        String other = "u-" + UUID.randomUUID().toString().substring(0, 8);
        Response bulk = http().postJson("/api/v1/tickets/_bulk?onConflict=code",
                "[{\"title\":\"third\",\"code\":\"" + code + "\"},{\"title\":\"new\",\"code\":\"" + other + "\"}]");
        assertThat(bulk.status()).isEqualTo(200);
        assertThat(bulk.json().get("data").get(0).get("version").asLong()).isEqualTo(3);
        assertThat(bulk.json().get("data").get(1).get("version").asLong()).isEqualTo(1);
    }

    @Test
    void refusesUpsertsOnAFieldThatIsNotUniqueOrRepeatedKeys() {
        JsonNode error = assertError(http().postJson("/api/v1/tickets?onConflict=title", "{\"title\":\"x\"}"), 400,
                "VALIDATION_ERROR");
        assertThat(error.get("details").get(0).get("field").asString()).isEqualTo("onConflict");
        assertError(http().postJson("/api/v1/items?onConflict=name", "{\"name\":\"x\"}"), 400, "VALIDATION_ERROR");
        assertError(http().postJson("/api/v1/tickets/_bulk?onConflict=code",
                "[{\"title\":\"a\",\"code\":\"same\"},{\"title\":\"b\",\"code\":\"same\"}]"), 400, "VALIDATION_ERROR");
        assertError(http().postJson("/api/v1/tickets/_bulk?onConflict=code", "[{\"title\":\"a\"}]"), 400, "VALIDATION_ERROR");
    }

    @Test
    void anUpsertDoesNotChangeARecordInAReadOnlyState() {
        String code = "ro-" + UUID.randomUUID().toString().substring(0, 8);
        Response created = http().postJson("/api/v1/tickets", "{\"title\":\"done\",\"code\":\"" + code + "\"}");
        String path = "/api/v1/tickets/" + created.json().get("id").asString();
        http().postJson(path + "/transitions", "{\"to\":\"DONE\"}", "If-Match", "\"1\"");
        http().postJson(path + "/transitions", "{\"to\":\"CLOSED\"}", "If-Match", "\"2\"");
        assertError(http().postJson("/api/v1/tickets?onConflict=code", "{\"title\":\"changed\",\"code\":\"" + code + "\"}"),
                409, "RECORD_READ_ONLY");
        assertThat(http().get(path).json().get("title").asString()).isEqualTo("done");
    }
}
