package io.plinth.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;

/**
 * The limit PostgreSQL sets: the statements Plinth issues for each workload (captured from its jOOQ log), run by
 * pgbench with prepared statements at the same concurrency and for the same time.
 */
final class PgBench {

    private static final String COLUMNS = "\"id\", \"created_at\", \"updated_at\", \"field1\", \"field2\", \"status\", "
            + "\"version\", \"created_by\", \"updated_by\"";
    /** An outbox message of the same size as Plinth's for an entity. */
    private static final String BODY = "{\"eventId\":\"e567c331-9a88-4a40-8909-c70d0ce27d64\",\"type\":\"ENTITY_CREATED\","
            + "\"resource\":\"entity\",\"recordVersion\":1,\"correlationId\":\"7a65ab18-854c-4e72-b4cd-40e7f144dca3\","
            + "\"principal\":\"admin\",\"payload\":{\"id\":\"3cb3940b-9b9b-4b18-9920-c5b4373ec0de\",\"timestamp\":"
            + "\"2026-11-26T12:07:22.025451Z\",\"data\":{\"id\":\"3cb3940b-9b9b-4b18-9920-c5b4373ec0de\",\"createdAt\":"
            + "\"2026-11-26T12:07:22.025451Z\",\"updatedAt\":\"2026-11-26T12:07:22.025451Z\",\"field1\":\"bench w1\","
            + "\"field2\":1,\"status\":\"DRAFT\",\"version\":1,\"createdBy\":\"admin\",\"updatedBy\":\"admin\"}}}";
    private static final String OUTBOX = "insert into \"plinth_outbox\" (\"event_id\", \"resource\", \"record_id\", "
            + "\"record_version\", \"event_type\", \"correlation_id\", \"body\", \"trace_parent\") values "
            // pgbench reads ":name" anywhere as a variable, even inside a literal: the body's colons are put back by SQL.
            + "(gen_random_uuid(), 'entity', gen_random_uuid(), 1, '%s', 'pgbench', replace('"
            + BODY.replace(':', '~') + "', '~', ':'), "
            + "'00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01');";
    static final Map<String, String> SCRIPTS = Map.of(
            "W1", """
                    \\set n random(1, 1000000)
                    BEGIN;
                    insert into "entity_name" ("field1", "field2", "created_by", "updated_by") values ('bench w1', :n, 'admin', 'admin') returning %s;
                    %s
                    END;
                    """.formatted(COLUMNS, OUTBOX.formatted("ENTITY_CREATED")),
            "W2", """
                    \\set n random(1, :rows)
                    select %s from "entity_name" where "id" = cast(md5('bench' || :n) as uuid);
                    """.formatted(COLUMNS),
            "W3", """
                    select %s from "entity_name" where "status" = 'ACTIVE' order by "created_at" desc, "id" desc fetch next 21 rows only;
                    """.formatted(COLUMNS),
            "W5", """
                    \\set n random(1, :rows)
                    BEGIN;
                    select %1$s from "entity_name" where "id" = cast(md5('bench' || :n) as uuid) for update;
                    update "entity_name" set "field2" = :n, "version" = ("version" + 1), "updated_at" = current_timestamp, "updated_by" = 'admin' where "id" = cast(md5('bench' || :n) as uuid) returning %1$s;
                    %2$s
                    END;
                    """.formatted(COLUMNS, OUTBOX.formatted("ENTITY_UPDATED")));

    /** The figures of one pgbench run. */
    record Result(long transactions, double seconds, long failed, Histogram latencies) {
        double perSecond() {
            return transactions / seconds;
        }

        double percentileMillis(double percentile) {
            return latencies.getValueAtPercentile(percentile) / 1000.0;
        }
    }

    private final Path executable;
    private final Path work;
    private final String host;
    private final int port;
    private final String user;
    private final String password;
    private final String database;

    PgBench(Path executable, Path work, String host, int port, String user, String password, String database)
            throws IOException {
        this.executable = executable;
        this.work = work;
        this.host = host;
        this.port = port;
        this.user = user;
        this.password = password;
        this.database = database;
        Files.createDirectories(work);
        for (Map.Entry<String, String> script : SCRIPTS.entrySet()) {
            Files.writeString(work.resolve(script.getKey() + ".sql"), script.getValue());
        }
    }

    /** pgbench from PATH or Debian's PostgreSQL packages. */
    static Path find() {
        List<Path> candidates = new ArrayList<>();
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            candidates.add(Path.of(dir, "pgbench"));
        }
        try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            versions.sorted().forEach(v -> candidates.add(v.resolve("bin").resolve("pgbench")));
        } catch (IOException ignored) {
            // no Debian PostgreSQL
        }
        return candidates.stream().filter(Files::isExecutable).reduce((a, b) -> b)
                .orElseThrow(() -> new IllegalStateException("pgbench not found (Debian: apt-get install postgresql-15)"));
    }

    /** Runs a workload after a warm-up and returns the measured period's figures. */
    Result run(String workload, int clients, int rows, Duration warmup, Duration duration)
            throws IOException, InterruptedException {
        List<String> scripts = switch (workload) {
            case "W4" -> List.of("-f", work.resolve("W2.sql") + "@70", "-f", work.resolve("W3.sql") + "@20",
                    "-f", work.resolve("W1.sql") + "@10");
            default -> List.of("-f", work.resolve(workload + ".sql").toString());
        };
        execute(scripts, clients, rows, warmup, null);
        Path logs = work.resolve("log-" + workload + "-" + clients);
        Files.createDirectories(logs);
        String output = execute(scripts, clients, rows, duration, logs);
        Histogram histogram = new Histogram(60_000_000L, 3);
        long count = 0;
        try (Stream<Path> files = Files.list(logs)) {
            for (Path file : files.toList()) {
                for (String line : Files.readAllLines(file)) {
                    String[] fields = line.split(" ");
                    if (fields.length >= 3) {
                        histogram.recordValue(Math.max(1, Math.min(Long.parseLong(fields[2]), 60_000_000L)));
                        count++;
                    }
                }
            }
        }
        long failed = 0;
        for (String line : output.split("\n")) {
            if (line.startsWith("number of failed transactions:")) {
                failed = Long.parseLong(line.replaceAll("^number of failed transactions: (\\d+).*", "$1"));
            }
        }
        return new Result(count, duration.toNanos() / 1e9, failed, histogram);
    }

    private String execute(List<String> scripts, int clients, int rows, Duration time, Path logs)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(executable.toString(), "-h", host, "-p", Integer.toString(port),
                "-U", user, "-n", "-M", "prepared", "-c", Integer.toString(clients),
                "-j", Integer.toString(Math.min(clients, Runtime.getRuntime().availableProcessors())),
                "-T", Long.toString(Math.max(1, time.toSeconds())), "-D", "rows=" + rows));
        if (logs != null) {
            command.addAll(List.of("-l", "--log-prefix=" + logs.resolve("pgbench")));
        }
        command.addAll(scripts);
        command.add(database);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("PGPASSWORD", password);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException("pgbench failed:\n" + output);
        }
        return output;
    }
}
