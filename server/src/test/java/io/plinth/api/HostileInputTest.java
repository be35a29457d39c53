package io.plinth.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.plinth.support.Http.Response;
import io.plinth.support.PlinthIntegrationTest;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** Hostile text is stored and returned byte-exact, or refused with VALIDATION_ERROR; never a 500. */
class HostileInputTest extends PlinthIntegrationTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    static Stream<String> storable() {
        return Stream.of(
                "'; DROP TABLE entity_name; --",
                "\" OR 1=1 --",
                "Robert'); DELETE FROM note WHERE ('1'='1",
                "$$; SELECT pg_sleep(10); $$",
                "back\\slash \\\\ \\x00 \\u0000",
                "quotes ' \" ` \u2019",
                "<script>alert(1)</script>",
                "${jndi:ldap://example.invalid/a}",
                "%s%n%x {0} {}",
                "line\nbreak\r\ntab\t",
                "\u200F\u202Eright-to-left override\u202C \u05E9\u05DC\u05D5\u05DD \u0645\u0631\u062D\u0628\u0627",
                "emoji \uD83D\uDE00\uD83D\uDC69\u200D\uD83D\uDC69\u200D\uD83D\uDC67 flags \uD83C\uDDF8\uD83C\uDDEA",
                "zero\u200Bwidth\uFEFFbom",
                "combining e\u0301 \u0041\u030A",
                "\u0001\u0002\u001F control characters \u007F",
                "\uFFFF\uFFFE noncharacters",
                "\uD800\uDC00 first astral \uDBFF\uDFFF last astral",
                "\u4E2D\u6587 \u65E5\u672C\u8A9E \uD55C\uAD6D\uC5B4".repeat(500),
                "\u00E9".repeat(8_000),
                "\uD83D\uDE00".repeat(4_000),
                "");
    }

    @ParameterizedTest
    @MethodSource("storable")
    void storesHostileTextByteExact(String text) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("title", text);
        body.put("body", text);
        body.set("data", JsonNodeFactory.instance.objectNode().put(text.length() > 100 ? "k" : text, text));

        Response created = http().postJson("/api/v1/notes", JSON.writeValueAsString(body));

        assertThat(created.status()).as(created.text()).isEqualTo(201);
        JsonNode stored = http().get("/api/v1/notes/" + created.json().get("id").asString()).json();
        assertThat(stored.get("title").asString()).isEqualTo(text);
        assertThat(stored.get("body").asString()).isEqualTo(text);
        assertThat(stored.get("data")).isEqualTo(body.get("data"));
    }

    /** JSON string literals (escapes kept as written) that decode to text PostgreSQL cannot store unchanged. */
    static Stream<String> unstorable() {
        return Stream.of("\"nul \\u0000 inside\"", "\"\\u0000\"", "\"lone high \\ud800 surrogate\"",
                "\"lone low \\udc00 surrogate\"", "\"reversed \\udc00\\ud800 pair\"", "\"end \\ud83d\"");
    }

    @ParameterizedTest
    @MethodSource("unstorable")
    void refusesTextPostgresqlCannotStoreUnchanged(String jsonString) {
        JsonNode error = assertError(http().postJson("/api/v1/notes", "{\"title\":" + jsonString + "}"), 400,
                "VALIDATION_ERROR");
        assertThat(error.get("details").get(0).get("field").asString()).isEqualTo("title");
        JsonNode inJson = assertError(http().postJson("/api/v1/notes", "{\"data\":{\"k\":" + jsonString + "}}"), 400,
                "VALIDATION_ERROR");
        assertThat(inJson.get("details").get(0).get("field").asString()).isEqualTo("data");
        // In an object key, NUL is a VALIDATION_ERROR of the json field; an unpaired surrogate is refused earlier by
        // the JSON parser itself (MALFORMED_REQUEST). Either way: 400, nothing stored.
        Response inKey = http().postJson("/api/v1/notes", "{\"data\":{" + jsonString + ":1}}");
        assertThat(inKey.status()).isEqualTo(400);
        assertThat(inKey.json().get("code").asString()).isIn("VALIDATION_ERROR", "MALFORMED_REQUEST");
    }

    @ParameterizedTest
    @MethodSource("storable")
    void treatsHostileTextAsDataInFieldNamesAndPaths(String text) {
        if (text.isEmpty() || text.length() > 200) {
            return;
        }
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("field1", "ok");
        body.put(text, 1);
        JsonNode error = assertError(http().postJson("/api/v1/entities", JSON.writeValueAsString(body)), 400,
                "VALIDATION_ERROR");
        assertThat(error.get("details").get(0).get("field").asString()).isEqualTo(text);
        String encoded = java.net.URLEncoder.encode(text, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
        Response byPath = http().get("/api/v1/" + encoded + "/" + encoded);
        assertThat(byPath.status()).isIn(400, 404);
        assertThat(byPath.json().get("code").asString()).isIn("NOT_FOUND", "MALFORMED_REQUEST");
    }
}
