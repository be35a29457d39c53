package io.plinth.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLongArray;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Issue #11's benchmark: starts Plinth from its jar (embedded defaults, or an external PostgreSQL), seeds the
 * template's entity, runs W1-W5 at each concurrency against Plinth and then the same SQL through pgbench, and prints
 * and writes the figures with Plinth's ratio to the pgbench limit.
 */
public final class Benchmark {

    private static final String LIST = "/api/v1/entities?status=ACTIVE&sort=-createdAt&limit=20";

    private final Map<String, String> options;
    private final int rows;
    private final Duration warmup;
    private final Duration duration;
    private final List<Integer> concurrencies;
    private final List<String> workloads;
    private final Path out;
    private AtomicLongArray versions;

    private Benchmark(Map<String, String> options) {
        this.options = options;
        this.rows = Integer.parseInt(options.getOrDefault("rows", "100000"));
        this.warmup = Duration.ofSeconds(Long.parseLong(options.getOrDefault("warmup", "10")));
        this.duration = Duration.ofSeconds(Long.parseLong(options.getOrDefault("duration", "30")));
        this.concurrencies = List.of(options.getOrDefault("concurrency", "16,64").split(",")).stream()
                .map(Integer::parseInt).toList();
        this.workloads = List.of(options.getOrDefault("workloads", "W1,W2,W3,W4,W5").split(","));
        this.out = Path.of(options.getOrDefault("out", "bench/results"));
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --name value, got " + args[i]);
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        new Benchmark(options).run();
    }

