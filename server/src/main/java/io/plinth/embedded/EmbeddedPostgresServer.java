package io.plinth.embedded;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An embedded PostgreSQL server on a persistent data directory and a free port.
 *
 * <p>After a crash (kill -9) the old postmaster outlives the JVM and keeps {@code postmaster.pid}; a new server on the
 * same directory would then wait and fail. So before starting, a still-running postmaster of this directory is asked
 * to stop (SIGTERM: a fast, clean shutdown) and awaited.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresServer.class);

    private final EmbeddedPostgres postgres;
    private final Path directory;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres, Path directory) {
        this.postgres = postgres;
        this.directory = directory;
    }

    /** Starts a server whose data lives in {@code directory} (created and initialised when empty), on a free port. */
    public static EmbeddedPostgresServer start(Path directory) {
        return start(directory, 0);
    }

    /**
     * Starts a server on {@code directory} and a given port (0: a free one), e.g. to bring a stopped database back
     * where its clients expect it.
     */
    public static EmbeddedPostgresServer start(Path directory, int port) {
        try {
            Files.createDirectories(directory);
            stopOrphanedPostmaster(directory);
            long started = System.nanoTime();
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder();
            if (port != 0) {
                builder.setPort(port);
            }
            EmbeddedPostgres postgres = builder
                    // Stopped by whoever holds this server (Plinth: the Spring context, after the web server has
                    // finished its requests and the relay its last round), not by a JVM shutdown hook of zonky's own,
                    // which runs at the same moment as Spring's and would pull the database from under both.
                    .setRegisterShutdownHook(false)
                    .setDataDirectory(directory)
                    .setCleanDataDirectory(false)
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setServerConfig("max_connections", "200")
                    .setServerConfig("timezone", "UTC")
                    // zonky turns synchronous_commit off for test speed; Plinth acknowledges only durable writes.
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("fsync", "on")
                    .setServerConfig("full_page_writes", "on")
                    .start();
            log.atInfo().addKeyValue("dataDirectory", directory.toAbsolutePath().toString())
                    .addKeyValue("port", postgres.getPort())
                    .log("Embedded PostgreSQL started on port {} in {} ms", postgres.getPort(),
                            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
            return new EmbeddedPostgresServer(postgres, directory);
        } catch (IOException e) {
            throw new UncheckedIOException("Embedded PostgreSQL could not start in " + directory.toAbsolutePath(), e);
        }
    }

    /** JDBC URL of the {@code postgres} database on this server. */
    public String jdbcUrl() {
        return postgres.getJdbcUrl("postgres", "postgres");
    }

    /** The TCP port the server listens on. */
    public int port() {
        return postgres.getPort();
    }

    /** The data directory. */
    public Path directory() {
        return directory;
    }

    @Override
    public void close() throws IOException {
        postgres.close();
    }

    private static void stopOrphanedPostmaster(Path directory) throws IOException {
        Path pidFile = directory.resolve("postmaster.pid");
        if (!Files.isRegularFile(pidFile)) {
            return;
        }
        List<String> lines = Files.readAllLines(pidFile);
        if (lines.isEmpty()) {
            return;
        }
        long pid;
        try {
            pid = Long.parseLong(lines.getFirst().trim());
        } catch (NumberFormatException e) {
            return;
        }
        Optional<ProcessHandle> process = ProcessHandle.of(pid);
        boolean isPostgres = process.flatMap(p -> p.info().command()).map(c -> c.endsWith("/postgres")).orElse(false);
        if (process.isEmpty() || !isPostgres) {
            return;
        }
        log.warn("Stopping PostgreSQL (pid {}) left running on {} by an earlier crash", pid, directory.toAbsolutePath());
        process.get().destroy();
        try {
            process.get().onExit().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("PostgreSQL pid " + pid + " still holds " + directory.toAbsolutePath()
                    + "; stop it and start again", e);
        }
    }
}
