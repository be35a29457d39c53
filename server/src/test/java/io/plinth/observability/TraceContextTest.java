package io.plinth.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.plinth.events.EventQueue;
import io.plinth.support.PlinthIntegrationTest;
import io.plinth.support.QueueReader;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * A W3C {@code traceparent} sent with a request continues through Plinth: its trace id is in the request's log lines,
 * the server span and the SQL spans belong to it, and the event the request caused carries it to the queue.
 */
@ExtendWith(OutputCaptureExtension.class)
class TraceContextTest extends PlinthIntegrationTest {

    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String PARENT = "00f067aa0ba902b7";

    @Autowired
    InMemorySpanExporter spans;
    @Autowired
    EventQueue queue;

    @Test
    void aRequestsTraceReachesItsLogsSqlSpansAndEventMessage(CapturedOutput output) {
        String id = http().postJson("/api/v1/entities", "{\"field1\":\"traced\"}",
                "traceparent", "00-" + TRACE_ID + "-" + PARENT + "-01").json().get("id").asString();

        assertThat(output.getOut().lines().filter(line -> line.contains("\"plinth.access\"") && line.contains(TRACE_ID)))
                .as("the access log line carries the trace and span ids")
                .anyMatch(line -> line.contains("\"traceId\":\"" + TRACE_ID + "\"") && line.contains("\"spanId\":\"")
                        && line.contains("\"correlationId\":\""));

        await().atMost(Duration.ofSeconds(20)).until(() -> spansOf(TRACE_ID).stream()
                .anyMatch(span -> span.getName().startsWith("sql insert")));
        List<SpanData> trace = spansOf(TRACE_ID);
        SpanData server = trace.stream().filter(span -> span.getParentSpanId().equals(PARENT)).findFirst().orElseThrow();
        assertThat(server.getName()).containsIgnoringCase("post");
        assertThat(trace).filteredOn(span -> span.getName().startsWith("sql "))
                .isNotEmpty()
                .allSatisfy(span -> assertThat(span.getAttributes().asMap().toString()).contains("db.statement"));

        QueueReader reader = new QueueReader(queue.client(), queue.queueUrl());
        reader.await(QueueReader.about(id), 1, Duration.ofSeconds(20));
        Message message = reader.messages().stream().filter(m -> m.body().contains(id)).findFirst().orElseThrow();
        assertThat(message.messageAttributes().get("traceparent").stringValue())
                .matches("00-" + TRACE_ID + "-[0-9a-f]{16}-01");
    }

    @Test
    void requestsWithoutATraceparentStartTheirOwnTrace(CapturedOutput output) {
        http().get("/api/v1/entities?limit=1", "X-Correlation-ID", "untraced-request");
        assertThat(output.getOut().lines().filter(line -> line.contains("untraced-request")))
                .anyMatch(line -> line.matches(".*\"traceId\":\"[0-9a-f]{32}\".*"));
    }

    @Test
    void statementsOfAnUnsampledTraceAreTimedWithoutSpans() {
        String unsampled = "0af7651916cd43dd8448eb211c80319c";
        double before = selectCount();
        http().get("/api/v1/entities?limit=1", "traceparent", "00-" + unsampled + "-b7ad6b7169203331-00");
        assertThat(selectCount()).as("plinth_sql_seconds counts the unsampled request's select").isGreaterThan(before);
        assertThat(spansOf(unsampled)).isEmpty();
        assertThat(http().get("/actuator/prometheus").text()).as("no long-task timers beside the timers")
                .contains("http_server_requests_seconds_count")
                .doesNotContain("plinth_sql_active_seconds", "http_server_requests_active_seconds");
    }

    private double selectCount() {
        String exported = http().get("/actuator/prometheus").text();
        return exported.lines()
                .filter(line -> line.startsWith("plinth_sql_seconds_count{") && line.contains("db_operation=\"select\"")
                        && line.contains("error=\"none\""))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }

    private List<SpanData> spansOf(String traceId) {
        return spans.getFinishedSpanItems().stream().filter(span -> span.getTraceId().equals(traceId)).toList();
    }
}