    private void run() throws Exception {
        Path jar = Path.of(options.getOrDefault("plinth-jar", "server/target/plinth.jar"));
        Path runDir = Path.of("bench", "target", "run-" + System.currentTimeMillis());
        String externalUrl = options.get("database-url");
        List<String> databaseArgs = new ArrayList<>();
        String plinthArgs = options.getOrDefault("plinth-args", "");
        if (!plinthArgs.isBlank()) {
            databaseArgs.addAll(List.of(plinthArgs.trim().split("\\s+")));
        }
        if (externalUrl != null) {
            databaseArgs.addAll(List.of("--spring.datasource.url=" + externalUrl,
                    "--spring.datasource.username=" + options.getOrDefault("database-user", "postgres"),
                    "--spring.datasource.password=" + options.getOrDefault("database-password", "postgres"),
                    // A benchmark database is a throwaway one: create the tables at start-up, as the embedded default does.
                    "--plinth.schema.auto-apply=true"));
        }
        ObjectNode report = JsonNodeFactory.instance.objectNode();
        report.put("date", OffsetDateTime.now().toString());
        report.put("machine", Runtime.getRuntime().availableProcessors() + " cores, "
                + System.getProperty("os.name") + " " + System.getProperty("os.arch") + ", Java " + System.getProperty("java.version"));
        report.put("rows", rows);
        report.put("warmupSeconds", warmup.toSeconds());
        report.put("durationSeconds", duration.toSeconds());

        // Start-up: once on an empty data directory, once on the same directory again.
        PlinthInstance fresh = PlinthInstance.start(jar, runDir.resolve("plinth-1"), jvmOptions(), databaseArgs);
        ObjectNode startup = report.putObject("startup");
        startup.put("freshSeconds", fresh.readySeconds);
        startup.put("freshCpuSeconds", fresh.readyCpuSeconds);
        fresh.close();
        PlinthInstance plinth = PlinthInstance.start(jar, runDir.resolve("plinth-1"), jvmOptions(), databaseArgs);
        startup.put("restartSeconds", plinth.readySeconds);
        startup.put("restartCpuSeconds", plinth.readyCpuSeconds);
        System.out.printf("start-up to ready: %.1f s (%.1f CPU s) on an empty data directory, %.1f s (%.1f CPU s) on "
                + "an existing one%n", fresh.readySeconds, fresh.readyCpuSeconds, plinth.readySeconds, plinth.readyCpuSeconds);

        String host;
        int port;
        String database;
        String user = options.getOrDefault("database-user", "postgres");
        String password = options.getOrDefault("database-password", "postgres");
        Long postmaster = null;
        if (externalUrl == null) {
            host = "localhost";
            port = plinth.embeddedPostgresPort();
            database = "postgres";
            postmaster = plinth.postmasterPid();
        } else {
            URI uri = URI.create(externalUrl.substring("jdbc:".length()));
            host = uri.getHost();
            port = uri.getPort() < 0 ? 5432 : uri.getPort();
            database = uri.getPath().substring(1);
        }
        String jdbc = "jdbc:postgresql://" + host + ":" + port + "/" + database;
        seed(jdbc, user, password);
        versions = new AtomicLongArray(rows + 1);

        List<PlinthInstance> instances = new ArrayList<>(List.of(plinth));
        if ("2".equals(options.get("instances"))) {
            instances.add(PlinthInstance.start(jar, runDir.resolve("plinth-2"), jvmOptions(), List.of("--spring.datasource.url=" + jdbc,
                    "--spring.datasource.username=" + user, "--spring.datasource.password=" + password)));
        }
        report.put("instances", instances.size());
        List<String> bases = instances.stream().map(PlinthInstance::base).toList();
        List<Long> pids = instances.stream().map(i -> i.process.pid()).toList();
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        PgBench pgbench = new PgBench(PgBench.find(), runDir.resolve("pgbench"), host, port, user, password, database);

        ArrayNode results = report.putArray("results");
        for (String workload : workloads) {
            for (int concurrency : concurrencies) {
                awaitOutboxDrained(client, bases.getFirst());
                if (workload.equals("W5")) {
                    loadVersions(jdbc, user, password); // pgbench's updates moved them on
                }
                LoadRun.Result mine = LoadRun.run(client, bases, workload(workload), concurrency, warmup, duration, pids,
                        postmaster);
                awaitOutboxDrained(client, bases.getFirst());
                consumeEvents(client, plinth.embeddedQueue());
                boolean writes = !workload.equals("W2") && !workload.equals("W3");
                if (writes) {
                    post(client, bases.getFirst() + "/api/v1/_admin/events/pause");
                }
                PgBench.Result limit = pgbench.run(workload, concurrency, rows, warmup, duration);
                if (writes) {
                    execute(jdbc, user, password, "delete from plinth_outbox where correlation_id = 'pgbench'");
                    post(client, bases.getFirst() + "/api/v1/_admin/events/resume");
                }
                ObjectNode row = results.addObject();
                row.put("workload", workload);
                row.put("concurrency", concurrency);
                row.put("requestsPerSecond", round(mine.perSecond()));
                row.put("p50Ms", round(mine.percentileMillis(50)));
                row.put("p95Ms", round(mine.percentileMillis(95)));
                row.put("p99Ms", round(mine.percentileMillis(99)));
                row.put("p999Ms", round(mine.percentileMillis(99.9)));
                row.put("errors", mine.errors());
                row.put("serverCpuCores", round(mine.serverCpuCores()));
                row.put("databaseCpuCores", round(mine.databaseCpuCores()));
                row.put("serverRssMiB", round(mine.serverRssMiB()));
                row.put("serverPeakRssMiB", round(mine.serverPeakRssMiB()));
                row.put("pgbenchPerSecond", round(limit.perSecond()));
                row.put("pgbenchP50Ms", round(limit.percentileMillis(50)));
                row.put("pgbenchP99Ms", round(limit.percentileMillis(99)));
                row.put("pgbenchFailed", limit.failed());
                row.put("ratio", round(mine.perSecond() / limit.perSecond()));
                System.out.println(markdownRow(row));
            }
        }
        for (PlinthInstance instance : instances) {
            instance.close();
        }
        write(report);
    }

    /** The server JVM's options: {@code --plinth-jvm "..."}; by default the flags README recommends for a 2-core host. */
    private List<String> jvmOptions() {
        String given = options.getOrDefault("plinth-jvm", "-Xmx256m -XX:+UseSerialGC");
        return given.isBlank() ? List.of() : List.of(given.trim().split("\\s+"));
    }

