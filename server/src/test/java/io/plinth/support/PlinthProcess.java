package io.plinth.support;

import static org.awaitility.Awaitility.await;

import io.plinth.PlinthApplication;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Plinth as a separate operating-system process (a JVM of its own on the test class path), for what only a process
 * shows: SIGKILL, SIGTERM, restarts on the same data directory. Its HTTP and embedded-queue ports are fixed at
 * creation, so a restarted process is found where the first one was.
 */
public final class PlinthProcess {

    private final List<String> command;
    private final Path log;
    private final int port;
    private final int queuePort;
    private Process process;

    /** A process (not started yet) on this data directory, with any further {@code --name=value} arguments. */
    public PlinthProcess(Path dataDir, String... extra) throws IOException {
        this.port = freePort();
        this.queuePort = freePort();
        this.log = dataDir.resolve("process.log");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Xmx512m", PlinthApplication.class.getName(),
                "--server.port=" + port, "--plinth.data-dir=" + dataDir.toAbsolutePath(),
                "--plinth.events.embedded.port=" + queuePort));
        command.addAll(List.of(TestCredentials.arguments()));
        command.addAll(List.of(extra));
        this.command = List.copyOf(command);
    }

    /** Starts the process (its output appended to {@code process.log} in the data directory) and waits until ready. */
    public PlinthProcess start() throws IOException {
        process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                .until(() -> http().get("/actuator/health/readiness").status() == 200);
        return this;
    }

    /** SIGKILL, and waits for the process to be gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    /** SIGTERM, without waiting. */
    public void terminate() {
        process.destroy();
    }

    /** Waits for the process to end and returns its exit code. */
    public int waitFor() throws InterruptedException {
        return process.waitFor();
    }

    /** An HTTP client for it. */
    public Http http() {
        return new Http(port);
    }

    /** An SQS client for its embedded queue. */
    public SqsClient queueClient() {
        return SqsClient.builder().endpointOverride(URI.create("http://localhost:" + queuePort)).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "x")))
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    }

    /** Everything the process (and its restarts) wrote to standard output and error. */
    public String log() throws IOException {
        return Files.readString(log);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
