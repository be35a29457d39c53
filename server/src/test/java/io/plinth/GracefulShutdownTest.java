package io.plinth;

import static io.plinth.support.StandaloneApps.newDataDir;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.plinth.support.Http;
import io.plinth.support.PlinthProcess;
import io.plinth.support.QueueReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * SIGTERM under write load, to a Plinth process: readiness goes DOWN while requests are still served, requests in
 * flight finish (no 5xx), the relay sends the last events before the process ends, and after a restart every write a
 * client was told succeeded is there with its event delivered.
 */
class GracefulShutdownTest {

    private static final int CLIENTS = 8;

    @Test
    void sigtermUnderLoadLosesNothingAcknowledged() throws Exception {
        PlinthProcess plinth = new PlinthProcess(newDataDir("shutdown-"), "--plinth.shutdown.readiness-delay=PT3S");
        plinth.start();
        Http http = plinth.http();
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        ConcurrentLinkedQueue<Integer> statuses = new ConcurrentLinkedQueue<>();
        AtomicLong acknowledgedWhileNotReady = new AtomicLong();
        AtomicBoolean notReady = new AtomicBoolean();
        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS + 1);
        List<Future<?>> workers = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            workers.add(clients.submit(() -> {
                while (running.get()) {
                    try {
                        boolean wasNotReady = notReady.get();
                        Http.Response response = http.postJson("/api/v1/entities", "{\"field1\":\"shutdown\"}");
                        statuses.add(response.status());
                        if (response.status() == 201) {
                            acknowledged.add(response.json().get("id").asString());
                            if (wasNotReady) {
                                acknowledgedWhileNotReady.incrementAndGet();
                            }
                        }
                    } catch (RuntimeException refused) {
                        // The server no longer accepts connections: the end of the run for this client.
                        return null;
                    }
                }
                return null;
            }));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> acknowledged.size() >= 200);

        plinth.terminate();
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).ignoreExceptions()
                .until(() -> http.get("/actuator/health/readiness").status() == 503);
        notReady.set(true);
        int exit = plinth.waitFor();
        running.set(false);
        for (Future<?> worker : workers) {
            worker.get();
        }
        clients.shutdown();

        assertThat(acknowledgedWhileNotReady.get()).as("writes served after readiness went DOWN").isPositive();
        assertThat(statuses).as("no request in flight failed").allMatch(status -> status == 201);
        assertThat(exit).as("exit code after SIGTERM").isIn(0, 143);
        assertThat(plinth.log()).contains("left for the next leader").containsPattern("\"left\":0\\b");

        plinth.start();
        try (SqsClient client = plinth.queueClient()) {
            for (String id : acknowledged) {
                assertThat(plinth.http().get("/api/v1/entities/" + id).status()).as("acknowledged %s", id).isEqualTo(200);
            }
            QueueReader reader = new QueueReader(client, client.getQueueUrl(b -> b.queueName("plinth-events")).queueUrl());
            reader.awaitRecords(Set.copyOf(acknowledged), Duration.ofSeconds(120));
            System.out.printf("SIGTERM under load: %d writes acknowledged (%d after readiness went DOWN), all stored, "
                    + "all events delivered%n", acknowledged.size(), acknowledgedWhileNotReady.get());
        } finally {
            plinth.terminate();
            plinth.waitFor();
        }
    }
}
