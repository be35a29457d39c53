package io.plinth;

import static io.plinth.support.StandaloneApps.http;
import static io.plinth.support.StandaloneApps.newDataDir;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.plinth.embedded.EmbeddedPostgresServer;
import io.plinth.support.Http;
import io.plinth.support.Http.Response;
import io.plinth.support.Prometheus;
import io.plinth.support.StandaloneApps;
import java.nio.file.Files;
import java.nio.file.Path;
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
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The template's "database down" failure mode, caused for real under traffic: PostgreSQL is killed while clients
 * write, Plinth answers 503 with Retry-After within its bound, readiness goes DOWN while liveness stays UP, a real
 * Prometheus scraping Plinth sees the PlinthDatabaseDown alert go pending; then PostgreSQL comes back on the same port
 * and Plinth recovers without a restart, every write it acknowledged still there.
 */
class DatabaseOutageTest {

    private static final int CLIENTS = 8;

    @Test
    void failsFastDuringAnOutageAlertsAndRecoversWithoutARestart() throws Exception {
        Path dataDir = newDataDir("outage-");
        Path postgresDir;
        int postgresPort;
        EmbeddedPostgresServer restarted = null;
        // Events are tested elsewhere; ElasticMQ's storage is one per JVM, owned by the shared test instance.
        try (ConfigurableApplicationContext app = StandaloneApps.start(dataDir, "--plinth.events.enabled=false",
                "--plinth.database.probe-interval=PT1S");
             Prometheus prometheus = Prometheus.scraping(port(app), newDataDir("prometheus-"))) {
            Http http = http(app);
            EmbeddedPostgresServer postgres = app.getBean(EmbeddedPostgresServer.class);
            postgresDir = postgres.directory();
            postgresPort = postgres.port();

            Set<String> acknowledged = ConcurrentHashMap.newKeySet();
            ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
            AtomicBoolean running = new AtomicBoolean(true);
            ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
            List<Future<?>> workers = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                workers.add(clients.submit(() -> {
                    while (running.get()) {
                        long started = System.nanoTime();
                        Response response = http.postJson("/api/v1/entities", "{\"field1\":\"under load\"}");
                        outcomes.add(new Outcome(response.status(), (System.nanoTime() - started) / 1_000_000,
                                response.header("Retry-After")));
                        if (response.status() == 201) {
                            acknowledged.add(response.json().get("id").asString());
                        }
                    }
                    return null;
                }));
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> acknowledged.size() >= 50);
            prometheus.awaitTarget("up");

            // An immediate shutdown, as in a crash: PostgreSQL stops at once, without a checkpoint.
            long pid = Long.parseLong(Files.readAllLines(postgresDir.resolve("postmaster.pid")).getFirst().trim());
            new ProcessBuilder("kill", "-QUIT", Long.toString(pid)).start().waitFor();
            await().atMost(Duration.ofSeconds(30)).until(() -> ProcessHandle.of(pid).isEmpty());
            int before = outcomes.size();
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    outcomes.stream().skip(before).filter(o -> o.status() == 503).count() >= 40);

            assertThat(http.get("/actuator/health/readiness").json().get("status").asString()).isEqualTo("DOWN");
            assertThat(http.get("/actuator/health/liveness").status()).isEqualTo(200);
            List<Outcome> duringOutage = outcomes.stream().skip(before).filter(o -> o.status() != 201).toList();
            assertThat(duringOutage).extracting(Outcome::status).containsOnly(503);
            assertThat(duringOutage).extracting(Outcome::retryAfter).containsOnly("2");
            long slowest = duringOutage.stream().mapToLong(Outcome::millis).max().orElseThrow();
            System.out.printf("outage: %d refused writes, slowest 503 after %d ms%n", duringOutage.size(), slowest);

            String alert = prometheus.awaitAlert("PlinthDatabaseDown", Duration.ofSeconds(60));
            assertThat(alert).contains("\"state\":\"pending\"").contains("\"severity\":\"P1\"");

            // Bring it back where Plinth expects it (the dead server's handle first lets go of the data directory).
            try {
                postgres.close();
            } catch (java.io.IOException alreadyDead) {
                // pg_ctl finds no server to stop
            }
            restarted = EmbeddedPostgresServer.start(postgresDir, postgresPort);
            int afterRestart = outcomes.size();
            await().atMost(Duration.ofSeconds(60)).until(() ->
                    outcomes.stream().skip(afterRestart).filter(o -> o.status() == 201).count() >= 50);
            running.set(false);
            for (Future<?> worker : workers) {
                worker.get();
            }
            clients.shutdown();

            assertThat(http.get("/actuator/health/readiness").status()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    http.get("/actuator/prometheus").text().contains("plinth_database_up{application=\"plinth\"} 1.0"));
            // Nothing piled up: no request is left waiting for a connection once the outage is over.
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(http.get("/actuator/prometheus").text())
                    .contains("hikaricp_connections_pending{application=\"plinth\",pool=\"plinth\"} 0.0"));
            for (String id : acknowledged) {
                assertThat(http.get("/api/v1/entities/" + id).status()).as("acknowledged %s", id).isEqualTo(200);
            }
            System.out.printf("outage: %d writes acknowledged in all, every one readable after recovery%n",
                    acknowledged.size());
        } finally {
            if (restarted != null) {
                restarted.close();
            }
        }
    }

    private static int port(ConfigurableApplicationContext app) {
        return Integer.parseInt(app.getEnvironment().getProperty("local.server.port"));
    }

    private record Outcome(int status, long millis, String retryAfter) {
    }
}
