package io.plinth.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.plinth.support.Http.Response;
import io.plinth.support.PlinthIntegrationTest;
import java.math.BigDecimal;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

/**
 * Every declarable type and constraint, through the real API and PostgreSQL: accepted at its boundary, rejected just
 * past it (resource {@code gadget} in test-resources.yaml).
 */
class FieldTypesTest extends PlinthIntegrationTest {

    private static final AtomicLong SERIALS = new AtomicLong(System.nanoTime() % 1_000_000_000L);

    private Response create(String extraFields) {
        String body = "{\"name\":\"Ab\"" + (extraFields.isEmpty() ? "" : "," + extraFields) + "}";
        return http().postJson("/api/v1/gadgets", body);
    }

    private JsonNode accepted(String extraFields) {
        Response response = create(extraFields);
        assertThat(response.status()).as(response.text()).isEqualTo(201);
        JsonNode created = response.json();
        assertThat(http().get("/api/v1/gadgets/" + created.get("id").asString()).json()).isEqualTo(created);
        return created;
    }

    private void rejected(String extraFields, String field) {
        JsonNode body = assertError(create(extraFields), 400, "VALIDATION_ERROR");
        assertThat(body.get("details").valueStream().map(d -> d.get("field").asString())).contains(field);
    }

    @ParameterizedTest(name = "{0} accepted, {1} rejected")
    @CsvSource(delimiter = '|', value = {
            // field and boundary value accepted | value just past it, rejected
            "\"quantity\":-5               | \"quantity\":-6",
            "\"quantity\":100              | \"quantity\":101",
            "\"ratio\":2147483647          | \"ratio\":2147483648",
            "\"ratio\":-2147483648         | \"ratio\":-2147483649",
            "\"serial\":0                  | \"serial\":-1",
            "\"serial\":9000000000         | \"serial\":9000000001",
            "\"count\":9223372036854775807 | \"count\":9223372036854775808",
            "\"count\":-9223372036854775808 | \"count\":-9223372036854775809",
            "\"price\":0.01                | \"price\":0.00",
            "\"price\":99999.99            | \"price\":100000.00",
            "\"price\":12.3                | \"price\":12.345",
            "\"notes\":\"12345678901234567890\" | \"notes\":\"123456789012345678901\"",
            "\"releasedOn\":\"2024-02-29\" | \"releasedOn\":\"2023-02-29\"",
            "\"releasedOn\":\"0001-01-01\" | \"releasedOn\":\"0000-12-31\"",
            "\"releasedOn\":\"9999-12-31\" | \"releasedOn\":\"+10000-01-01\"",
            "\"seenAt\":\"2024-01-01T10:00:00.123456Z\" | \"seenAt\":\"2024-01-01T10:00:00.1234567Z\"",
            "\"seenAt\":\"2024-01-01T10:00:00+02:00\"   | \"seenAt\":\"2024-01-01T10:00:00\"",
            "\"color\":\"BLUE\"            | \"color\":\"blue\"",
            "\"ref\":\"123e4567-e89b-12d3-a456-426614174000\" | \"ref\":\"123e4567e89b12d3a456426614174000\"",
            "\"active\":false              | \"active\":\"false\"",
    })
    void acceptsTheBoundaryAndRejectsJustPastIt(String acceptedField, String rejectedField) {
        String field = acceptedField.substring(1, acceptedField.indexOf('"', 1));
        String unique = field.equals("serial") ? "" : ",\"serial\":" + SERIALS.incrementAndGet();
        accepted(acceptedField + unique);
        rejected(rejectedField, field);
    }

    @Test
    void checksNameLengthAndPattern() {
        assertThat(http().postJson("/api/v1/gadgets", "{\"name\":\"Abcdefghij\"}").status()).isEqualTo(201);
        for (String bad : new String[] {"A", "Abcdefghijk", "1abc", "ab-c", " ab", ""}) {
            JsonNode body = assertError(http().postJson("/api/v1/gadgets", "{\"name\":\"" + bad + "\"}"), 400,
                    "VALIDATION_ERROR");
            assertThat(body.get("details").get(0).get("field").asString()).isEqualTo("name");
        }
    }

    @Test
    void countsCharactersNotBytesOrUtf16Units() {
        // 20 emoji are 20 characters, 40 UTF-16 units and 80 bytes: within notes' maxLength of 20.
        String emoji = "\uD83D\uDE00".repeat(20);
        JsonNode created = accepted("\"notes\":\"" + emoji + "\"");
        assertThat(created.get("notes").asString()).isEqualTo(emoji);
        rejected("\"notes\":\"" + emoji + "x\"", "notes");
    }

    @Test
    void appliesDeclaredDefaultsAndTheInitialState() {
        JsonNode created = accepted("");
        assertThat(created.get("active").asBoolean()).isTrue();
        assertThat(created.get("color").asString()).isEqualTo("RED");
        assertThat(created.get("code").asString()).isEqualTo("GEN");
        assertThat(created.get("status").asString()).isEqualTo("NEW");
        assertThat(created.get("quantity").isNull()).isTrue();
    }

