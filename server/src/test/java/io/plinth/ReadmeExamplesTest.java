package io.plinth;

import static org.assertj.core.api.Assertions.assertThat;

import io.plinth.support.Http;
import io.plinth.support.PlinthIntegrationTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The README's curl examples, run as printed (only the port differs) against a running Plinth, and their output
 * compared with the output the README shows. Values the README elides as "..." and generated ids and timestamps are
 * not compared; everything else is.
 */
class ReadmeExamplesTest extends PlinthIntegrationTest {

    private static final Pattern BLOCK = Pattern.compile("```(\\w*)\\n(.*?)```", Pattern.DOTALL);
    private static final Set<String> GENERATED = Set.of("id", "createdAt", "updatedAt");

    record Block(String language, String text) {
    }

    @Test
    void everyCurlExampleAnswersAsTheReadmeShows() throws Exception {
        List<Block> blocks = blocks(Files.readString(Path.of("..", "README.md")));
        int examples = 0;
        for (int i = 0; i < blocks.size(); i++) {
            Block block = blocks.get(i);
            if (!block.language().equals("bash") || !block.text().contains("curl ")) {
                continue;
            }
            String output = run(block.text().replace("http://localhost:8080", http().base()));
            Block expected = i + 1 < blocks.size() ? blocks.get(i + 1) : null;
            if (expected == null || expected.language().equals("bash")) {
                continue;
            }
            examples++;
            List<String> expectedLines = expected.text().strip().lines().toList();
            List<String> actualLines = output.strip().lines().toList();
            if (expectedLines.getFirst().startsWith("HTTP/1.1")) {
                assertThat(actualLines.getFirst().strip()).as(block.text()).isEqualTo(expectedLines.getFirst().strip());
            }
            String expectedLast = expectedLines.getLast().strip();
            String actualLast = actualLines.isEmpty() ? "" : actualLines.getLast().strip();
            if (expectedLast.startsWith("{") || expectedLast.startsWith("[")) {
                assertSameJson(Http.parse(expectedLast), Http.parse(actualLast), block.text());
            } else {
                assertThat(actualLast).as(block.text()).isEqualTo(expectedLast);
            }
        }
        assertThat(examples).as("curl examples with shown output").isGreaterThanOrEqualTo(10);
    }

    /** Equal JSON, where "..." in the README stands for any value and generated ids and timestamps are not compared. */
    private static void assertSameJson(JsonNode expected, JsonNode actual, String example) {
        if (expected.isString() && expected.asString().equals("...")) {
            return;
        }
        if (expected.isObject()) {
            assertThat(actual.isObject()).as(example).isTrue();
            assertThat(actual.propertyNames()).as(example).containsExactlyElementsOf(expected.propertyNames());
            for (Map.Entry<String, JsonNode> property : expected.properties()) {
                if (!GENERATED.contains(property.getKey())) {
                    assertSameJson(property.getValue(), actual.get(property.getKey()), example);
                }
            }
        } else if (expected.isArray()) {
            assertThat(actual.isArray()).as(example).isTrue();
            assertThat(actual.size()).as(example).isEqualTo(expected.size());
            for (int i = 0; i < expected.size(); i++) {
                assertSameJson(expected.get(i), actual.get(i), example);
            }
        } else {
            assertThat(actual).as(example).isEqualTo(expected);
        }
    }

    private static List<Block> blocks(String markdown) {
        List<Block> blocks = new ArrayList<>();
        Matcher matcher = BLOCK.matcher(markdown);
        while (matcher.find()) {
            blocks.add(new Block(matcher.group(1), matcher.group(2)));
        }
        return blocks;
    }

    private static String run(String script) throws IOException, InterruptedException {
        // As a reader would: with the admin password of the first start exported, and the API key the README's
        // login example makes (the test instance's own admin key stands in for the one each block would make).
        ProcessBuilder builder = new ProcessBuilder("bash", "-euo", "pipefail", "-c", script)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .directory(java.nio.file.Files.createDirectories(Path.of("target", "readme-examples")).toFile());
        builder.environment().put("PLINTH_ADMIN_PASSWORD", io.plinth.support.TestCredentials.ADMIN_PASSWORD);
        builder.environment().put("PLINTH_KEY", io.plinth.support.TestCredentials.ADMIN_KEY);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(output).isZero();
        return output.replace("\r", "");
    }
}
