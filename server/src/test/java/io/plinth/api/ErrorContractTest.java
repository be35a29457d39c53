package io.plinth.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.plinth.support.Http.Response;
import io.plinth.support.PlinthIntegrationTest;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/** Every error code with its status, always in the one JSON shape, never a 500, an HTML page or a Spring default. */
class ErrorContractTest extends PlinthIntegrationTest {

    @ParameterizedTest
    @ValueSource(strings = {"{", "}", "{\"field1\":}", "{\"field1\":\"a\",}", "{'field1':'a'}", "{field1:\"a\"}",
            "{\"field1\":\"a\"} trailing", "{\"field1\":\"a\"}{}", "nul", "\"unterminated", "{\"field1\":NaN}",
            "{\"field1\":\"a\" /* comment */}", "\uFEFF\uFEFF{}"})
    void answersMalformedRequestForBodiesThatAreNotJson(String body) {
        assertError(http().postJson("/api/v1/entities", body), 400, "MALFORMED_REQUEST");
    }

    @ParameterizedTest
    @ValueSource(strings = {"[]", "[{\"field1\":\"a\"}]", "\"field1\"", "42", "true", "null"})
    void answersMalformedRequestForJsonThatIsNotAnObject(String body) {
        JsonNode error = assertError(http().postJson("/api/v1/entities", body), 400, "MALFORMED_REQUEST");
        assertThat(error.get("error").asString()).contains("object");
    }

    @Test
    void answersMalformedRequestForAnEmptyBody() {
        assertError(http().postJson("/api/v1/entities", ""), 400, "MALFORMED_REQUEST");
        assertError(http().postJson("/api/v1/entities", "   "), 400, "MALFORMED_REQUEST");
    }

    @Test
    void answersMalformedRequestForDuplicateKeys() {
        JsonNode error = assertError(http().postJson("/api/v1/entities", "{\"field1\":\"a\",\"field1\":\"b\"}"), 400,
                "MALFORMED_REQUEST");
        assertThat(error.get("error").asString()).contains("field1");
    }

    @Test
    void answersMalformedRequestForBodiesNestedTooDeeply() {
        String deep = "{\"note\":" + "[".repeat(40) + "]".repeat(40) + "}";
        JsonNode error = assertError(http().postJson("/api/v1/entities", deep), 400, "MALFORMED_REQUEST");
        assertThat(error.get("error").asString()).contains("nested");
        String veryDeep = "[".repeat(50_000);
        assertError(http().postJson("/api/v1/entities", veryDeep), 400, "MALFORMED_REQUEST");
    }

    @Test
    void answersMalformedRequestForBytesThatAreNotUtf8() {
        byte[] latin1 = "{\"field1\":\"caf\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1);
        assertError(http().post("/api/v1/entities", latin1, "Content-Type", "application/json"), 400,
                "MALFORMED_REQUEST");
    }

    @Test
    void answersPayloadTooLargeForABodyOverTheLimit() {
        String body = "{\"field1\":\"" + "x".repeat(BODY_LIMIT) + "\"}";
        JsonNode error = assertError(http().postJson("/api/v1/entities", body), 413, "PAYLOAD_TOO_LARGE");
        assertThat(error.get("error").asString()).contains(Integer.toString(BODY_LIMIT));
    }

