package io.plinth.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.plinth.embedded.EmbeddedQueueServer;
import io.plinth.support.Http;
import io.plinth.support.Http.Response;
import io.plinth.support.PlinthIntegrationTest;
import io.plinth.support.QueueReader;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jooq.DSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import software.amazon.awssdk.services.sqs.model.Message;
import tools.jackson.databind.JsonNode;

/**
 * Every change reaches the real embedded SQS-compatible queue through the outbox, in the documented contract; rolled
 * back changes never do; an SQS outage loses nothing and fails no write.
 */
class EventsTest extends PlinthIntegrationTest {

    private static final Schema CONTRACT = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
            .getSchema(QueueReader.eventSchema());

    @Autowired
    EventQueue queue;
    @Autowired
    EmbeddedQueueServer embeddedQueue;
    @Autowired
    DSLContext dsl;

    private QueueReader reader;

    @BeforeEach
    void emptyTheQueue() {
        queue.client().purgeQueue(b -> b.queueUrl(queue.queueUrl()));
        reader = new QueueReader(queue.client(), queue.queueUrl());
    }

    @AfterEach
    void everyMessageSeenKeepsTheContract() {
        for (Message message : reader.messages()) {
            assertThat(CONTRACT.validate(Http.parse(message.body()))).as(message.body()).isEmpty();
        }
    }

    private List<JsonNode> eventsOf(String id, int count) {
        List<JsonNode> events = reader.await(QueueReader.about(id), count, Duration.ofSeconds(20));
        assertThat(events).as("events of %s", id).hasSize(count);
        return events;
    }

    private Response patch(String path, String json) {
        return http().send(http().request(path, "Content-Type", "application/merge-patch+json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(json)));
    }

    @Test
    void aCreateYieldsExactlyTheDocumentedCreatedEvent() {
        Response created = http().postJson("/api/v1/entities", "{\"field1\":\"evented\",\"field2\":3}",
                "X-Correlation-ID", "create-event-1");
        JsonNode record = created.json();

        JsonNode event = eventsOf(record.get("id").asString(), 1).getFirst();

        assertThat(event.get("type").asString()).isEqualTo("ENTITY_CREATED");
        assertThat(UUID.fromString(event.get("eventId").asString())).isNotNull();
        assertThat(event.get("resource").asString()).isEqualTo("entity");
        assertThat(event.get("recordVersion").asLong()).isEqualTo(1);
        assertThat(event.get("correlationId").asString()).isEqualTo("create-event-1");
        assertThat(event.get("principal").asString()).isEqualTo("admin");
        assertThat(event.get("payload").get("id")).isEqualTo(record.get("id"));
        assertThat(event.get("payload").get("timestamp")).isEqualTo(record.get("updatedAt"));
        assertThat(event.get("payload").get("data")).isEqualTo(record);
        Message message = reader.messages().stream().filter(m -> m.body().contains(record.get("id").asString()))
                .findFirst().orElseThrow();
        assertThat(message.messageAttributes().get("eventType").stringValue()).isEqualTo("ENTITY_CREATED");
        assertThat(message.messageAttributes().get("resource").stringValue()).isEqualTo("entity");
        assertThat(message.messageAttributes().get("correlationId").stringValue()).isEqualTo("create-event-1");
    }

    @Test
    void updatesTransitionsAndDeletesYieldTheirEventsInOrder() {
        JsonNode record = http().postJson("/api/v1/entities", "{\"field1\":\"life\"}").json();
        String id = record.get("id").asString();
        String path = "/api/v1/entities/" + id;
        JsonNode updated = patch(path, "{\"field2\":9,\"field1\":\"life\"}").json();
        JsonNode activated = http().postJson(path + "/transitions", "{\"to\":\"ACTIVE\",\"reason\":\"go live\"}").json();
        assertThat(http().method("DELETE", path).status()).isEqualTo(204);

        // A standard SQS queue may hand messages out of the order they were sent in (the relay sends in commit order);
        // consumers order a record's events by recordVersion, the deletion last.
        List<JsonNode> events = eventsOf(id, 4).stream().sorted(java.util.Comparator
                .comparingLong((JsonNode e) -> e.get("recordVersion").asLong())
                .thenComparing(e -> e.get("type").asString().endsWith("_DELETED"))).toList();

        assertThat(events).extracting(e -> e.get("type").asString())
                .containsExactly("ENTITY_CREATED", "ENTITY_UPDATED", "ENTITY_STATUS_CHANGED", "ENTITY_DELETED");
        assertThat(events).extracting(e -> e.get("recordVersion").asLong()).containsExactly(1L, 2L, 3L, 3L);
        JsonNode update = events.get(1).get("payload");
        assertThat(update.get("data")).isEqualTo(updated);
        assertThat(update.get("changedFields").valueStream().map(JsonNode::asString).toList()).containsExactly("field2");
        JsonNode transition = events.get(2).get("payload");
        assertThat(transition.get("from").asString()).isEqualTo("DRAFT");
        assertThat(transition.get("to").asString()).isEqualTo("ACTIVE");
        assertThat(transition.get("reason").asString()).isEqualTo("go live");
        assertThat(transition.get("data")).isEqualTo(activated);
        JsonNode deletion = events.get(3).get("payload");
        assertThat(deletion.get("data")).isEqualTo(activated);
        assertThat(events.stream().map(e -> e.get("eventId").asString()).distinct()).hasSize(4);
    }

    @Test
    void bulkWritesYieldOneEventPerRecordAndCustomPrefixesAreUsed() {
        Response bulk = http().postJson("/api/v1/entities/_bulk", "[{\"field1\":\"b1\"},{\"field1\":\"b2\"}]");
        for (JsonNode record : bulk.json().get("data")) {
            assertThat(eventsOf(record.get("id").asString(), 1).getFirst().get("type").asString())
                    .isEqualTo("ENTITY_CREATED");
        }
        String ticket = http().postJson("/api/v1/tickets", "{\"title\":\"t\"}").json().get("id").asString();
        assertThat(eventsOf(ticket, 1).getFirst().get("type").asString()).isEqualTo("TASK_CREATED");
    }

    @Test
    void rolledBackAndRefusedChangesYieldNoEvent() {
        String code = "rb-" + UUID.randomUUID().toString().substring(0, 8);
        // The second record breaks a unique constraint: the whole bulk rolls back, the first record's event with it.
        assertThat(http().postJson("/api/v1/tickets/_bulk",
                "[{\"title\":\"a\",\"code\":\"" + code + "\"},{\"title\":\"b\",\"code\":\"" + code + "\"}]").status())
                .isEqualTo(409);
        JsonNode record = http().postJson("/api/v1/entities", "{\"field1\":\"guarded\"}").json();
        String path = "/api/v1/entities/" + record.get("id").asString();
        assertThat(http().send(http().request(path, "Content-Type", "application/merge-patch+json", "If-Match", "\"9\"")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"field2\":1}"))).status()).isEqualTo(412);
        assertThat(http().postJson(path + "/transitions", "{\"to\":\"DRAFT\"}").status()).isEqualTo(409);
        patch(path, "{\"field2\":2}");

        List<JsonNode> events = eventsOf(record.get("id").asString(), 2);
        assertThat(events).extracting(e -> e.get("type").asString()).containsExactly("ENTITY_CREATED", "ENTITY_UPDATED");
        assertThat(dsl.fetchCount(dsl.selectFrom("plinth_outbox").where("body like ?", "%" + code + "%"))).isZero();
    }

