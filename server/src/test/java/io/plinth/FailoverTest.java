package io.plinth;

import static io.plinth.support.StandaloneApps.http;
import static io.plinth.support.StandaloneApps.newDataDir;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.plinth.embedded.EmbeddedPostgresServer;
import io.plinth.support.Http;
import io.plinth.support.StandaloneApps;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A real primary/standby pair (streaming replication, synchronous, so an acknowledged write is on both) behind a
 * multi-host connection string with {@code targetServerType=primary}: the primary is killed, the standby promoted,
 * and Plinth follows it without a restart, every acknowledged write still there.
 */
class FailoverTest {

    @Test
    void followsAPromotedStandby() throws Exception {
        Path primaryDir = newDataDir("failover-primary-").resolve("pg");
        Path standbyDir = newDataDir("failover-standby-").resolve("pg");
        int primaryPort = freePort();
        int standbyPort = freePort();
        // Initialise the primary, then clone its stopped data directory into the standby's.
        EmbeddedPostgresServer.start(primaryDir, primaryPort).close();
        copy(primaryDir, standbyDir);
        Files.setPosixFilePermissions(standbyDir, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        Files.writeString(standbyDir.resolve("standby.signal"), "");
        Files.writeString(standbyDir.resolve("postgresql.auto.conf"),
                "primary_conninfo = 'host=localhost port=" + primaryPort + " user=postgres application_name=standby'\n",
                StandardOpenOption.APPEND);
        EmbeddedPostgresServer primary = EmbeddedPostgresServer.start(primaryDir, primaryPort);
        EmbeddedPostgresServer standby;
        try {
            standby = EmbeddedPostgresServer.start(standbyDir, standbyPort);
        } catch (RuntimeException e) {
            primary.close();
            throw e;
        }
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> "streaming".equals(
                    query(primaryPort, "select state from pg_stat_replication where application_name = 'standby'")));
            // Synchronous: a commit returns once the standby has it, so a failover loses nothing acknowledged.
            execute(primaryPort, "alter system set synchronous_standby_names = 'standby'");
            execute(primaryPort, "select pg_reload_conf()");

            String url = "jdbc:postgresql://localhost:" + primaryPort + ",localhost:" + standbyPort
                    + "/postgres?targetServerType=primary";
            try (ConfigurableApplicationContext app = StandaloneApps.start(newDataDir("failover-"),
                    "--plinth.events.enabled=false", "--plinth.schema.auto-apply=true", "--PLINTH_DATABASE_URL=" + url,
                    "--PLINTH_DATABASE_USERNAME=postgres", "--PLINTH_DATABASE_PASSWORD=postgres")) {
                Http http = http(app);
                List<String> acknowledged = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    acknowledged.add(http.postJson("/api/v1/entities", "{\"field1\":\"before failover " + i + "\"}")
                            .json().get("id").asString());
                }

                long pid = Long.parseLong(Files.readAllLines(primaryDir.resolve("postmaster.pid")).getFirst().trim());
                new ProcessBuilder("kill", "-QUIT", Long.toString(pid)).start().waitFor();
                await().atMost(Duration.ofSeconds(30)).until(() -> ProcessHandle.of(pid).isEmpty());
                assertThat(http.postJson("/api/v1/entities", "{\"field1\":\"no primary\"}").status()).isEqualTo(503);

                long promoted = System.nanoTime();
                execute(standbyPort, "select pg_promote()");
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() ->
                        http.postJson("/api/v1/entities", "{\"field1\":\"after failover\"}").status() == 201);
                System.out.printf("failover: writes accepted again %d ms after the standby's promotion%n",
                        (System.nanoTime() - promoted) / 1_000_000);
                for (String id : acknowledged) {
                    assertThat(http.get("/api/v1/entities/" + id).status()).as("acknowledged %s", id).isEqualTo(200);
                }
                assertThat(query(standbyPort, "select pg_is_in_recovery()::text")).isEqualTo("false");
            }
        } finally {
            standby.close();
            try {
                primary.close();
            } catch (IOException alreadyDead) {
                // killed above
            }
        }
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path source : paths.toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else if (!source.getFileName().toString().startsWith("postmaster.")
                        && !source.getFileName().toString().startsWith("epg-lock")) {
                    Files.copy(source, target);
                }
            }
        }
    }

    private static String query(int port, String sql) throws SQLException {
        try (Connection connection = connect(port); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            return rows.next() ? rows.getString(1) : null;
        }
    }

    private static void execute(int port, String sql) throws SQLException {
        try (Connection connection = connect(port); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static Connection connect(int port) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://localhost:" + port + "/postgres", "postgres", "postgres");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