    private LoadRun.Workload workload(String name) {
        return switch (name) {
            case "W1" -> (client, clients, random) -> create(random);
            case "W2" -> (client, clients, random) -> read(random);
            case "W3" -> (client, clients, random) -> list();
            case "W4" -> (client, clients, random) -> {
                int dice = random.nextInt(100);
                return dice < 70 ? read(random) : dice < 90 ? list() : create(random);
            };
            case "W5" -> new LoadRun.Workload() {
                @Override
                public LoadRun.Call next(int client, int clients, ThreadLocalRandom random) {
                    // Each client owns the rows n = client (mod clients): no two clients race for one version.
                    int slots = Math.max(1, (rows - client - 1) / clients + 1);
                    int n = client + 1 + clients * random.nextInt(slots);
                    long version = Math.max(1, versions.get(n));
                    return new LoadRun.Call("PATCH", "/api/v1/entities/" + idOf(n),
                            "{\"field2\":" + random.nextInt(1000) + "}", "application/merge-patch+json",
                            "\"" + version + "\"", n);
                }

                @Override
                public void answered(LoadRun.Call call, HttpResponse<Void> response) {
                    response.headers().firstValue("ETag").ifPresent(tag ->
                            versions.set(call.key(), Long.parseLong(tag.replaceAll("[^0-9]", ""))));
                }
            };
            default -> throw new IllegalArgumentException("unknown workload " + name);
        };
    }

    private static LoadRun.Call create(ThreadLocalRandom random) {
        return new LoadRun.Call("POST", "/api/v1/entities", "{\"field1\":\"bench w1\",\"field2\":" + random.nextInt(1000) + "}",
                "application/json", null, 0);
    }

    private LoadRun.Call read(ThreadLocalRandom random) {
        return new LoadRun.Call("GET", "/api/v1/entities/" + idOf(1 + random.nextInt(rows)), null, null, null, 0);
    }

    private static LoadRun.Call list() {
        return new LoadRun.Call("GET", LIST, null, null, null, 0);
    }

