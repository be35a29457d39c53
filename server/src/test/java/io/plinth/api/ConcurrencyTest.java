package io.plinth.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.plinth.support.Http.Response;
import io.plinth.support.PlinthIntegrationTest;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Concurrent writes to one record: with If-Match exactly one wins; without it no update is lost. */
class ConcurrencyTest extends PlinthIntegrationTest {

    private Response patch(String path, String json, String... headers) {
        String[] all = java.util.Arrays.copyOf(headers, headers.length + 2);
        all[headers.length] = "Content-Type";
        all[headers.length + 1] = "application/merge-patch+json";
        return http().send(http().request(path, all).method("PATCH", HttpRequest.BodyPublishers.ofString(json)));
    }

    private <T> List<T> race(int threads, java.util.function.IntFunction<Callable<T>> task) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                Callable<T> work = task.apply(i);
                futures.add(pool.submit(() -> {
                    start.await();
                    return work.call();
                }));
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get());
            }
            return results;
        }
    }

    @Test
    void ofConcurrentPatchesWithTheSameIfMatchExactlyOneWins() throws Exception {
        for (int round = 0; round < 5; round++) {
            String path = "/api/v1/entities/" + http().postJson("/api/v1/entities", "{\"field1\":\"race\"}").json()
                    .get("id").asString();
            List<Integer> statuses = race(8, i -> () -> patch(path, "{\"field2\":" + i + "}", "If-Match", "\"1\"").status());
            assertThat(statuses).filteredOn(s -> s == 200).hasSize(1);
            assertThat(statuses).filteredOn(s -> s == 412).hasSize(7);
            assertThat(http().get(path).json().get("version").asLong()).isEqualTo(2);
        }
    }

    @Test
    void concurrentPatchesWithoutIfMatchLoseNoUpdate() throws Exception {
        Response created = http().postJson("/api/v1/gadgets", "{\"name\":\"Tally\",\"extra\":{}}");
        String path = "/api/v1/gadgets/" + created.json().get("id").asString();
        int writers = 20;

        List<Integer> statuses = race(writers, i -> () -> patch(path, "{\"extra\":{\"w" + i + "\":" + i + "}}").status());

        assertThat(statuses).containsOnly(200);
        JsonNode stored = http().get(path).json();
        assertThat(stored.get("version").asLong()).isEqualTo(1 + writers);
        for (int i = 0; i < writers; i++) {
            assertThat(stored.get("extra").get("w" + i).asInt()).as("writer %d", i).isEqualTo(i);
        }
    }

    @Test
    void concurrentTransitionsMoveARecordOnce() throws Exception {
        String path = "/api/v1/entities/" + http().postJson("/api/v1/entities", "{\"field1\":\"once\"}").json()
                .get("id").asString();
        List<Integer> statuses = race(6, i -> () -> http().postJson(path + "/transitions", "{\"to\":\"ACTIVE\"}").status());
        assertThat(statuses).filteredOn(s -> s == 200).hasSize(1);
        assertThat(statuses).filteredOn(s -> s == 409).hasSize(5);
    }
}
