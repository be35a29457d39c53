package io.plinth.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One Plinth process started from its jar, with what it took to get ready. */
final class PlinthInstance implements AutoCloseable {

    private static final Pattern EMBEDDED_PORT = Pattern.compile("Embedded PostgreSQL started on port (\\d+)");

    final Process process;
    final int port;
    final Path log;
    final Path dataDir;
    final double readySeconds;
    final double readyCpuSeconds;

    private PlinthInstance(Process process, int port, Path log, Path dataDir, double readySeconds, double readyCpuSeconds) {
        this.process = process;
        this.port = port;
        this.log = log;
        this.dataDir = dataDir;
        this.readySeconds = readySeconds;
        this.readyCpuSeconds = readyCpuSeconds;
    }

    /**
     * The admin API key every instance of this benchmark run is started with (plinth.security.admin-api-key): one
     * random key per run, the same for every instance on the database, sent with every request.
     */
    static final String API_KEY = "plk_bench" + java.util.UUID.randomUUID().toString().replace("-", "");

    /** The Authorization header value of every benchmark request. */
    static final String AUTHORIZATION = "Bearer " + API_KEY;

    /** Starts {@code java -jar plinth.jar} and waits until its readiness probe answers UP. */
    static PlinthInstance start(Path jar, Path dataDir, List<String> jvmOptions, List<String> extra)
            throws IOException, InterruptedException {
        Files.createDirectories(dataDir);
        int port = freePort();
        Path log = dataDir.resolve("plinth.log");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar.toAbsolutePath().toString(), "--server.port=" + port,
                "--plinth.data-dir=" + dataDir.toAbsolutePath(), "--logging.level.plinth.access=WARN",
                "--plinth.security.admin-api-key=" + API_KEY));
        command.addAll(extra);
        long started = System.nanoTime();
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/health/readiness"))
                .timeout(Duration.ofSeconds(2)).build();
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Plinth exited while starting; see " + log);
            }
            try {
                if (client.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    break;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(20);
            if (System.nanoTime() - started > Duration.ofMinutes(3).toNanos()) {
                throw new IllegalStateException("Plinth was not ready after 3 minutes; see " + log);
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        return new PlinthInstance(process, port, log, dataDir, seconds, ProcessStats.cpuSeconds(process.pid()));
    }

    /** The port of the embedded PostgreSQL this instance started, from its log. */
    int embeddedPostgresPort() throws IOException {
        Matcher matcher = EMBEDDED_PORT.matcher(Files.readString(log));
        Integer port = null;
        while (matcher.find()) {
            port = Integer.parseInt(matcher.group(1)); // the log spans restarts: the last start counts
        }
        if (port == null) {
            throw new IllegalStateException("no embedded PostgreSQL in " + log);
        }
        return port;
    }

    /** The address of the embedded SQS queue this instance started, from its log, or null. */
    String embeddedQueue() throws IOException {
        Matcher matcher = Pattern.compile("visible server address (http://[^\\s\"]+)").matcher(Files.readString(log));
        String address = null;
        while (matcher.find()) {
            address = matcher.group(1);
        }
        return address;
    }

    /** The postmaster's pid of the embedded PostgreSQL. */
    long postmasterPid() throws IOException {
        return Long.parseLong(Files.readAllLines(dataDir.resolve("postgres").resolve("postmaster.pid")).getFirst().trim());
    }

    String base() {
        return "http://localhost:" + port;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
