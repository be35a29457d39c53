package io.plinth.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.plinth.support.Http.Response;
import io.plinth.support.PlinthIntegrationTest;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jooq.DSLContext;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Idempotency-Key on POST: retries replay the first response; a race creates one record; reuse is refused. */
class IdempotencyTest extends PlinthIntegrationTest {

    @Autowired
    DSLContext dsl;

    private long itemsIn(String batch) {
        return http().get("/api/v1/items?batch=" + batch + "&count=true&limit=1").json().get("page").get("total").asLong();
    }

    private static String batch() {
        return "i-" + UUID.randomUUID();
    }

    @Test
    void aRetryWithTheSameKeyReplaysTheFirstResponseWithoutASecondRecord() {
        String batch = batch();
        String key = UUID.randomUUID().toString();
        String body = "{\"name\":\"once\",\"rank\":1,\"batch\":\"" + batch + "\"}";

        Response first = http().postJson("/api/v1/items", body, "Idempotency-Key", key);
        Response retry = http().postJson("/api/v1/items", "{ \"batch\":\"" + batch + "\", \"rank\":1,\n \"name\":\"once\" }",
                "Idempotency-Key", key);

        assertThat(first.status()).isEqualTo(201);
        assertThat(first.header("Idempotent-Replayed")).isNull();
        assertThat(retry.status()).isEqualTo(201);
        assertThat(retry.json()).isEqualTo(first.json());
        assertThat(retry.header("Location")).isEqualTo(first.header("Location"));
        assertThat(retry.header("ETag")).isEqualTo(first.header("ETag"));
        assertThat(retry.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(itemsIn(batch)).isEqualTo(1);
    }

    @Test
    void theSameKeyWithADifferentBodyIsRefused() {
        String key = UUID.randomUUID().toString();
        String batch = batch();
        http().postJson("/api/v1/items", "{\"name\":\"a\",\"batch\":\"" + batch + "\"}", "Idempotency-Key", key);
        assertError(http().postJson("/api/v1/items", "{\"name\":\"b\",\"batch\":\"" + batch + "\"}", "Idempotency-Key", key),
                422, "IDEMPOTENCY_KEY_REUSED");
        assertError(http().postJson("/api/v1/entities", "{\"field1\":\"a\"}", "Idempotency-Key", key),
                422, "IDEMPOTENCY_KEY_REUSED");
        assertThat(itemsIn(batch)).isEqualTo(1);
    }

    @Test
    void racingRequestsWithOneKeyCreateExactlyOneRecord() throws Exception {
        for (int round = 0; round < 3; round++) {
            String batch = batch();
            String key = UUID.randomUUID().toString();
            String body = "{\"name\":\"raced\",\"batch\":\"" + batch + "\"}";
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Response>> responses = new ArrayList<>();
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < 8; i++) {
                    responses.add(pool.submit(() -> {
                        start.await();
                        return http().postJson("/api/v1/items", body, "Idempotency-Key", key);
                    }));
                }
                start.countDown();
                List<String> ids = new ArrayList<>();
                for (Future<Response> response : responses) {
                    assertThat(response.get().status()).isEqualTo(201);
                    ids.add(response.get().json().get("id").asString());
                }
                assertThat(ids).containsOnly(ids.getFirst());
            }
            assertThat(itemsIn(batch)).isEqualTo(1);
        }
    }

    @Test
    void aFailedRequestDoesNotUseUpItsKey() {
        String key = UUID.randomUUID().toString();
        String batch = batch();
        assertError(http().postJson("/api/v1/items", "{\"rank\":\"bad\",\"batch\":\"" + batch + "\"}", "Idempotency-Key", key),
                400, "VALIDATION_ERROR");
        assertThat(http().postJson("/api/v1/items", "{\"rank\":2,\"batch\":\"" + batch + "\"}", "Idempotency-Key", key)
                .status()).isEqualTo(201);
    }

    @Test
    void anExpiredKeyMayBeUsedAgain() {
        String key = UUID.randomUUID().toString();
        String batch = batch();
        String body = "{\"name\":\"again\",\"batch\":\"" + batch + "\"}";
        http().postJson("/api/v1/items", body, "Idempotency-Key", key);
        dsl.execute("update plinth_idempotency_key set created_at = now() - interval '25 hours' where idempotency_key = ?", key);

        Response later = http().postJson("/api/v1/items", body, "Idempotency-Key", key);

        assertThat(later.status()).isEqualTo(201);
        assertThat(later.header("Idempotent-Replayed")).isNull();
        assertThat(itemsIn(batch)).isEqualTo(2);
    }

    @Test
    void worksForBulkWritesAndTransitionsToo() {
        String batch = batch();
        String key = UUID.randomUUID().toString();
        String bulk = "[{\"name\":\"x\",\"batch\":\"" + batch + "\"},{\"name\":\"y\",\"batch\":\"" + batch + "\"}]";
        http().postJson("/api/v1/items/_bulk", bulk, "Idempotency-Key", key);
        assertThat(http().postJson("/api/v1/items/_bulk", bulk, "Idempotency-Key", key).header("Idempotent-Replayed"))
                .isEqualTo("true");
        assertThat(itemsIn(batch)).isEqualTo(2);

        String path = "/api/v1/entities/" + http().postJson("/api/v1/entities", "{\"field1\":\"t\"}").json().get("id").asString();
        String transitionKey = UUID.randomUUID().toString();
        assertThat(http().postJson(path + "/transitions", "{\"to\":\"ACTIVE\"}", "Idempotency-Key", transitionKey).status())
                .isEqualTo(200);
        Response replay = http().postJson(path + "/transitions", "{\"to\":\"ACTIVE\"}", "Idempotency-Key", transitionKey);
        assertThat(replay.status()).isEqualTo(200);
        assertThat(replay.json().get("version").asLong()).isEqualTo(2);
    }

    @Test
    void refusesMalformedKeys() {
        for (String key : List.of("x".repeat(256), "has space", "tab\there")) {
            Response response = http().send(http().request("/api/v1/entities", "Content-Type", "application/json")
                    .header("Idempotency-Key", key)
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"field1\":\"k\"}")));
            assertThat(response.status()).as(key).isEqualTo(400);
            assertError(response, 400, "VALIDATION_ERROR");
        }
    }
}
