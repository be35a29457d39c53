package io.plinth.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.plinth.definition.DefinitionLoader;
import io.plinth.definition.ResourceDefinition;
import io.plinth.error.ErrorCode;
import io.plinth.error.PlinthException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.StringLength;

/** Properties of strict reading over large input spaces: the rules hold for every value, not just the examples. */
class RecordReaderProperties {

    private static final ResourceDefinition WIDGET = DefinitionLoader.load("props.yaml", new StringReader("""
            resources:
              widget:
                fields:
                  count: {type: integer, min: -5, max: 100}
                  label: {type: string, maxLength: 12}
                  data: {type: json}
            """)).byName("widget").orElseThrow();

    private final RecordReader reader = new RecordReader();

    private RecordValues read(String json) {
        return reader.readForCreate(WIDGET, reader.parseObject(json.getBytes(StandardCharsets.UTF_8)));
    }

    @Property
    void acceptsEveryIntegerInsideTheBounds(@ForAll @IntRange(min = -5, max = 100) int count) {
        assertThat(read("{\"count\":" + count + "}").values()).containsEntry("count", count);
    }

    @Property
    void rejectsEveryIntegerOutsideTheBounds(@ForAll("outsideBounds") long count) {
        assertThatThrownBy(() -> read("{\"count\":" + count + "}"))
                .isInstanceOfSatisfying(PlinthException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_ERROR);
                    assertThat(e.details()).singleElement().satisfies(d -> assertThat(d.field()).isEqualTo("count"));
                });
    }

    @Provide
    Arbitrary<Long> outsideBounds() {
        return Arbitraries.oneOf(Arbitraries.longs().lessOrEqual(-6), Arbitraries.longs().greaterOrEqual(101));
    }

    @Property
    void acceptsStringsUpToTheLimitInCharacters(@ForAll("storableText") String label) {
        String json = "{\"label\":" + quote(label) + "}";
        int characters = label.codePointCount(0, label.length());
        if (characters <= 12) {
            assertThat(read(json).values()).containsEntry("label", label);
        } else {
            assertThatThrownBy(() -> read(json)).isInstanceOf(PlinthException.class);
        }
    }

    @Provide
    Arbitrary<String> storableText() {
        return Arbitraries.strings().withCharRange('\u0001', '\uD7FF').ofMaxLength(20);
    }

    @Property(tries = 500)
    void neverFailsWithAnythingButAPlinthErrorWhateverTheBytes(@ForAll @StringLength(max = 60) String garbage) {
        try {
            read(garbage);
        } catch (PlinthException e) {
            assertThat(e.code()).isIn(ErrorCode.MALFORMED_REQUEST, ErrorCode.VALIDATION_ERROR);
        }
    }

    @Property(tries = 300)
    void neverFailsWithAnythingButAPlinthErrorForJsonShapedInput(@ForAll("jsonish") String body) {
        try {
            read(body);
        } catch (PlinthException e) {
            assertThat(e.code()).isIn(ErrorCode.MALFORMED_REQUEST, ErrorCode.VALIDATION_ERROR);
        }
    }

    @Provide
    Arbitrary<String> jsonish() {
        Arbitrary<String> token = Arbitraries.of("{", "}", "[", "]", ":", ",", "\"count\"", "\"label\"", "\"data\"",
                "\"x\"", "1", "-0", "1e999", "1.5", "null", "true", "\"\\u0000\"", "\"\\ud800\"", " ");
        return token.list().ofMaxSize(30).map(tokens -> String.join("", tokens));
    }

    private static String quote(String text) {
        StringBuilder json = new StringBuilder("\"");
        text.codePoints().forEach(c -> {
            if (c == '"' || c == '\\' || c < 0x20) {
                json.append(String.format("\\u%04x", c));
            } else {
                json.appendCodePoint(c);
            }
        });
        return json.append('"').toString();
    }
}
