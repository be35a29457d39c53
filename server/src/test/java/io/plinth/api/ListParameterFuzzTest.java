package io.plinth.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.plinth.support.Http.Response;
import io.plinth.support.PlinthIntegrationTest;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import org.junit.jupiter.api.Test;

/**
 * Random and hostile list parameters, generated with jqwik's generators and sent over real HTTP: the only answers
 * are 200 and 400 in the error shape, never a 500 or an SQL error (which would surface as INTERNAL_ERROR).
 */
class ListParameterFuzzTest extends PlinthIntegrationTest {

    private static final List<String> NAMES = List.of("name", "rank", "price", "tag", "batch", "status", "id",
            "createdAt", "updatedAt", "version", "nope", "", "NAME", "na me", "'; drop table item; --", "rank\u0000");
    private static final List<String> OPERATORS = List.of("", "[eq]", "[ne]", "[gt]", "[gte]", "[lt]", "[lte]", "[in]",
            "[contains]", "[icontains]", "[startsWith]", "[istartsWith]", "[isNull]", "[like]", "[", "]", "[]", "[[gt]]",
            "[gt", "[eq][ne]");

    private static Arbitrary<String> values() {
        return Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(30),
                Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(30),
                Arbitraries.integers().map(String::valueOf),
                Arbitraries.longs().map(String::valueOf),
                Arbitraries.bigDecimals().map(b -> b.toPlainString()),
                Arbitraries.of("", "null", "true", "false", "A", "B,C", "A,,B", "%", "_", "\\", "'", "\"", "2026-01-01",
                        "2026-01-01T00:00:00Z", "9999-12-31T23:59:59.999999Z", "NaN", "-0", "1e309", "ACTIVE", "DRAFT",
                        "00000000-0000-0000-0000-000000000000", "x".repeat(5000), "\u202Eevil", "%00", "\uD83D\uDE00"));
    }

    private static Arbitrary<String> parameter() {
        Arbitrary<String> filter = Combinators.combine(Arbitraries.of(NAMES), Arbitraries.of(OPERATORS), values())
                .as((name, op, value) -> enc(name + op) + "=" + enc(value));
        Arbitrary<String> sort = Arbitraries.of(NAMES).list().ofMaxSize(4)
                .map(keys -> "sort=" + enc(String.join(",", keys.stream().map(k -> k.hashCode() % 2 == 0 ? "-" + k : k).toList())));
        Arbitrary<String> reserved = Combinators.combine(Arbitraries.of("limit", "cursor", "fields", "count"), values())
                .as((key, value) -> key + "=" + enc(value));
        return Arbitraries.oneOf(filter, filter, sort, reserved);
    }

    private static String enc(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    @Test
    void answersOnly200Or400ToRandomAndHostileParameters() {
        List<String> queries = parameter().list().ofMinSize(1).ofMaxSize(5).map(p -> String.join("&", p))
                .sampleStream().limit(400).toList();
        int ok = 0;
        for (String query : queries) {
            Response response = http().get("/api/v1/items?" + query);
            assertThat(response.status()).as(query).isIn(200, 400);
            if (response.status() == 400) {
                assertThat(response.json().get("code").asString()).as(query).isIn("VALIDATION_ERROR", "MALFORMED_REQUEST");
            } else {
                ok++;
            }
        }
        assertThat(ok).as("some random queries are valid").isGreaterThan(0);
    }
}
