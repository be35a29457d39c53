package io.plinth.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.plinth.support.Http;
import io.plinth.support.Http.Response;
import io.plinth.support.PlinthIntegrationTest;
import io.plinth.support.Receiver;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Webhooks against real HTTP servers on loopback (healthy, failing with 500, refusing connections, hanging), fed by
 * the real relay through the embedded queue, on the shared instance's fast retry clock (PlinthIntegrationTest).
 */
class WebhooksTest extends PlinthIntegrationTest {

    private JsonNode subscribe(String url, String... types) {
        String list = java.util.Arrays.stream(types).map(t -> "\"" + t + "\"").collect(Collectors.joining(", "));
        Response created = http().postJson("/api/v1/_admin/webhooks",
                "{\"url\": \"" + url + "\", \"eventTypes\": [" + list + "], \"headers\": {\"X-Receiver-Token\": \"t0k\"}}");
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        assertThat(created.header("Cache-Control")).isEqualTo("no-store");
        io.plinth.support.SecretsLedger.record(created.json().get("secret").asString());
        return created.json();
    }

    private void unsubscribe(JsonNode webhook) {
        http().method("DELETE", "/api/v1/_admin/webhooks/" + webhook.get("id").asString());
    }

    private static String recordId(Receiver.Call call) {
        return Http.parse(call.body()).get("payload").get("id").asString();
    }

    private static List<Receiver.Call> of(List<Receiver.Call> calls, Set<String> records) {
        return calls.stream().filter(call -> records.contains(recordId(call))).toList();
    }

