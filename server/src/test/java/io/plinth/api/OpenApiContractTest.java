package io.plinth.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.plinth.support.Http;
import io.plinth.support.Http.Response;
import io.plinth.support.PlinthIntegrationTest;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The OpenAPI document, parsed by a real OpenAPI parser, and the running API checked against it: request bodies the
 * API accepts match their schemas, and every response (successes and errors) matches the schema the document gives
 * for its operation and status.
 */
class OpenApiContractTest extends PlinthIntegrationTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private JsonNode document;
    private String text;

    @BeforeEach
    void fetchTheDocument() {
        Response response = http().get("/v3/api-docs");
        assertThat(response.status()).isEqualTo(200);
        text = response.text();
        document = response.json();
    }

    @Test
    @SuppressWarnings({"unchecked", "rawtypes"})
    void isAValidOpenApi31DocumentDescribingEveryResource() {
        SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(text, null, null);
        assertThat(parsed.getMessages()).isEmpty();
        assertThat(parsed.getOpenAPI().getOpenapi()).startsWith("3.1");
        assertThat(parsed.getOpenAPI().getPaths()).containsKeys("/api/v1/entities", "/api/v1/entities/{id}",
                "/api/v1/entities/{id}/transitions", "/api/v1/entities/_bulk", "/api/v1/gadgets", "/api/v1/tickets/{id}");
        java.util.Map<String, io.swagger.v3.oas.models.media.Schema> schemas = parsed.getOpenAPI().getComponents().getSchemas();
        java.util.Map<String, io.swagger.v3.oas.models.media.Schema> entity = schemas.get("Entity").getProperties();
        assertThat(entity.get("field1").getMaxLength()).isEqualTo(255);
        assertThat(entity.get("field2").getMinimum()).isEqualByComparingTo("0");
        assertThat(schemas.get("EntityCreate").getRequired()).containsExactly("field1");
        var listParameters = parsed.getOpenAPI().getPaths().get("/api/v1/entities").getGet().getParameters();
        assertThat(listParameters).extracting(p -> p.getName())
                .contains("field2", "field2[gte]", "field1[contains]", "status", "sort", "limit", "cursor", "fields", "count");
        java.util.List<Object> errorCodes = (java.util.List<Object>) (java.util.List<?>) ((io.swagger.v3.oas.models.media.Schema<?>) schemas.get("Error").getProperties().get("code")).getEnum();
        assertThat(errorCodes).contains("VALIDATION_ERROR", "NOT_FOUND", "PRECONDITION_FAILED", "IDEMPOTENCY_KEY_REUSED");
    }

    @Test
    void servesSwaggerUi() {
        Response ui = http().get("/swagger-ui/index.html");
        assertThat(ui.status()).isEqualTo(200);
        assertThat(ui.text()).contains("swagger-ui");
        assertThat(http().send(http().request("/swagger-ui.html").GET()).status()).isIn(200, 302);
    }

    @Test
    void requestsAndResponsesOfTheRunningApiMatchTheDocument() {
        String createBody = "{\"field1\":\"contract\",\"field2\":3}";
        assertValid(requestSchema("/api/v1/entities", "post"), createBody);
        Response created = http().postJson("/api/v1/entities", createBody);
        assertResponse("/api/v1/entities", "post", created);
        String id = created.json().get("id").asString();
        String item = "/api/v1/entities/" + id;

        assertResponse("/api/v1/entities/{id}", "get", http().get(item));
        assertResponse("/api/v1/entities", "get", http().get("/api/v1/entities?limit=2&count=true"));
        assertResponse("/api/v1/entities", "get", http().get("/api/v1/entities?field2[gte]=0&sort=-createdAt&fields=field1"));
        String patchBody = "{\"field2\":null}";
        assertValid(requestSchema("/api/v1/entities/{id}", "patch"), patchBody);
        assertResponse("/api/v1/entities/{id}", "patch", http().send(http().request(item, "Content-Type",
                "application/merge-patch+json").method("PATCH", HttpRequest.BodyPublishers.ofString(patchBody))));
        String transitionBody = "{\"to\":\"ACTIVE\",\"reason\":\"ready\"}";
        assertValid(requestSchema("/api/v1/entities/{id}/transitions", "post"), transitionBody);
        assertResponse("/api/v1/entities/{id}/transitions", "post", http().postJson(item + "/transitions", transitionBody));
        String bulkBody = "[{\"field1\":\"b1\"},{\"field1\":\"b2\",\"field2\":1}]";
        assertValid(requestSchema("/api/v1/entities/_bulk", "post"), bulkBody);
        assertResponse("/api/v1/entities/_bulk", "post", http().postJson("/api/v1/entities/_bulk", bulkBody));

        // Every error a client can cause here, in the documented error shape.
        assertResponse("/api/v1/entities", "post", http().postJson("/api/v1/entities", "{\"field2\":-1}"));
        assertResponse("/api/v1/entities", "post", http().postJson("/api/v1/entities", "{"));
        assertResponse("/api/v1/entities", "post", http().postJson("/api/v1/entities", "{}", "Content-Type", "text/plain"));
        assertResponse("/api/v1/entities", "get", http().get("/api/v1/entities?nope=1"));
        assertResponse("/api/v1/entities/{id}", "get", http().get("/api/v1/entities/" + UUID.randomUUID()));
        assertResponse("/api/v1/entities/{id}", "get", http().get(item, "Accept", "text/html"));
        assertResponse("/api/v1/entities/{id}", "patch", http().send(http().request(item, "Content-Type",
                "application/json", "If-Match", "\"1\"").method("PATCH", HttpRequest.BodyPublishers.ofString("{}"))));
        assertResponse("/api/v1/entities/{id}/transitions", "post", http().postJson(item + "/transitions", "{\"to\":\"DRAFT\"}"));
        assertResponse("/api/v1/entities/{id}", "delete", http().method("DELETE", item, "If-Match", "\"99\""));
        assertResponse("/api/v1/entities/{id}", "delete", http().method("DELETE", item));

        Response ticket = http().postJson("/api/v1/tickets", "{\"title\":\"t\",\"code\":\"oa-" + UUID.randomUUID().toString().substring(0, 8) + "\"}");
        assertResponse("/api/v1/tickets", "post", ticket);
        assertResponse("/api/v1/tickets/{id}", "delete", http().method("DELETE", "/api/v1/tickets/" + ticket.json().get("id").asString()));
        String key = UUID.randomUUID().toString();
        http().postJson("/api/v1/entities", "{\"field1\":\"k\"}", "Idempotency-Key", key);
        assertResponse("/api/v1/entities", "post", http().postJson("/api/v1/entities", "{\"field1\":\"other\"}", "Idempotency-Key", key));
        String customer = http().postJson("/api/v1/customers", "{\"name\":\"Doc\"}").json().get("id").asString();
        String purchase = http().postJson("/api/v1/purchases", "{\"customer\":\"" + customer + "\"}").json().get("id").asString();
        String line = http().postJson("/api/v1/purchase-lines", "{\"purchase\":\"" + purchase + "\"}").json().get("id").asString();
        assertResponse("/api/v1/purchase-lines/{id}", "get", http().get("/api/v1/purchase-lines/" + line
                + "?include=purchase.customer,product"));
        assertResponse("/api/v1/purchase-lines", "get", http().get("/api/v1/purchase-lines?include=purchase&fields[purchase]=note"));
        assertResponse("/api/v1/purchase-lines", "get", http().get("/api/v1/purchase-lines?include=nope"));
        assertResponse("/api/v1/gadgets", "post", http().postJson("/api/v1/gadgets",
                "{\"name\":\"Doc\",\"price\":12.5,\"releasedOn\":\"2024-01-01\",\"seenAt\":\"2024-01-01T00:00:00Z\",\"extra\":{\"a\":[1]}}"));
    }

    private JsonNode requestSchema(String path, String method) {
        return document.get("paths").get(path).get(method).get("requestBody").get("content").get("application/json").get("schema");
    }

    private void assertResponse(String path, String method, Response response) {
        JsonNode operation = document.get("paths").get(path).get(method);
        JsonNode documented = operation.get("responses").get(Integer.toString(response.status()));
        assertThat(documented).as("%s %s documents status %d (%s)", method, path, response.status(), response.text()).isNotNull();
        if (response.status() == 204 || response.status() == 304) {
            assertThat(response.text()).isEmpty();
            return;
        }
        assertValid(documented.get("content").get("application/json").get("schema"), response.text());
    }

    private void assertValid(JsonNode schemaNode, String json) {
        ObjectNode schema = JSON.createObjectNode();
        schema.put("$schema", "https://json-schema.org/draft/2020-12/schema");
        schema.set("$defs", document.get("components").get("schemas"));
        schema.setAll((ObjectNode) schemaNode);
        String schemaText = JSON.writeValueAsString(schema).replace("#/components/schemas/", "#/$defs/");
        Schema validator = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(schemaText);
        List<Error> errors = validator.validate(Http.parse(json));
        assertThat(errors).as("%s against %s", json, schemaNode).isEmpty();
    }
}
