package io.plinth.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.plinth.support.Http;
import io.plinth.support.PlinthIntegrationTest;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import tools.jackson.databind.JsonNode;

/** JSON log lines with the correlation ID, one access-log line per request, and the health groups. */
@ExtendWith(OutputCaptureExtension.class)
class LoggingAndHealthTest extends PlinthIntegrationTest {

    private static List<JsonNode> jsonLines(CapturedOutput output) {
        return output.getOut().lines().filter(l -> !l.isBlank()).map(Http::parse).toList();
    }

    @Test
    void writesEveryLogLineAsOneJsonObjectWithTheRequiredMembers(CapturedOutput output) {
        http().get("/api/v1/entities/" + UUID.randomUUID());

        await().atMost(Duration.ofSeconds(10)).until(() -> output.getOut().contains("plinth.access"));
        List<JsonNode> lines = jsonLines(output);
        assertThat(lines).isNotEmpty().allSatisfy(line -> {
            assertThat(line.has("@timestamp")).isTrue();
            assertThat(line.get("log").get("level").asString()).isNotBlank();
            assertThat(line.get("log").get("logger").asString()).isNotBlank();
            assertThat(line.has("message")).isTrue();
        });
    }

    @Test
    void writesOneAccessLineWithRouteTemplateStatusDurationAndCorrelationId(CapturedOutput output) {
        String correlationId = "trace-" + UUID.randomUUID();
        String id = UUID.randomUUID().toString();
        http().get("/api/v1/entities/" + id, "X-Correlation-ID", correlationId);

        await().atMost(Duration.ofSeconds(10)).until(() -> output.getOut().contains(correlationId));
        List<JsonNode> access = jsonLines(output).stream()
                .filter(l -> l.get("log").get("logger").asString().equals("plinth.access"))
                .filter(l -> correlationId.equals(l.path("correlationId").asString(null)))
                .toList();
        assertThat(access).hasSize(1);
        JsonNode line = access.getFirst();
        assertThat(line.get("http").get("method").asString()).isEqualTo("GET");
        assertThat(line.get("http").get("route").asString()).isEqualTo("/api/v1/{resource}/{id}");
        assertThat(line.get("http").get("status").asInt()).isEqualTo(404);
        assertThat(line.get("durationMs").isNumber()).isTrue();
        assertThat(line.get("durationMs").asDouble()).isGreaterThanOrEqualTo(0.0);
        assertThat(output.getOut()).doesNotContain(id);
    }

    @Test
    void putsTheCorrelationIdOnEveryLineLoggedWhileHandlingTheRequest(CapturedOutput output) {
        String correlationId = "create-" + UUID.randomUUID();
        http().postJson("/api/v1/entities", "{\"field1\":\"logged\"}", "X-Correlation-ID", correlationId);

        await().atMost(Duration.ofSeconds(10)).until(() -> output.getOut().contains(correlationId));
        assertThat(jsonLines(output).stream().filter(l -> correlationId.equals(l.path("correlationId").asString(null))))
                .isNotEmpty()
                .allSatisfy(l -> assertThat(l.get("correlationId").asString()).isEqualTo(correlationId));
    }

    @Test
    void reportsLivenessAndReadinessWithTheDatabaseInReadiness() {
        JsonNode readiness = http().get("/actuator/health/readiness").json();
        assertThat(readiness.get("status").asString()).isEqualTo("UP");
        assertThat(readiness.get("components").get("db").get("status").asString()).isEqualTo("UP");

        JsonNode liveness = http().get("/actuator/health/liveness").json();
        assertThat(liveness.get("status").asString()).isEqualTo("UP");
        assertThat(liveness.path("components").has("db")).isFalse();

        assertThat(http().get("/actuator/health").status()).isEqualTo(200);
    }

    @Test
    void exposesPrometheusMetrics() {
        Http.Response metrics = http().get("/actuator/prometheus");
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.text()).contains("hikaricp_connections", "http_server_requests_seconds_count");
    }
}