    @Test
    void rejectsADeclaredReadOnlyField() {
        JsonNode body = assertError(create("\"code\":\"MINE\""), 400, "VALIDATION_ERROR");
        assertThat(body.get("details").get(0).get("message").asString()).isEqualTo("is read-only");
    }

    @Test
    void rejectsNullForARequiredFieldAndAcceptsItForAnOptionalOne() {
        JsonNode body = assertError(http().postJson("/api/v1/gadgets", "{\"name\":null}"), 400, "VALIDATION_ERROR");
        assertThat(body.get("details").get(0).get("message").asString()).isEqualTo("must not be null");
        assertThat(accepted("\"quantity\":null,\"extra\":null").get("extra").isNull()).isTrue();
    }

    @Test
    void storesDecimalsExactlyWithTheDeclaredScale() {
        JsonNode created = accepted("\"price\":12.5");
        assertThat(created.get("price").decimalValue()).isEqualByComparingTo(new BigDecimal("12.50"));
        assertThat(http().get("/api/v1/gadgets/" + created.get("id").asString()).text()).contains("\"price\":12.50,");
        assertThat(create("\"price\":99999.99,\"serial\":" + SERIALS.incrementAndGet()).text()).contains("\"price\":99999.99,");
        rejected("\"price\":\"12.50\"", "price");
    }

    @Test
    void rejectsFractionsAndNumbersInStringsForIntegers() {
        for (String bad : new String[] {"1.5", "1.0", "1e2", "\"1\"", "true"}) {
            rejected("\"quantity\":" + bad, "quantity");
        }
    }

    @Test
    void storesTimestampsAsInstantsAndAnswersInUtc() {
        JsonNode created = accepted("\"seenAt\":\"2024-01-01T10:00:00.5+02:00\"");
        assertThat(created.get("seenAt").asString()).isEqualTo("2024-01-01T08:00:00.500000Z");
        for (String bad : new String[] {"\"2024-13-01T00:00:00Z\"", "\"yesterday\"", "1704067200", "\"2024-01-01\"",
                "\"2024-01-01 10:00:00Z\""}) {
            rejected("\"seenAt\":" + bad, "seenAt");
        }
    }

    @Test
    void rejectsDatesInOtherShapes() {
        for (String bad : new String[] {"\"2024-1-1\"", "\"01/02/2024\"", "\"2024-01-01T00:00:00Z\"", "20240101"}) {
            rejected("\"releasedOn\":" + bad, "releasedOn");
        }
    }

    @Test
    void acceptsOnlyDeclaredEnumValues() {
        assertThat(accepted("\"color\":\"GREEN\"").get("color").asString()).isEqualTo("GREEN");
        rejected("\"color\":\"PURPLE\"", "color");
        rejected("\"color\":1", "color");
    }

    @Test
    void rejectsUuidsInOtherShapes() {
        String ref = UUID.randomUUID().toString();
        assertThat(accepted("\"ref\":\"" + ref + "\"").get("ref").asString()).isEqualTo(ref);
        for (String bad : new String[] {"\"not-a-uuid\"", "\"{" + ref + "}\"", "42"}) {
            rejected("\"ref\":" + bad, "ref");
        }
    }

    @Test
    void storesAnyJsonValueInAJsonField() {
        assertThat(accepted("\"extra\":{\"a\":[1,2.5,{\"b\":null}],\"c\":\"d\"}").get("extra"))
                .isEqualTo(io.plinth.support.Http.parse("{\"a\":[1,2.5,{\"b\":null}],\"c\":\"d\"}"));
        assertThat(accepted("\"extra\":[true,false]").get("extra").isArray()).isTrue();
        assertThat(accepted("\"extra\":\"text\"").get("extra").asString()).isEqualTo("text");
        assertThat(accepted("\"extra\":7").get("extra").asInt()).isEqualTo(7);
        rejected("\"extra\":{\"k\":\"nul\\u0000\"}", "extra");
    }

    @Test
    void answersConflictForATakenUniqueValue() {
        long serial = SERIALS.incrementAndGet();
        accepted("\"serial\":" + serial);
        JsonNode body = assertError(create("\"serial\":" + serial), 409, "CONFLICT");
        assertThat(body.get("details").get(0).get("field").asString()).isEqualTo("serial");
        assertThat(body.get("error").asString()).contains("serial");
    }

    @Test
    void acceptsBooleansOnlyAsJsonBooleans() {
        assertThat(accepted("\"active\":false").get("active").asBoolean()).isFalse();
        for (String bad : new String[] {"1", "0", "\"true\"", "\"yes\""}) {
            rejected("\"active\":" + bad, "active");
        }
    }
}