    @Test
    void aResourceWithEventsSwitchedOffYieldsNone() {
        String note = http().postJson("/api/v1/notes", "{\"title\":\"quiet\"}").json().get("id").asString();
        assertThat(dsl.fetchCount(dsl.selectFrom("plinth_outbox").where("record_id = ?::uuid", note))).isZero();
    }

    @Test
    void anSqsOutageLosesNothingAndFailsNoWrite() {
        long[] normal = new long[200];
        for (int i = 0; i < normal.length; i++) {
            long started = System.nanoTime();
            assertThat(http().postJson("/api/v1/entities", "{\"field1\":\"before outage\"}").status()).isEqualTo(201);
            normal[i] = (System.nanoTime() - started) / 1000;
        }
        java.util.Arrays.sort(normal);
        System.out.printf("writes with SQS up: p50 %d us, p99 %d us%n", normal[100], normal[198]);
        List<String> ids = new ArrayList<>();
        long[] micros = new long[1000];
        embeddedQueue.stopHttp();
        try {
            for (int i = 0; i < 1000; i++) {
                long started = System.nanoTime();
                Response created = http().postJson("/api/v1/entities", "{\"field1\":\"during outage " + i + "\"}");
                micros[i] = (System.nanoTime() - started) / 1000;
                assertThat(created.status()).isEqualTo(201);
                ids.add(created.json().get("id").asString());
            }
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(http().get("/api/v1/_admin/events").json().get("lastError").isNull()).isFalse());
        } finally {
            embeddedQueue.startHttp();
        }
        java.util.Arrays.sort(micros);
        System.out.printf("writes during the SQS outage: p50 %d us, p99 %d us%n", micros[500], micros[990]);

