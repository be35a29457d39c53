package io.plinth.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.plinth.support.Http;
import io.plinth.support.Http.Response;
import io.plinth.support.PlinthIntegrationTest;
import java.net.http.HttpRequest;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** PATCH (JSON Merge Patch) with ETags, DELETE, lifecycle transitions and read-only states. */
class RecordWritesTest extends PlinthIntegrationTest {

    private JsonNode createEntity(String json) {
        Response created = http().postJson("/api/v1/entities", json);
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        return created.json();
    }

    private Response patch(String path, String json, String... headers) {
        String[] all = java.util.Arrays.copyOf(headers, headers.length + 2);
        all[headers.length] = "Content-Type";
        all[headers.length + 1] = "application/merge-patch+json";
        return http().send(http().request(path, all).method("PATCH", HttpRequest.BodyPublishers.ofString(json)));
    }

    private Response transition(String path, String json, String... headers) {
        return http().postJson(path + "/transitions", json, headers);
    }

    @Test
    void patchChangesOnlyTheNamedFieldsAndBumpsVersionAndUpdatedAt() {
        JsonNode created = createEntity("{\"field1\":\"before\",\"field2\":1}");
        String path = "/api/v1/entities/" + created.get("id").asString();

        Response patched = patch(path, "{\"field2\":2}");

        assertThat(patched.status()).isEqualTo(200);
        JsonNode body = patched.json();
        assertThat(body.get("field1").asString()).isEqualTo("before");
        assertThat(body.get("field2").asInt()).isEqualTo(2);
        assertThat(body.get("version").asLong()).isEqualTo(2);
        assertThat(patched.header("ETag")).isEqualTo("\"2\"");
        assertThat(body.get("createdAt")).isEqualTo(created.get("createdAt"));
        assertThat(body.get("updatedAt").asString()).isGreaterThan(created.get("updatedAt").asString());
        assertThat(http().get(path).json()).isEqualTo(body);
    }

    @Test
    void patchWithNullClearsAnOptionalFieldAndRefusesARequiredOne() {
        String path = "/api/v1/entities/" + createEntity("{\"field1\":\"a\",\"field2\":5}").get("id").asString();
        assertThat(patch(path, "{\"field2\":null}").json().get("field2").isNull()).isTrue();
        JsonNode error = assertError(patch(path, "{\"field1\":null}"), 400, "VALIDATION_ERROR");
        assertThat(error.get("details").get(0).get("message").asString()).isEqualTo("must not be null");
    }

    @Test
    void patchValidatesLikeCreateAndListsEveryProblem() {
        String path = "/api/v1/entities/" + createEntity("{\"field1\":\"a\"}").get("id").asString();
        JsonNode error = assertError(patch(path, "{\"field2\":-1,\"field1\":5,\"nope\":1,\"id\":\"x\",\"version\":3}"), 400,
                "VALIDATION_ERROR");
        assertThat(error.get("details").valueStream().map(d -> d.get("field").asString()))
                .containsExactlyInAnyOrder("field2", "field1", "nope", "id", "version");
        assertThat(http().get(path).json().get("version").asLong()).isEqualTo(1);
    }

    @Test
    void patchRefusesStatusAndPointsToTransitions() {
        String path = "/api/v1/entities/" + createEntity("{\"field1\":\"a\"}").get("id").asString();
        JsonNode error = assertError(patch(path, "{\"status\":\"ACTIVE\"}"), 400, "VALIDATION_ERROR");
        assertThat(error.get("details").get(0).get("message").asString()).contains("/transitions");
    }

