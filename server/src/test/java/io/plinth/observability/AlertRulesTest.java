package io.plinth.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.plinth.support.PlinthIntegrationTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The alert rules in {@code ops/prometheus}: valid for Prometheus, unit-tested with promtool, complete (severity,
 * summary, runbook), every runbook present, and every metric they name exported by a running Plinth.
 */
class AlertRulesTest extends PlinthIntegrationTest {

    private static final Path OPS = Path.of("..", "ops", "prometheus");
    private static final Path REPOSITORY = Path.of("..");
    private static final Set<String> PROMQL_WORDS = Set.of("sum", "max", "min", "avg", "count", "rate", "irate",
            "increase", "delta", "deriv", "histogram_quantile", "and", "or", "unless", "by", "without", "on", "ignoring",
            "group_left", "group_right", "bool", "offset", "abs", "clamp_min", "clamp_max", "absent", "time", "le");
    /** Series Prometheus makes itself rather than scraping them. */
    private static final Set<String> PROMETHEUS_OWN = Set.of("up");

    @Test
    void promtoolAcceptsTheRulesAndTheirUnitTestsPass() throws Exception {
        assertThat(promtool("check", "rules", "alerts.yml")).contains("SUCCESS");
        assertThat(promtool("test", "rules", "alerts.test.yml")).contains("SUCCESS");
    }

    @Test
    void everyAlertHasSeveritySummaryARunbookThatExistsAndAUnitTest() throws IOException {
        String tests = Files.readString(OPS.resolve("alerts.test.yml"));
        String index = Files.readString(REPOSITORY.resolve("docs/runbooks/README.md"));
        List<Map<String, Object>> rules = rules();
        assertThat(rules).hasSizeGreaterThanOrEqualTo(8);
        for (Map<String, Object> rule : rules) {
            String name = (String) rule.get("alert");
            @SuppressWarnings("unchecked") Map<String, String> labels = (Map<String, String>) rule.get("labels");
            @SuppressWarnings("unchecked") Map<String, String> annotations = (Map<String, String>) rule.get("annotations");
            assertThat(labels.get("severity")).as(name).isIn("P1", "P2", "P3");
            assertThat(rule.get("for")).as(name).isNotNull();
            assertThat(annotations.get("summary")).as(name).isNotBlank();
            Path runbook = REPOSITORY.resolve(annotations.get("runbook_url"));
            assertThat(runbook).as(name).isRegularFile();
            assertThat(Files.readString(runbook)).as(name).contains(name);
            assertThat(index).as("runbook index lists " + name).contains(name);
            assertThat(tests).as("a promtool unit test of " + name).contains("alertname: " + name);
        }
    }

    @Test
    void everyMetricAnExpressionNamesIsExportedByPlinth() throws IOException {
        http().get("/api/v1/entities?limit=1");
        http().get("/api/v1/entities/00000000-0000-4000-8000-000000000000");
        String exported = http().get("/actuator/prometheus").text();
        Set<String> names = new LinkedHashSet<>();
        for (Map<String, Object> rule : rules()) {
            names.addAll(metricNames((String) rule.get("expr")));
        }
        assertThat(names).contains("plinth_database_up", "http_server_requests_seconds_bucket", "hikaricp_connections_pending");
        for (String name : names) {
            if (!PROMETHEUS_OWN.contains(name)) {
                assertThat(exported).as("/actuator/prometheus exports " + name).containsPattern("(?m)^" + name + "[{ ]");
            }
        }
        assertThat(exported).containsPattern("(?m)^http_server_requests_seconds_bucket\\{.*resource=\"entity\".*le=\"0\\.2\"");
    }

    /** The metric names of a PromQL expression: identifiers outside label matchers, ranges, strings and groupings. */
    static Set<String> metricNames(String expression) {
        String bare = expression
                .replaceAll("\"[^\"]*\"", "")
                .replaceAll("\\{[^}]*}", "")
                .replaceAll("\\[[^]]*]", "")
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", "");
        Set<String> names = new LinkedHashSet<>();
        Matcher identifiers = Pattern.compile("(?<![\\w.])[a-zA-Z_:][a-zA-Z0-9_:]*").matcher(bare);
        while (identifiers.find()) {
            if (!PROMQL_WORDS.contains(identifiers.group())) {
                names.add(identifiers.group());
            }
        }
        return names;
    }

    @Test
    void readsMetricNamesOutOfExpressions() {
        assertThat(metricNames("histogram_quantile(0.95, sum by (le, resource) (rate(a_bucket{job=\"x\", uri=~\"/api/.*\"}[5m]))) > 0.2"))
                .containsExactly("a_bucket");
        assertThat(metricNames("b{pool=\"p\"} > 0 and c >= d and max by (job) (delta(e[15m])) > 1e3"))
                .containsExactly("b", "c", "d", "e");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> rules() throws IOException {
        Map<String, Object> document = new Yaml().load(Files.readString(OPS.resolve("alerts.yml")));
        return ((List<Map<String, Object>>) document.get("groups")).stream()
                .flatMap(group -> ((List<Map<String, Object>>) group.get("rules")).stream())
                .toList();
    }

    private static String promtool(String... arguments) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("promtool"));
        command.addAll(List.of(arguments));
        Process process;
        try {
            process = new ProcessBuilder(command).directory(OPS.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError("promtool is needed (Debian: apt-get install prometheus; .ci/run installs it)", e);
        }
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }
}