    /** The id seeded for row n: md5('bench' || n) as a UUID, as PostgreSQL computes it. */
    static String idOf(int n) {
        try {
            String hex = HexFormat.of().formatHex(MessageDigest.getInstance("MD5")
                    .digest(("bench" + n).getBytes(StandardCharsets.UTF_8)));
            return hex.substring(0, 8) + "-" + hex.substring(8, 12) + "-" + hex.substring(12, 16) + "-"
                    + hex.substring(16, 20) + "-" + hex.substring(20);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private void seed(String jdbc, String user, String password) throws Exception {
        long started = System.nanoTime();
        execute(jdbc, user, password, """
                insert into entity_name (id, field1, field2, status, created_at, updated_at)
                select md5('bench' || n)::uuid, 'bench ' || n, n %% 1000,
                       case when n %% 2 = 0 then 'ACTIVE' else 'DRAFT' end,
                       now() - make_interval(secs => n), now()
                from generate_series(1, %d) as n
                on conflict (id) do nothing""".formatted(rows));
        execute(jdbc, user, password, "analyze entity_name");
        System.out.printf("seeded %,d rows in %.1f s%n", rows, (System.nanoTime() - started) / 1e9);
    }

    /** The current version of every seeded row, so that W5's If-Match names it. */
    private void loadVersions(String jdbc, String user, String password) throws Exception {
        Map<String, Integer> rowOfId = new java.util.HashMap<>();
        for (int n = 1; n <= rows; n++) {
            rowOfId.put(idOf(n), n);
        }
        try (Connection connection = DriverManager.getConnection(jdbc, user, password);
             Statement statement = connection.createStatement();
             java.sql.ResultSet result = statement.executeQuery("select id::text, version from entity_name")) {
            while (result.next()) {
                Integer n = rowOfId.get(result.getString(1));
                if (n != null) {
                    versions.set(n, result.getLong(2));
                }
            }
        }
    }

    private static void execute(String jdbc, String user, String password, String sql) throws Exception {
        try (Connection connection = DriverManager.getConnection(jdbc, user, password);
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static void post(HttpClient client, String url) throws Exception {
        client.send(HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.ofString("{}"))
                .header("Content-Type", "application/json").header("Authorization", PlinthInstance.AUTHORIZATION).build(), HttpResponse.BodyHandlers.discarding());
    }

    /**
     * Stands in for the consumers of {@code plinth-events}: empties the embedded queue after each run, as consumers
     * would, so that unconsumed events do not pile up in the embedded queue's memory over the benchmark.
     */
    private static void consumeEvents(HttpClient client, String queue) throws Exception {
        if (queue == null) {
            return;
        }
        String form = "Action=PurgeQueue&QueueUrl=" + java.net.URLEncoder.encode(queue + "/000000000000/plinth-events",
                StandardCharsets.UTF_8);
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(queue + "/"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            System.out.println("could not empty the embedded queue: " + response.statusCode() + " " + response.body());
        }
    }

    private static void awaitOutboxDrained(HttpClient client, String base) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        JsonMapper json = JsonMapper.builder().build();
        while (System.nanoTime() < deadline) {
            String body = client.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/_admin/events"))
                            .header("Authorization", PlinthInstance.AUTHORIZATION).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            if (json.readTree(body).path("backlog").asLong() == 0) {
                return;
            }
            Thread.sleep(500);
        }
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }

    private static final String HEADER = "| workload | clients | Plinth req/s | p50 ms | p95 ms | p99 ms | p99.9 ms | errors "
            + "| Plinth CPU | PG CPU | RSS MiB (peak) | pgbench tx/s | pgbench p50 / p99 ms | ratio |\n"
            + "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|";

    private static String markdownRow(ObjectNode row) {
        return String.format(Locale.ROOT, "| %s | %d | %.0f | %.2f | %.2f | %.2f | %.2f | %d | %.2f | %.2f | %.0f (%.0f) "
                        + "| %.0f | %.2f / %.2f | %.2f |",
                row.get("workload").asString(), row.get("concurrency").asInt(), row.get("requestsPerSecond").asDouble(),
                row.get("p50Ms").asDouble(), row.get("p95Ms").asDouble(), row.get("p99Ms").asDouble(),
                row.get("p999Ms").asDouble(), row.get("errors").asLong(), row.get("serverCpuCores").asDouble(),
                row.get("databaseCpuCores").asDouble(), row.get("serverRssMiB").asDouble(),
                row.get("serverPeakRssMiB").asDouble(), row.get("pgbenchPerSecond").asDouble(),
                row.get("pgbenchP50Ms").asDouble(), row.get("pgbenchP99Ms").asDouble(), row.get("ratio").asDouble());
    }

    private void write(ObjectNode report) throws Exception {
        Files.createDirectories(out);
        JsonMapper json = JsonMapper.builder().build();
        Files.writeString(out.resolve("latest.json"), json.writerWithDefaultPrettyPrinter().writeValueAsString(report));
        StringBuilder markdown = new StringBuilder();
        markdown.append("Run of ").append(report.get("date").asString()).append(" on ").append(report.get("machine").asString())
                .append(": ").append(report.get("rows").asInt()).append(" seeded rows, ")
                .append(report.get("instances").asInt()).append(" Plinth instance(s), warm-up ")
                .append(report.get("warmupSeconds").asLong()).append(" s, measured ")
                .append(report.get("durationSeconds").asLong()).append(" s per row.\n\n");
        ObjectNode startup = (ObjectNode) report.get("startup");
        markdown.append(String.format(Locale.ROOT, "Start-up to ready: %.1f s wall / %.1f s CPU (empty data directory), "
                        + "%.1f s / %.1f s CPU (existing).%n%n", startup.get("freshSeconds").asDouble(),
                startup.get("freshCpuSeconds").asDouble(), startup.get("restartSeconds").asDouble(),
                startup.get("restartCpuSeconds").asDouble()));
        markdown.append(HEADER).append('\n');
        report.get("results").forEach(row -> markdown.append(markdownRow((ObjectNode) row)).append('\n'));
        Files.writeString(out.resolve("latest.md"), markdown.toString());
        System.out.println();
        System.out.print(markdown);
        System.out.println("\nwritten: " + out.resolve("latest.json") + ", " + out.resolve("latest.md"));
    }
}