    @Test
    void patchAcceptsPlainJsonAndRefusesOtherMediaTypes() {
        String path = "/api/v1/entities/" + createEntity("{\"field1\":\"a\"}").get("id").asString();
        Response plain = http().send(http().request(path, "Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"field2\":3}")));
        assertThat(plain.status()).isEqualTo(200);
        Response text = http().send(http().request(path, "Content-Type", "text/plain")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"field2\":3}")));
        assertError(text, 415, "UNSUPPORTED_MEDIA_TYPE");
    }

    @Test
    void patchMergesJsonFieldsAsRfc7396Describes() {
        Response created = http().postJson("/api/v1/gadgets", "{\"name\":\"Merge\",\"extra\":{\"a\":1,\"b\":{\"c\":2,\"d\":3},\"keep\":true}}");
        String path = "/api/v1/gadgets/" + created.json().get("id").asString();

        JsonNode merged = patch(path, "{\"extra\":{\"a\":null,\"b\":{\"c\":9},\"new\":[1,2]}}").json().get("extra");

        assertThat(merged).isEqualTo(Http.parse("{\"b\":{\"c\":9,\"d\":3},\"keep\":true,\"new\":[1,2]}"));
        assertThat(patch(path, "{\"extra\":[\"replaced\"]}").json().get("extra")).isEqualTo(Http.parse("[\"replaced\"]"));
        assertThat(patch(path, "{\"extra\":null}").json().get("extra").isNull()).isTrue();
    }

    @Test
    void ifMatchWithTheCurrentVersionSucceedsAndAStaleOneGets412() {
        String path = "/api/v1/entities/" + createEntity("{\"field1\":\"a\"}").get("id").asString();
        assertThat(patch(path, "{\"field2\":1}", "If-Match", "\"1\"").status()).isEqualTo(200);

        JsonNode error = assertError(patch(path, "{\"field2\":2}", "If-Match", "\"1\""), 412, "PRECONDITION_FAILED");
        assertThat(error.get("error").asString()).contains("version 2");
        assertError(patch(path, "{\"field2\":2}", "If-Match", "W/\"2\""), 412, "PRECONDITION_FAILED");
        assertError(patch(path, "{\"field2\":2}", "If-Match", "garbage"), 412, "PRECONDITION_FAILED");
        assertThat(patch(path, "{\"field2\":2}", "If-Match", "\"7\", \"2\"").status()).isEqualTo(200);
        assertThat(patch(path, "{\"field2\":3}", "If-Match", "*").status()).isEqualTo(200);
        assertThat(http().get(path).json().get("field2").asInt()).isEqualTo(3);
    }

    @Test
    void getAnswers304ForTheCurrentETagAnd200AfterAChange() {
        String path = "/api/v1/entities/" + createEntity("{\"field1\":\"a\"}").get("id").asString();
        Response notModified = http().get(path, "If-None-Match", "\"1\"");
        assertThat(notModified.status()).isEqualTo(304);
        assertThat(notModified.header("ETag")).isEqualTo("\"1\"");
        assertThat(notModified.text()).isEmpty();
        assertThat(http().get(path, "If-None-Match", "W/\"1\"").status()).isEqualTo(304);
        patch(path, "{\"field2\":1}");
        Response changed = http().get(path, "If-None-Match", "\"1\"");
        assertThat(changed.status()).isEqualTo(200);
        assertThat(changed.header("ETag")).isEqualTo("\"2\"");
    }

    @Test
    void aResourceThatRequiresIfMatchAnswers428WithoutIt() {
        Response created = http().postJson("/api/v1/tickets", "{\"title\":\"t\"}");
        String path = "/api/v1/tickets/" + created.json().get("id").asString();
        assertError(patch(path, "{\"points\":1}"), 428, "PRECONDITION_REQUIRED");
        assertError(http().method("DELETE", path), 428, "PRECONDITION_REQUIRED");
        assertError(transition(path, "{\"to\":\"DONE\"}"), 428, "PRECONDITION_REQUIRED");
        assertThat(patch(path, "{\"points\":1}", "If-Match", created.header("ETag")).status()).isEqualTo(200);
    }

    @Test
    void deleteAnswers204ThenTheRecordIsGone() {
        String path = "/api/v1/entities/" + createEntity("{\"field1\":\"doomed\"}").get("id").asString();
        Response deleted = http().method("DELETE", path);
        assertThat(deleted.status()).isEqualTo(204);
        assertThat(deleted.text()).isEmpty();
        assertError(http().get(path), 404, "NOT_FOUND");
        assertError(http().method("DELETE", path), 404, "NOT_FOUND");
    }

    @Test
    void deleteHonoursIfMatch() {
        String path = "/api/v1/entities/" + createEntity("{\"field1\":\"guarded\"}").get("id").asString();
        assertError(http().method("DELETE", path, "If-Match", "\"5\""), 412, "PRECONDITION_FAILED");
        assertThat(http().get(path).status()).isEqualTo(200);
        assertThat(http().method("DELETE", path, "If-Match", "\"1\"").status()).isEqualTo(204);
    }

    @Test
    void writesToAMissingOrMalformedIdAnswer404() {
        String missing = "/api/v1/entities/" + UUID.randomUUID();
        assertError(patch(missing, "{\"field2\":1}"), 404, "NOT_FOUND");
        assertError(http().method("DELETE", missing), 404, "NOT_FOUND");
        assertError(transition(missing, "{\"to\":\"ACTIVE\"}"), 404, "NOT_FOUND");
        assertError(patch("/api/v1/entities/nope", "{\"field2\":1}"), 404, "NOT_FOUND");
    }

    @Test
    void transitionsFollowTheLifecycle() {
        String path = "/api/v1/entities/" + createEntity("{\"field1\":\"moving\"}").get("id").asString();

        Response activated = transition(path, "{\"to\":\"ACTIVE\",\"reason\":\"approved\"}");
        assertThat(activated.status()).isEqualTo(200);
        assertThat(activated.json().get("status").asString()).isEqualTo("ACTIVE");
        assertThat(activated.json().get("version").asLong()).isEqualTo(2);
        assertThat(activated.header("ETag")).isEqualTo("\"2\"");

        JsonNode invalid = assertError(transition(path, "{\"to\":\"DRAFT\"}"), 409, "INVALID_TRANSITION");
        assertThat(invalid.get("details").get(0).get("field").asString()).isEqualTo("to");
        assertThat(invalid.get("details").get(0).get("message").asString()).contains("ARCHIVED");

        assertThat(transition(path, "{\"to\":\"ARCHIVED\"}").json().get("status").asString()).isEqualTo("ARCHIVED");
        JsonNode fin = assertError(transition(path, "{\"to\":\"ACTIVE\"}"), 409, "INVALID_TRANSITION");
        assertThat(fin.get("error").asString()).contains("final");
    }

    @Test
    void aRecordInAReadOnlyStateCannotBePatched() {
        String path = "/api/v1/entities/" + createEntity("{\"field1\":\"frozen\"}").get("id").asString();
        transition(path, "{\"to\":\"ARCHIVED\"}");
        JsonNode error = assertError(patch(path, "{\"field2\":1}"), 409, "RECORD_READ_ONLY");
        assertThat(error.get("error").asString()).contains("ARCHIVED");
        assertThat(http().get(path).json().get("field2").isNull()).isTrue();
    }

    @Test
    void transitionBodiesAreValidated() {
        String path = "/api/v1/entities/" + createEntity("{\"field1\":\"t\"}").get("id").asString();
        assertError(transition(path, "{}"), 400, "VALIDATION_ERROR");
        assertError(transition(path, "{\"to\":5}"), 400, "VALIDATION_ERROR");
        assertError(transition(path, "{\"to\":\"ACTIVE\",\"why\":\"x\"}"), 400, "VALIDATION_ERROR");
        assertError(transition(path, "{\"to\":\"ACTIVE\",\"reason\":\"" + "r".repeat(1001) + "\"}"), 400, "VALIDATION_ERROR");
        JsonNode unknown = assertError(transition(path, "{\"to\":\"GONE\"}"), 400, "VALIDATION_ERROR");
        assertThat(unknown.get("details").get(0).get("message").asString()).contains("DRAFT", "ACTIVE", "ARCHIVED");
        assertError(transition(path, "[]"), 400, "MALFORMED_REQUEST");
        assertThat(http().get(path).json().get("version").asLong()).isEqualTo(1);
    }

    @Test
    void aDeclaredLifecycleWithItsOwnReadOnlyStateIsEnforced() {
        Response created = http().postJson("/api/v1/tickets", "{\"title\":\"flow\"}");
        String path = "/api/v1/tickets/" + created.json().get("id").asString();
        assertThat(created.json().get("status").asString()).isEqualTo("OPEN");
        Response done = transition(path, "{\"to\":\"DONE\"}", "If-Match", "\"1\"");
        assertThat(done.json().get("status").asString()).isEqualTo("DONE");
        assertThat(transition(path, "{\"to\":\"OPEN\"}", "If-Match", "\"2\"").status()).isEqualTo(200);
        assertError(transition(path, "{\"to\":\"CLOSED\"}", "If-Match", "\"3\""), 409, "INVALID_TRANSITION");
        transition(path, "{\"to\":\"DONE\"}", "If-Match", "\"3\"");
        assertThat(transition(path, "{\"to\":\"CLOSED\"}", "If-Match", "\"4\"").status()).isEqualTo(200);
        assertError(patch(path, "{\"points\":3}", "If-Match", "\"5\""), 409, "RECORD_READ_ONLY");
    }
}
