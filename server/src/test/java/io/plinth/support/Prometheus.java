package io.plinth.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real Prometheus (Debian's {@code prometheus} package) scraping one Plinth every second and evaluating
 * {@code ops/prometheus/alerts.yml} every second, on a free port, for as long as a test holds it.
 */
public final class Prometheus implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final Process process;
    private final String base;
    private final HttpClient client = HttpClient.newHttpClient();

    private Prometheus(Process process, int port) {
        this.process = process;
        this.base = "http://127.0.0.1:" + port;
    }

    /** Starts Prometheus with its files in {@code directory}, scraping Plinth on {@code plinthPort} as job "plinth". */
    public static Prometheus scraping(int plinthPort, Path directory) throws IOException {
        Path rules = Path.of("..", "ops", "prometheus", "alerts.yml").toAbsolutePath().normalize();
        Path config = directory.resolve("prometheus.yml");
        Files.writeString(config, """
                global:
                  scrape_interval: 1s
                  evaluation_interval: 1s
                rule_files:
                  - %s
                scrape_configs:
                  - job_name: plinth
                    metrics_path: /actuator/prometheus
                    authorization:
                      type: Bearer
                      credentials: %s
                    static_configs:
                      - targets: ["127.0.0.1:%d"]
                """.formatted(rules, TestCredentials.ADMIN_KEY, plinthPort));
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Process process;
        try {
            process = new ProcessBuilder("prometheus", "--config.file=" + config,
                    "--storage.tsdb.path=" + directory.resolve("data"), "--web.listen-address=127.0.0.1:" + port)
                    .redirectErrorStream(true).redirectOutput(directory.resolve("prometheus.log").toFile()).start();
        } catch (IOException e) {
            throw new AssertionError("prometheus is needed (Debian: apt-get install prometheus; .ci/run installs it)", e);
        }
        Prometheus prometheus = new Prometheus(process, port);
        prometheus.awaitReady();
        return prometheus;
    }

    /** Waits until Prometheus has scraped Plinth successfully. */
    public void awaitTarget(String health) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(60);
        while (Instant.now().isBefore(deadline)) {
            JsonNode targets = get("/api/v1/targets");
            if (targets != null && targets.toString().contains("\"health\":\"" + health + "\"")) {
                return;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("Prometheus never saw its target " + health + ": " + get("/api/v1/targets"));
    }

    /** Waits for an alert to be pending or firing and returns it as JSON text. */
    public String awaitAlert(String name, Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            JsonNode alerts = get("/api/v1/alerts");
            if (alerts != null) {
                for (JsonNode alert : alerts.get("data").get("alerts")) {
                    if (name.equals(alert.get("labels").get("alertname").asString())) {
                        return alert.toString();
                    }
                }
            }
            Thread.sleep(250);
        }
        throw new AssertionError("Prometheus never raised " + name + ": " + get("/api/v1/alerts"));
    }

    private void awaitReady() {
        Instant deadline = Instant.now().plusSeconds(30);
        while (Instant.now().isBefore(deadline) && process.isAlive()) {
            if (get("/-/ready") != null || ready()) {
                return;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        throw new AssertionError("Prometheus did not start (see prometheus.log in its directory)");
    }

    private boolean ready() {
        try {
            return client.send(HttpRequest.newBuilder(URI.create(base + "/-/ready")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private JsonNode get(String path) {
        try {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(base + path))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 && response.body().startsWith("{") ? JSON.readTree(response.body()) : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