    private static String hmac(String secret, String text) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return java.util.HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
    }

    private void patch(String path, String json) {
        Response patched = http().send(http().request(path, "Content-Type", "application/merge-patch+json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(json)));
        assertThat(patched.status()).as(patched.text()).isEqualTo(200);
    }

    /** Each record's events in the order the receiver got them are in version order. */
    private static void assertPerRecordOrder(List<Receiver.Call> calls) {
        Map<String, List<Long>> versions = new HashMap<>();
        for (Receiver.Call call : calls) {
            JsonNode event = Http.parse(call.body());
            versions.computeIfAbsent(recordId(call), k -> new ArrayList<>()).add(event.get("recordVersion").asLong());
        }
        versions.forEach((record, list) -> assertThat(list).as("versions of %s as delivered", record).isSorted());
    }

    @Test
    void aHealthyEndpointGetsEveryEventOncePerEventIdSignedAndInPerRecordOrder() throws Exception {
        try (Receiver receiver = new Receiver(Receiver.Mode.OK)) {
            JsonNode webhook = subscribe(receiver.url(), "ENTITY_*");
            String secret = webhook.get("secret").asString();
            assertThat(secret).startsWith("whsec_");
            Set<String> records = new HashSet<>();
            long start = System.currentTimeMillis();
            for (int i = 0; i < 10; i++) {
                String id = create("/api/v1/entities", "{\"field1\": \"hooked-" + i + "\"}");
                records.add(id);
                patch("/api/v1/entities/" + id, "{\"field2\": " + i + "}");
                patch("/api/v1/entities/" + id, "{\"field2\": " + (i + 100) + "}");
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> of(receiver.accepted, records).size() >= 30);
            Thread.sleep(1500); // anything extra (a duplicate) would arrive now
            List<Receiver.Call> mine = of(receiver.accepted, records);
            assertThat(mine).hasSize(30);
            Set<String> eventIds = new HashSet<>();
            for (Receiver.Call call : mine) {
                JsonNode event = Http.parse(call.body());
                assertThat(eventIds.add(event.get("eventId").asString())).as("event delivered once").isTrue();
                assertThat(call.header("Plinth-Event-Id")).isEqualTo(event.get("eventId").asString());
                assertThat(call.header("Plinth-Event-Type")).isEqualTo(event.get("type").asString()).startsWith("ENTITY_");
                assertThat(call.header("Content-Type")).isEqualTo("application/json");
                assertThat(call.header("X-Receiver-Token")).isEqualTo("t0k");
                assertThat(call.header("traceparent")).as("the trace of the write").matches("00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]");
                String timestamp = call.header("Plinth-Timestamp");
                assertThat(Long.parseLong(timestamp)).isCloseTo(System.currentTimeMillis() / 1000, org.assertj.core.data.Offset.offset(120L));
                // The receiver's check, computed here independently of Plinth's code.
                assertThat(call.header("Plinth-Signature")).isEqualTo("v1=" + hmac(secret, timestamp + "." + call.body()));
            }
            assertPerRecordOrder(mine);
            long last = mine.stream().mapToLong(Receiver.Call::receivedAtMillis).max().orElseThrow();
            System.out.printf("Webhooks, healthy endpoint: 30 events delivered %d ms after the first write%n", last - start);

            JsonNode log = http().get("/api/v1/_admin/webhooks/" + webhook.get("id").asString() + "/deliveries?limit=100").json();
            assertThat(log.get("data")).hasSizeGreaterThanOrEqualTo(30);
            JsonNode first = log.get("data").get(0);
            assertThat(first.get("status").asString()).isEqualTo("DELIVERED");
            assertThat(first.get("attemptLog").get(0).get("statusCode").asInt()).isEqualTo(200);
            assertThat(first.get("attemptLog").get(0).get("durationMs").asInt()).isGreaterThanOrEqualTo(0);
            unsubscribe(webhook);
        }
    }

    @Test
    void aFailingEndpointTripsItsBreakerAndAfterHealingGetsEveryMissedEventInPerRecordOrder() throws Exception {
        try (Receiver receiver = new Receiver(Receiver.Mode.FAIL)) {
            JsonNode webhook = subscribe(receiver.url(), "ENTITY_CREATED", "ENTITY_UPDATED");
            String id = webhook.get("id").asString();
            Set<String> records = new HashSet<>();
            for (int i = 0; i < 3; i++) {
                String record = create("/api/v1/entities", "{\"field1\": \"breaker-" + i + "\"}");
                records.add(record);
                for (int v = 0; v < 3; v++) {
                    patch("/api/v1/entities/" + record, "{\"field2\": " + v + "}");
                }
            }
            await().atMost(Duration.ofSeconds(20)).until(() ->
                    http().get("/api/v1/_admin/webhooks/" + id).json().get("circuit").asString().equals("OPEN"));
            assertThat(http().get("/actuator/prometheus").text()).containsPattern("plinth_webhooks_circuits_open(\\{[^}]*\\})? [1-9]");
            int attemptsWhileFailing = receiver.seen.size();
            Thread.sleep(500);
            assertThat(receiver.seen.size()).as("no calls while the circuit is open").isLessThanOrEqualTo(attemptsWhileFailing + 1);
            assertThat(receiver.accepted).isEmpty();

            receiver.mode(Receiver.Mode.OK);
            await().atMost(Duration.ofSeconds(30)).until(() -> of(receiver.accepted, records).size() >= 12);
            List<Receiver.Call> mine = of(receiver.accepted, records);
            assertThat(mine).hasSize(12);
            assertThat(mine.stream().map(c -> c.header("Plinth-Event-Id")).distinct()).hasSize(12);
            assertPerRecordOrder(mine);
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    http().get("/api/v1/_admin/webhooks/" + id).json().get("circuit").asString().equals("CLOSED"));
            unsubscribe(webhook);
        }
    }

    @Test
    void aDeadEndpointsDeliveriesAreDeadLetteredAndReplayedSuccessfullyLater() throws Exception {
        int port;
        try (Receiver reserve = new Receiver(Receiver.Mode.OK)) {
            port = reserve.port();
        }
        // Nothing listens on the port now: every attempt is refused.
        JsonNode webhook = subscribe("http://127.0.0.1:" + port + "/hook", "ENTITY_CREATED");
        String webhookId = webhook.get("id").asString();
        String record = create("/api/v1/entities", "{\"field1\": \"dead-letter\"}");
        String deliveries = "/api/v1/_admin/webhooks/" + webhookId + "/deliveries";
        await().atMost(Duration.ofSeconds(40)).until(() -> {
            JsonNode log = http().get(deliveries + "?status=DEAD").json().get("data");
            for (JsonNode delivery : log) {
                if (delivery.get("recordId").asString().equals(record)) {
                    return true;
                }
            }
            return false;
        });
        JsonNode dead = java.util.stream.StreamSupport.stream(
                        http().get(deliveries + "?status=DEAD").json().get("data").spliterator(), false)
                .filter(delivery -> delivery.get("recordId").asString().equals(record)).findFirst().orElseThrow();
        assertThat(dead.get("attempts").asInt()).isEqualTo(6);
        assertThat(dead.get("attemptLog")).hasSize(6);
        assertThat(dead.get("attemptLog").get(0).get("statusCode").isNull()).isTrue();
        assertThat(dead.get("lastError").asString()).containsIgnoringCase("connect");
        // The gauges are refreshed every 5 s.
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(http().get("/actuator/prometheus").text())
                .containsPattern("plinth_webhooks_dead_letters(\\{[^}]*\\})? [1-9]")
                .containsPattern("plinth_webhooks_deliveries_total\\{[^}]*outcome=\"dead\"[^}]*\\} [1-9]")
                .containsPattern("plinth_webhooks_backlog(\\{[^}]*\\})? ")
                .contains("plinth_webhooks_attempt_duration_seconds"));

        try (Receiver revived = new Receiver(Receiver.Mode.OK, port)) {
            Response replayed = http().postJson(deliveries + "/" + dead.get("id").asString() + "/replay", "");
            assertThat(replayed.status()).as(replayed.text()).isEqualTo(202);
            assertThat(replayed.json().get("status").asString()).isEqualTo("PENDING");
            await().atMost(Duration.ofSeconds(20)).until(() -> !of(revived.accepted, Set.of(record)).isEmpty());
            assertThat(of(revived.accepted, Set.of(record))).hasSize(1);
            await().atMost(Duration.ofSeconds(5)).until(() -> http().get(deliveries + "?status=DELIVERED").json()
                    .get("data").toString().contains(dead.get("id").asString()));
        }
        unsubscribe(webhook);
    }

    @Test
    void aPausedSubscriptionKeepsItsDeliveriesUntilItIsActiveAgain() throws Exception {
        try (Receiver receiver = new Receiver(Receiver.Mode.FAIL)) {
            JsonNode webhook = subscribe(receiver.url(), "ENTITY_CREATED");
            String path = "/api/v1/_admin/webhooks/" + webhook.get("id").asString();
            String pending = create("/api/v1/entities", "{\"field1\": \"pending-at-pause\"}");
            await().atMost(Duration.ofSeconds(20)).until(() -> !of(receiver.seen, Set.of(pending)).isEmpty());
            patch(path, "{\"active\": false}");
            receiver.mode(Receiver.Mode.OK);
            Thread.sleep(2500); // longer than the first retry waits and the dispatcher's 2 s cache of active subscriptions
            String during = create("/api/v1/entities", "{\"field1\": \"created-during-pause\"}");
            Thread.sleep(3000);
            assertThat(of(receiver.accepted, Set.of(pending, during))).as("nothing sent while paused").isEmpty();
            JsonNode log = http().get(path + "/deliveries?status=PENDING").json().get("data");
            assertThat(log.toString()).as("the failed delivery waits").contains(pending);

            patch(path, "{\"active\": true}");
            await().atMost(Duration.ofSeconds(20)).until(() -> !of(receiver.accepted, Set.of(pending)).isEmpty());
            // An event that arrived while the subscription was paused was never scheduled for it.
            Thread.sleep(1000);
            assertThat(of(receiver.accepted, Set.of(during))).isEmpty();
            unsubscribe(webhook);
        }
    }

    @Test
    void aHungEndpointDoesNotDelayAHealthyOne() throws Exception {
        try (Receiver hung = new Receiver(Receiver.Mode.HANG); Receiver healthy = new Receiver(Receiver.Mode.OK)) {
            JsonNode stuck = subscribe(hung.url(), "ENTITY_CREATED");
            JsonNode fine = subscribe(healthy.url(), "ENTITY_CREATED");
            Map<String, Long> createdAt = new HashMap<>();
            for (int i = 0; i < 20; i++) {
                long before = System.currentTimeMillis();
                createdAt.put(create("/api/v1/entities", "{\"field1\": \"hang-" + i + "\"}"), before);
                Thread.sleep(50);
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> of(healthy.accepted, createdAt.keySet()).size() >= 20);
            List<Long> latencies = of(healthy.accepted, createdAt.keySet()).stream()
                    .map(call -> call.receivedAtMillis() - createdAt.get(recordId(call))).sorted().toList();
            long p50 = latencies.get(latencies.size() / 2);
            long max = latencies.getLast();
            System.out.printf("Webhooks, healthy endpoint beside a hung one: write-to-delivery p50 %d ms, max %d ms "
                    + "(20 events); the hung endpoint was called %d times%n", p50, max, hung.seen.size());
            assertThat(hung.seen).isNotEmpty();
            // Generous: the read timeout is 1 s; a healthy delivery queued behind the hung one would take longer.
            assertThat(max).isLessThan(5_000);
            unsubscribe(stuck);
            unsubscribe(fine);
        }
    }

    @Test
    void privateLoopbackAndLinkLocalTargetsAreRefusedUnlessAllowListed() {
        TargetGuard strict = new TargetGuard(List.of());
        for (String url : List.of("http://127.0.0.1:8080/hook", "http://localhost/hook", "http://10.1.2.3/",
                "http://192.168.0.10/", "http://172.16.5.4/", "http://169.254.169.254/latest/meta-data/",
                "http://[::1]/", "http://[fe80::1]/", "http://[fd00::1]/", "http://[::ffff:127.0.0.1]/",
                "http://0.0.0.0/", "http://100.64.0.1/", "http://2130706433/")) {
            assertThat(strict.problemWith(url)).as(url).isPresent();
        }
        for (String url : List.of("ftp://example.com/", "javascript:alert(1)", "file:///etc/passwd", "http:///nohost",
                "http://user:pw@93.184.216.34/", "not a url")) {
            assertThat(strict.problemWith(url)).as(url).isPresent();
        }
        assertThat(strict.problemWith("https://93.184.216.34/hook")).isEmpty();
        TargetGuard allowing = new TargetGuard(List.of("127.0.0.1", "10.0.0.0/8"));
        assertThat(allowing.problemWith("http://127.0.0.1:9/hook")).isEmpty();
        assertThat(allowing.problemWith("http://localhost:9/hook")).as("a name resolving to an allowed address").isEmpty();
        assertThat(allowing.problemWith("http://10.200.1.1/hook")).isEmpty();
        assertThat(allowing.problemWith("http://11.0.0.1/hook")).isEmpty();
        assertThat(allowing.problemWith("http://192.168.1.1/hook")).isPresent();

        // Through the API, with the shared instance's allow-list (127.0.0.1 only).
        JsonNode refused = assertError(http().postJson("/api/v1/_admin/webhooks",
                "{\"url\": \"http://169.254.169.254/latest\", \"eventTypes\": [\"*\"]}"), 400, "VALIDATION_ERROR");
        assertThat(refused.get("details").get(0).get("field").asString()).isEqualTo("url");
        assertError(http().postJson("/api/v1/_admin/webhooks",
                "{\"url\": \"http://192.168.1.20/hook\", \"eventTypes\": [\"*\"]}"), 400, "VALIDATION_ERROR");
    }

    @Test
    void subscriptionsRefuseBadInputAndAreAdminOnly() {
        String[] bad = {
            "{\"eventTypes\": [\"*\"]}",
            "{\"url\": \"https://93.184.216.34/\"}",
            "{\"url\": \"https://93.184.216.34/\", \"eventTypes\": []}",
            "{\"url\": \"https://93.184.216.34/\", \"eventTypes\": [\"entity created\"]}",
            "{\"url\": \"https://93.184.216.34/\", \"eventTypes\": \"*\"}",
            "{\"url\": \"https://93.184.216.34/\", \"eventTypes\": [\"*\"], \"headers\": {\"Host\": \"x\"}}",
            "{\"url\": \"https://93.184.216.34/\", \"eventTypes\": [\"*\"], \"headers\": {\"Plinth-Signature\": \"x\"}}",
            "{\"url\": \"https://93.184.216.34/\", \"eventTypes\": [\"*\"], \"headers\": {\"X-A\": 1}}",
            "{\"url\": \"https://93.184.216.34/\", \"eventTypes\": [\"*\"], \"active\": \"yes\"}",
            "{\"url\": \"https://93.184.216.34/\", \"eventTypes\": [\"*\"], \"secret\": \"mine\"}",
            "{\"url\": \"https://93.184.216.34/" + "a".repeat(2001) + "\", \"eventTypes\": [\"*\"]}",
        };
        for (String body : bad) {
            assertError(http().postJson("/api/v1/_admin/webhooks", body), 400, "VALIDATION_ERROR");
        }
        assertError(http().postJson("/api/v1/_admin/webhooks", "[1]"), 400, "MALFORMED_REQUEST");
        assertError(http().get("/api/v1/_admin/webhooks/not-an-id"), 404, "NOT_FOUND");
        assertError(http().get("/api/v1/_admin/webhooks/" + UUID.randomUUID()), 404, "NOT_FOUND");
        JsonNode created = http().postJson("/api/v1/_admin/webhooks",
                "{\"url\": \"https://93.184.216.34/hook\", \"eventTypes\": [\"ENTITY_*\"], \"active\": false}").json();
        String id = created.get("id").asString();
        assertError(http().get("/api/v1/_admin/webhooks/" + id + "/deliveries?limit=0"), 400, "VALIDATION_ERROR");
        assertError(http().get("/api/v1/_admin/webhooks/" + id + "/deliveries?status=LOST"), 400, "VALIDATION_ERROR");
        assertError(http().get("/api/v1/_admin/webhooks/" + id + "/deliveries?cursor=zzz"), 400, "VALIDATION_ERROR");
        assertError(http().postJson("/api/v1/_admin/webhooks/" + id + "/deliveries/" + UUID.randomUUID() + "/replay", ""),
                404, "NOT_FOUND");
        JsonNode listed = http().get("/api/v1/_admin/webhooks/" + id).json();
        assertThat(listed.has("secret")).as("the secret is shown once, at creation").isFalse();
        assertThat(listed.get("circuit").asString()).isEqualTo("CLOSED");
        patch("/api/v1/_admin/webhooks/" + id, "{\"eventTypes\": [\"GADGET_*\"], \"active\": true}");
        assertThat(http().get("/api/v1/_admin/webhooks/" + id).json().get("eventTypes").get(0).asString()).isEqualTo("GADGET_*");
        JsonNode rotated = http().postJson("/api/v1/_admin/webhooks/" + id + "/secret", "").json();
        io.plinth.support.SecretsLedger.record(rotated.get("secret").asString());
        io.plinth.support.SecretsLedger.record(created.get("secret").asString());
        assertThat(rotated.get("secret").asString()).startsWith("whsec_").isNotEqualTo(created.get("secret").asString());
        assertThat(http().anonymous().get("/api/v1/_admin/webhooks").status()).isEqualTo(401);
        assertThat(http().method("DELETE", "/api/v1/_admin/webhooks/" + id).status()).isEqualTo(204);
        assertThat(http().get("/api/v1/_admin/webhooks/" + id).status()).isEqualTo(404);
    }
}
