package io.plinth.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static io.plinth.support.StandaloneApps.http;
import static io.plinth.support.StandaloneApps.newDataDir;
import static io.plinth.support.StandaloneApps.start;


import io.plinth.embedded.EmbeddedPostgresServer;
import io.plinth.embedded.EmbeddedQueueServer;
import io.plinth.support.Http;
import io.plinth.support.PlinthProcess;
import io.plinth.support.QueueReader;



import java.net.http.HttpRequest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;




import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import tools.jackson.databind.JsonNode;

/**
 * Delivery guarantees with whole applications: a crash (SIGKILL of a separate process) loses no committed event,
 * two instances on one database deliver each event once, and a FIFO queue keeps a record's events in order.
 */
class EventDeliveryTest {

    private static List<String> createEntities(Http http, int count, String label) {
        List<String> ids = new ArrayList<>();
        for (int from = 0; from < count; from += 100) {
            StringBuilder body = new StringBuilder("[");
            for (int i = from; i < Math.min(count, from + 100); i++) {
                body.append(i > from ? "," : "").append("{\"field1\":\"").append(label).append(' ').append(i).append("\"}");
            }
            JsonNode created = http.postJson("/api/v1/entities/_bulk", body.append(']').toString()).json();
            created.get("data").forEach(r -> ids.add(r.get("id").asString()));
        }
        return ids;
    }

    private static Set<String> recordIds(List<JsonNode> events) {
        Set<String> ids = new HashSet<>();
        events.forEach(e -> ids.add(e.get("payload").get("id").asString()));
        return ids;
    }

    @Test
    void aKilledProcessLosesNoCommittedEvent() throws Exception {
        PlinthProcess plinth = new PlinthProcess(newDataDir("events-"));
        Http http = plinth.http();
        List<String> ids = new ArrayList<>();
        plinth.start();
        try {
            ids.addAll(createEntities(http, 100, "published before the crash"));
            await().atMost(Duration.ofSeconds(30)).until(() -> http.get("/api/v1/_admin/events").json()
                    .get("backlog").asLong() == 0);
            ids.addAll(createEntities(http, 300, "committed before the crash"));
        } finally {
            plinth.kill();
        }
        plinth.start();
        try (SqsClient client = plinth.queueClient()) {
            String queueUrl = client.getQueueUrl(b -> b.queueName("plinth-events")).queueUrl();
            QueueReader reader = new QueueReader(client, queueUrl);
            Set<String> wanted = Set.copyOf(ids);
            List<JsonNode> events = reader.awaitRecords(wanted, Duration.ofSeconds(120));
            assertThat(recordIds(events)).containsExactlyInAnyOrderElementsOf(wanted);
            Map<String, String> recordOfEvent = new HashMap<>();
            for (JsonNode event : events) {
                String previous = recordOfEvent.putIfAbsent(event.get("eventId").asString(),
                        event.get("payload").get("id").asString());
                assertThat(previous == null || previous.equals(event.get("payload").get("id").asString()))
                        .as("a duplicate carries the same eventId and record").isTrue();
            }
            System.out.printf("after SIGKILL: %d events for %d records%n", events.size(), wanted.size());
        } finally {
            plinth.terminate();
            plinth.waitFor();
        }
    }

    @Test
    void twoInstancesOnOneDatabaseDeliverEachEventOnceAndAFifoQueueKeepsOrder() throws Exception {
        System.setProperty("aws.accessKeyId", "x");
        System.setProperty("aws.secretAccessKey", "x");
        try (ConfigurableApplicationContext first = start(newDataDir("events-"))) {
            EmbeddedQueueServer queueServer = first.getBean(EmbeddedQueueServer.class);
            EventQueue firstQueue = first.getBean(EventQueue.class);
            String database = "jdbc:postgresql://localhost:" + first.getBean(EmbeddedPostgresServer.class).port() + "/postgres";
            try (ConfigurableApplicationContext second = start(newDataDir("events-"), "--PLINTH_DATABASE_URL=" + database,
                    "--PLINTH_DATABASE_USERNAME=postgres", "--PLINTH_DATABASE_PASSWORD=postgres",
                    "--plinth.events.sqs.queue-url=" + firstQueue.queueUrl(),
                    "--plinth.events.sqs.endpoint=" + queueServer.endpoint(), "--plinth.events.sqs.region=us-east-1")) {
                assertThat(first.getBean(OutboxRelay.class).isLeader() ^ second.getBean(OutboxRelay.class).isLeader())
                        .as("exactly one active relay").isTrue();
                List<String> ids = new ArrayList<>();
                for (int i = 0; i < 100; i++) {
                    Http through = i % 2 == 0 ? http(first) : http(second);
                    ids.add(through.postJson("/api/v1/entities", "{\"field1\":\"twice " + i + "\"}").json().get("id").asString());
                }
                QueueReader reader = new QueueReader(firstQueue.client(), firstQueue.queueUrl());
                Set<String> wanted = Set.copyOf(ids);
                reader.await(e -> wanted.contains(e.path("payload").path("id").asString(null)), 100, Duration.ofSeconds(30));
                // Anything more would arrive within the poll interval; give it the chance to show up.
                reader.await(e -> false, 1, Duration.ofSeconds(3));
                List<JsonNode> events = reader.matching(e -> wanted.contains(e.path("payload").path("id").asString(null)));
                assertThat(events).hasSize(100);
                assertThat(events.stream().map(e -> e.get("eventId").asString()).distinct()).hasSize(100);
            }

            SqsClient client = firstQueue.client();
            String fifoUrl = client.createQueue(b -> b.queueName("ordered-events.fifo")
                    .attributes(Map.of(QueueAttributeName.FIFO_QUEUE, "true"))).queueUrl();
            try (ConfigurableApplicationContext ordered = start(newDataDir("events-"), "--plinth.events.sqs.queue-url=" + fifoUrl,
                    "--plinth.events.sqs.endpoint=" + queueServer.endpoint(), "--plinth.events.sqs.region=us-east-1")) {
                Http http = http(ordered);
                String id = http.postJson("/api/v1/entities", "{\"field1\":\"ordered\"}").json().get("id").asString();
                for (int i = 0; i < 100; i++) {
                    assertThat(http.send(http.request("/api/v1/entities/" + id, "Content-Type", "application/merge-patch+json")
                            .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"field2\":" + i + "}"))).status())
                            .isEqualTo(200);
                }
                QueueReader reader = new QueueReader(client, fifoUrl);
                List<JsonNode> events = reader.await(QueueReader.about(id), 101, Duration.ofSeconds(60));
                assertThat(events).extracting(e -> e.get("recordVersion").asLong())
                        .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, 101).boxed().toList());
                assertThat(reader.messages().getFirst().attributes()).isNotNull();
            }
        } finally {
            System.clearProperty("aws.accessKeyId");
            System.clearProperty("aws.secretAccessKey");
        }
    }
}