        Set<String> wanted = Set.copyOf(ids);
        List<JsonNode> events = reader.awaitRecords(wanted, Duration.ofSeconds(90));
        assertThat(events.stream().map(e -> e.get("payload").get("id").asString()).collect(Collectors.toSet()))
                .containsExactlyInAnyOrderElementsOf(wanted);
    }

    @Test
    void historyListsARecordsEventsNewestFirstPageByPage() {
        JsonNode record = http().postJson("/api/v1/entities", "{\"field1\":\"audited\"}").json();
        String path = "/api/v1/entities/" + record.get("id").asString();
        for (int i = 1; i <= 4; i++) {
            patch(path, "{\"field2\":" + i + "}");
        }
        http().method("DELETE", path);

        JsonNode first = http().get(path + "/events?limit=3").json();
        assertThat(first.get("data")).extracting(e -> e.get("type").asString())
                .containsExactly("ENTITY_DELETED", "ENTITY_UPDATED", "ENTITY_UPDATED");
        JsonNode second = http().get(path + "/events?limit=3&cursor=" + first.get("page").get("nextCursor").asString()).json();
        assertThat(second.get("data")).extracting(e -> e.get("recordVersion").asLong()).containsExactly(3L, 2L, 1L);
        assertThat(second.get("page").get("nextCursor").isNull()).isTrue();
        assertError(http().get(path + "/events?limit=0"), 400, "VALIDATION_ERROR");
        assertError(http().get(path + "/events?cursor=abc"), 400, "VALIDATION_ERROR");
        assertError(http().get("/api/v1/entities/nope/events"), 404, "NOT_FOUND");
        assertThat(http().get("/api/v1/entities/" + UUID.randomUUID() + "/events").json().get("data")).isEmpty();
    }

    @Test
    void operatorsCanPauseResumeAndRepublish() {
        assertThat(http().postJson("/api/v1/_admin/events/pause", "").json().get("paused").asBoolean()).isTrue();
        String id;
        try {
            id = http().postJson("/api/v1/entities", "{\"field1\":\"held\"}").json().get("id").asString();
            assertThat(reader.await(QueueReader.about(id), 1, Duration.ofSeconds(3))).isEmpty();
            assertThat(http().get("/api/v1/_admin/events").json().get("backlog").asLong()).isGreaterThanOrEqualTo(1);
        } finally {
            assertThat(http().postJson("/api/v1/_admin/events/resume", "").json().get("paused").asBoolean()).isFalse();
        }
        JsonNode first = eventsOf(id, 1).getFirst();

        String since = first.get("payload").get("timestamp").asString();
        JsonNode republished = http().postJson("/api/v1/_admin/events/republish", "{\"since\":\"" + since + "\"}").json();
        assertThat(republished.get("republished").asInt()).isGreaterThanOrEqualTo(1);
        List<JsonNode> again = reader.await(QueueReader.about(id), 2, Duration.ofSeconds(20));
        assertThat(again).hasSize(2);
        assertThat(again.get(1).get("eventId")).isEqualTo(first.get("eventId"));
        assertError(http().postJson("/api/v1/_admin/events/republish", "{}"), 400, "VALIDATION_ERROR");
        assertError(http().postJson("/api/v1/_admin/events/republish", "{\"since\":\"yesterday\"}"), 400, "VALIDATION_ERROR");
    }

    @Autowired
    OutboxRelay relay;

    @Test
    void prunesSentEventsOlderThanTheRetentionAndKeepsTheRest() {
        String old = http().postJson("/api/v1/entities", "{\"field1\":\"old news\"}").json().get("id").asString();
        String fresh = http().postJson("/api/v1/entities", "{\"field1\":\"fresh news\"}").json().get("id").asString();
        await().atMost(Duration.ofSeconds(20)).until(() -> dsl.fetchCount(dsl.selectFrom("plinth_outbox")
                .where("record_id in (?::uuid, ?::uuid) and sent_at is not null", old, fresh)) == 2);
        dsl.execute("update plinth_outbox set sent_at = now() - interval '31 days' where record_id = ?::uuid", old);

        relay.prune();

        assertThat(dsl.fetchCount(dsl.selectFrom("plinth_outbox").where("record_id = ?::uuid", old))).isZero();
        assertThat(dsl.fetchCount(dsl.selectFrom("plinth_outbox").where("record_id = ?::uuid", fresh))).isEqualTo(1);
    }

    @Test
    void refusesASecondEmbeddedQueueOnAnotherDatabaseInTheSameJvm() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> EmbeddedQueueServer.start(0,
                        "jdbc:postgresql://localhost:1/elsewhere", "x", "x", java.nio.file.Path.of("target", "test-data", "other-queue")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("one database per JVM");
    }

    @Test
    void exposesOutboxAndRelayMetrics() {
        http().postJson("/api/v1/entities", "{\"field1\":\"measured\"}");
        String metrics = http().get("/actuator/prometheus").text();
        assertThat(metrics).contains("plinth_outbox_backlog", "plinth_outbox_oldest_age_seconds",
                "plinth_events_published_total", "plinth_events_publish_failures_total",
                "plinth_events_relay_batch_size", "plinth_events_commit_to_queue_seconds");
    }
}
