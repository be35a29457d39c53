package io.plinth.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.plinth.support.Http;
import io.plinth.support.Http.Response;
import io.plinth.support.PlinthIntegrationTest;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The design template's section 5.1 for its own entity: POST and GET /api/v1/entities. */
class EntityEndpointsTest extends PlinthIntegrationTest {

    @Test
    void createsAnEntityAndAnswers201WithLocationAndTheTemplateShape() {
        Instant before = Instant.now().minusSeconds(5);
        Response created = http().postJson("/api/v1/entities", "{\"field1\":\"hello\",\"field2\":5}");

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.header("Content-Type")).startsWith("application/json");
        JsonNode body = created.json();
        List<String> names = new java.util.ArrayList<>(body.propertyNames());
        assertThat(names).containsExactly("id", "createdAt", "updatedAt", "field1", "field2", "status", "version",
                "createdBy", "updatedBy");
        assertThat(body.get("version").asLong()).isEqualTo(1);
        assertThat(body.get("createdBy").asString()).isEqualTo("admin");
        assertThat(created.header("ETag")).isEqualTo("\"1\"");
        UUID id = UUID.fromString(body.get("id").asString());
        assertThat(id.version()).isEqualTo(4);
        assertThat(created.header("Location")).isEqualTo("/api/v1/entities/" + id);
        assertThat(body.get("field1").asString()).isEqualTo("hello");
        assertThat(body.get("field2").isInt()).isTrue();
        assertThat(body.get("field2").asInt()).isEqualTo(5);
        assertThat(body.get("status").asString()).isEqualTo("DRAFT");
        assertThat(body.get("createdAt").asString()).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{6}Z");
        Instant createdAt = Instant.parse(body.get("createdAt").asString());
        assertThat(createdAt).isAfter(before).isBefore(Instant.now().plusSeconds(5));
        assertThat(body.get("updatedAt").asString()).isEqualTo(body.get("createdAt").asString());
    }

    @Test
    void getsTheStoredEntityExactlyAsCreated() {
        JsonNode created = http().postJson("/api/v1/entities", "{\"field1\":\"kept\"}").json();

        Response fetched = http().get("/api/v1/entities/" + created.get("id").asString());

        assertThat(fetched.status()).isEqualTo(200);
        assertThat(fetched.json()).isEqualTo(created);
        assertThat(fetched.json().get("field2").isNull()).isTrue();
    }

    @Test
    void acceptsAnUpperCaseIdForTheSameRecord() {
        String id = http().postJson("/api/v1/entities", "{\"field1\":\"case\"}").json().get("id").asString();

        Response fetched = http().get("/api/v1/entities/" + id.toUpperCase());

        assertThat(fetched.status()).isEqualTo(200);
        assertThat(fetched.json().get("id").asString()).isEqualTo(id);
    }

    @Test
    void answers404ForAnIdThatDoesNotExist() {
        JsonNode body = assertError(http().get("/api/v1/entities/" + UUID.randomUUID()), 404, "NOT_FOUND");
        assertThat(body.get("error").asString()).contains("entity");
    }

    @Test
    void answers404ForAnIdThatIsNotAUuid() {
        assertError(http().get("/api/v1/entities/not-a-uuid"), 404, "NOT_FOUND");
        assertError(http().get("/api/v1/entities/123"), 404, "NOT_FOUND");
        assertError(http().get("/api/v1/entities/" + UUID.randomUUID() + "0"), 404, "NOT_FOUND");
    }

    @Test
    void answers404ForAnUnknownResource() {
        assertError(http().get("/api/v1/unicorns/" + UUID.randomUUID()), 404, "NOT_FOUND");
        assertError(http().postJson("/api/v1/unicorns", "{\"field1\":\"x\"}"), 404, "NOT_FOUND");
        assertError(http().get("/api/v2/entities/" + UUID.randomUUID()), 404, "NOT_FOUND");
        assertError(http().get("/api/nothing/here"), 404, "NOT_FOUND");
        // Outside /api a path without a file extension is a route of the web app (WebAppServingTest); files are not.
        assertError(http().get("/nothing/here.txt"), 404, "NOT_FOUND");
    }

    @Test
    void rejectsAMissingField1WithValidationError() {
        JsonNode body = assertError(http().postJson("/api/v1/entities", "{\"field2\":1}"), 400, "VALIDATION_ERROR");
        assertThat(body.get("details")).hasSize(1);
        assertThat(body.get("details").get(0).get("field").asString()).isEqualTo("field1");
        assertThat(body.get("details").get(0).get("message").asString()).isEqualTo("is required");
    }

    @Test
    void rejectsNegativeField2() {
        JsonNode body = assertError(http().postJson("/api/v1/entities", "{\"field1\":\"a\",\"field2\":-1}"), 400,
                "VALIDATION_ERROR");
        assertThat(body.get("details").get(0).get("field").asString()).isEqualTo("field2");
    }

    @Test
    void acceptsField2AtZeroAndField1At255Characters() {
        Response created = http().postJson("/api/v1/entities",
                "{\"field1\":\"" + "x".repeat(255) + "\",\"field2\":0}");
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().get("field1").asString()).hasSize(255);
    }

    @Test
    void rejectsField1At256Characters() {
        assertError(http().postJson("/api/v1/entities", "{\"field1\":\"" + "x".repeat(256) + "\"}"), 400,
                "VALIDATION_ERROR");
    }

    @Test
    void listsEveryViolationNotOnlyTheFirst() {
        JsonNode body = assertError(http().postJson("/api/v1/entities",
                        "{\"field1\":\"" + "y".repeat(300) + "\",\"field2\":\"5\",\"colour\":\"red\",\"status\":\"ACTIVE\",\"createdAt\":\"x\"}"),
                400, "VALIDATION_ERROR");
        assertThat(body.get("details").valueStream().map(d -> d.get("field").asString()).toList())
                .containsExactlyInAnyOrder("field1", "field2", "colour", "status", "createdAt");
    }

    @Test
    void doesNotCoerceTypes() {
        for (String field2 : List.of("\"5\"", "5.7", "5.0", "true", "[5]", "{\"v\":5}")) {
            assertError(http().postJson("/api/v1/entities", "{\"field1\":\"a\",\"field2\":" + field2 + "}"), 400,
                    "VALIDATION_ERROR");
        }
        for (String field1 : List.of("5", "true", "[\"a\"]", "{\"a\":1}", "null")) {
            assertError(http().postJson("/api/v1/entities", "{\"field1\":" + field1 + "}"), 400, "VALIDATION_ERROR");
        }
    }

    @Test
    void rejectsEveryReadOnlySystemField() {
        String id = UUID.randomUUID().toString();
        for (String field : List.of("\"id\":\"" + id + "\"", "\"createdAt\":\"2020-01-01T00:00:00Z\"",
                "\"updatedAt\":\"2020-01-01T00:00:00Z\"", "\"status\":\"ACTIVE\"", "\"version\":7")) {
            JsonNode body = assertError(http().postJson("/api/v1/entities", "{\"field1\":\"a\"," + field + "}"), 400,
                    "VALIDATION_ERROR");
            assertThat(body.get("details").get(0).get("message").asString()).contains("read-only");
        }
        assertThat(http().get("/api/v1/entities/" + id).status()).isEqualTo(404);
    }

    @Test
    void acceptsAnExplicitNullForTheOptionalField2() {
        Response created = http().postJson("/api/v1/entities", "{\"field1\":\"a\",\"field2\":null}");
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().get("field2").isNull()).isTrue();
    }

    @Test
    void acceptsJsonWithCharsetAndVendorMediaTypes() {
        assertThat(http().postJson("/api/v1/entities", "{\"field1\":\"a\"}", "Content-Type",
                "application/json; charset=utf-8").status()).isEqualTo(201);
        assertThat(http().postJson("/api/v1/entities", "{\"field1\":\"a\"}", "Content-Type",
                "application/vnd.example+json").status()).isEqualTo(201);
    }

    @Test
    void returnsUtcTimestampsWhateverTheClientsZone() {
        JsonNode body = Http.parse(http().postJson("/api/v1/entities", "{\"field1\":\"tz\"}", "Accept-Language", "sv-SE")
                .text());
        assertThat(body.get("createdAt").asString()).endsWith("Z");
    }
}