    @Test
    void answersPayloadTooLargeForAChunkedBodyOverTheLimit() {
        byte[] body = ("{\"field1\":\"" + "x".repeat(BODY_LIMIT) + "\"}").getBytes(StandardCharsets.UTF_8);
        HttpRequest.Builder request = http().request("/api/v1/entities", "Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)));
        assertError(http().send(request), 413, "PAYLOAD_TOO_LARGE");
    }

    @Test
    void acceptsABodyJustUnderTheLimit() {
        String prefix = "{\"title\":\"";
        String suffix = "\"}";
        int room = BODY_LIMIT - prefix.length() - suffix.length();
        // The note's title allows 20,000 characters; fill the rest with JSON whitespace to reach the limit exactly.
        String body = prefix + "t".repeat(20_000) + suffix + " ".repeat(room - 20_000);
        assertThat(body.getBytes(StandardCharsets.UTF_8)).hasSize(BODY_LIMIT);
        assertThat(http().postJson("/api/v1/notes", body).status()).isEqualTo(201);
    }

    @ParameterizedTest
    @ValueSource(strings = {"text/plain", "application/xml", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"})
    void answersUnsupportedMediaTypeForBodiesThatAreNotJson(String contentType) {
        Response response = http().postJson("/api/v1/entities", "{\"field1\":\"a\"}", "Content-Type", contentType);
        assertError(response, 415, "UNSUPPORTED_MEDIA_TYPE");
        assertThat(response.header("Accept")).contains("application/json");
    }

    @Test
    void answersUnsupportedMediaTypeWithoutAContentType() {
        Response response = http().post("/api/v1/entities", "{\"field1\":\"a\"}".getBytes(StandardCharsets.UTF_8));
        assertError(response, 415, "UNSUPPORTED_MEDIA_TYPE");
    }

    @Test
    void answersNotAcceptableWhenTheClientWantsNoJson() {
        assertError(http().get("/api/v1/entities/" + UUID.randomUUID(), "Accept", "text/html"), 406, "NOT_ACCEPTABLE");
        assertError(http().postJson("/api/v1/entities", "{\"field1\":\"a\"}", "Accept", "application/xml"), 406,
                "NOT_ACCEPTABLE");
    }

    @Test
    void servesJsonToClientsThatAcceptAnything() {
        assertThat(http().postJson("/api/v1/entities", "{\"field1\":\"a\"}", "Accept", "*/*").status()).isEqualTo(201);
        assertThat(http().postJson("/api/v1/entities", "{\"field1\":\"a\"}", "Accept",
                "text/html, application/json;q=0.1").status()).isEqualTo(201);
    }

    @Test
    void answersMethodNotAllowedWithAnAllowHeader() {
        String id = UUID.randomUUID().toString();
        for (String method : List.of("PUT", "POST")) {
            Response response = http().method(method, "/api/v1/entities/" + id, "Content-Type", "application/json");
            assertError(response, 405, "METHOD_NOT_ALLOWED");
            assertThat(response.header("Allow")).contains("GET", "PATCH", "DELETE");
        }
        for (String method : List.of("PUT", "DELETE", "PATCH")) {
            Response onCollection = http().method(method, "/api/v1/entities", "Content-Type", "application/json");
            assertError(onCollection, 405, "METHOD_NOT_ALLOWED");
            assertThat(onCollection.header("Allow")).contains("GET", "POST");
        }
    }

    @Test
    void answersNotFoundWhenTheRouteHasExtraSegments() {
        assertError(http().get("/api/v1/entities/" + UUID.randomUUID() + "/more"), 404, "NOT_FOUND");
        assertError(http().get("/api/v1/entities/" + UUID.randomUUID() + "/"), 404, "NOT_FOUND");
    }

    @Test
    void keepsASaneCorrelationIdFromTheClient() {
        Response response = http().get("/api/v1/entities/" + UUID.randomUUID(), "X-Correlation-ID", "order-4711.retry:2");
        assertThat(response.header("X-Correlation-ID")).isEqualTo("order-4711.retry:2");
        assertThat(assertError(response, 404, "NOT_FOUND").get("correlationId").asString()).isEqualTo("order-4711.retry:2");
    }

    @ParameterizedTest
    @ValueSource(strings = {"has space", "semi;colon", "quote\"", "-leading-dash", "\u00e9t\u00e9"})
    void replacesAnInsaneCorrelationIdWithAGeneratedOne(String given) {
        Response response = http().send(http().request("/api/v1/entities/" + UUID.randomUUID())
                .header("X-Correlation-ID", given).GET());
        String used = response.header("X-Correlation-ID");
        assertThat(used).isNotEqualTo(given);
        assertThat(UUID.fromString(used)).isNotNull();
    }

    @Test
    void replacesAnOverlongCorrelationId() {
        Response response = http().get("/api/v1/entities/" + UUID.randomUUID(), "X-Correlation-ID", "a".repeat(129));
        assertThat(response.header("X-Correlation-ID")).hasSize(36);
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET /api/v1/entities/%zz HTTP/1.1", "GET /api/v1/entities/a%00b HTTP/1.1",
            "GET /api/v1/%2e%2e/%2e%2e/etc/passwd HTTP/1.1", "GET /api/v1/entities/%2F HTTP/1.1",
            "GET /api/v1/entities/;jsessionid=x HTTP/1.1", "POST /api/v1/entities HTTP/1.1"})
    void answersRawMalformedRequestsWithoutHtmlOrServerErrors(String requestLine) throws Exception {
        String raw = requestLine + "\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 3\r\n"
                + "Connection: close\r\n\r\n{x}";
        String response = exchange(raw);
        int status = Integer.parseInt(response.substring(9, 12));
        assertThat(status).as(response).isBetween(400, 499);
        assertThat(response.toLowerCase()).doesNotContain("<html", "<!doctype", "tomcat", "exception");
        String body = response.substring(response.indexOf("\r\n\r\n") + 4);
        if (!body.isBlank()) {
            assertThat(body).contains("\"code\"");
        }
    }

    /**
     * Bytes 0x80-0x9f pass Tomcat's header parser and are C1 control characters: Spring Security's firewall refuses
     * the request when the header is read.
     */
    @ParameterizedTest
    @ValueSource(strings = {"Authorization: Bearer a\u0085b", "Authorization: \u009f"})
    void refusesControlCharactersInHeadersAsMalformed(String header) throws Exception {
        String raw = "GET /api/v1/entities?limit=1 HTTP/1.1\r\nHost: localhost\r\n" + header
                + "\r\nConnection: close\r\n\r\n";
        String response = exchange(raw);
        assertThat(response).startsWith("HTTP/1.1 400");
        assertThat(response.toLowerCase()).doesNotContain("<html", "exception");
    }

    @Test
    void acceptsATabAndLatin1LettersInAHeaderValue() throws Exception {
        String response = exchange("GET /api/v1/entities?limit=1 HTTP/1.1\r\nHost: localhost\r\n"
                + "Authorization: Bearer caf\u00e9\tau-lait\r\nConnection: close\r\n\r\n");
        assertThat(response).as("refused as a credential, not by the firewall").startsWith("HTTP/1.1 401");
    }

    private String exchange(String raw) throws Exception {
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(raw.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
