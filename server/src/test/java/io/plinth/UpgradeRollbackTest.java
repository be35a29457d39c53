package io.plinth;

import static io.plinth.support.StandaloneApps.newDataDir;
import static org.assertj.core.api.Assertions.assertThat;

import io.plinth.support.Http;
import io.plinth.support.PlinthProcess;
import io.plinth.support.QueueReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The procedure of docs/operations.md, performed on real data: upgrade to a release that migrates Plinth's own tables
 * and adds a resource while events are still in flight, write through it, then roll back to the previous release on
 * the same database. Nothing written by either is lost and every event is delivered.
 */
class UpgradeRollbackTest {

    private static final String BASE_DEFINITIONS = "--plinth.definitions=classpath:plinth/entities.yaml";
    private static final String NEXT_DEFINITIONS =
            "--plinth.definitions=classpath:plinth/entities.yaml,classpath:definitions/next-release.yaml";
    private static final String NEXT_MIGRATIONS = "--spring.flyway.locations=classpath:db/migration,classpath:db/next-release";

    @Test
    void upgradesAndRollsBackWithoutLosingRecordsOrEvents() throws Exception {
        Path dataDir = newDataDir("upgrade-");
        Set<String> written = new HashSet<>();

        // Release N: records, and events held in the outbox (publishing paused), as if the queue were slow.
        PlinthProcess current = new PlinthProcess(dataDir, BASE_DEFINITIONS).start();
        written.addAll(create(current.http(), "release N", 30));
        assertThat(current.http().postJson("/api/v1/_admin/events/pause", "{}").status()).isEqualTo(200);
        written.addAll(create(current.http(), "release N, event in flight", 30));
        current.terminate();
        current.waitFor();

        // Upgrade: release N+1 migrates Plinth's tables (V900) and the team's configuration adds a resource.
        PlinthProcess next = new PlinthProcess(dataDir, NEXT_DEFINITIONS, NEXT_MIGRATIONS).start();
        written.addAll(create(next.http(), "release N+1", 30));
        assertThat(next.http().postJson("/api/v1/coupons", "{\"code\":\"WELCOME\"}").status()).isEqualTo(201);
        assertThat(next.http().get("/api/v1/_admin/events").json().get("backlog").asLong()).isGreaterThanOrEqualTo(60);
        next.terminate();
        next.waitFor();

        // Roll back: release N with its own configuration on the database N+1 migrated.
        PlinthProcess rolledBack = new PlinthProcess(dataDir, BASE_DEFINITIONS).start();
        Http http = rolledBack.http();
        written.addAll(create(http, "after rollback", 10));
        for (String id : written) {
            assertThat(http.get("/api/v1/entities/" + id).status()).as("record %s", id).isEqualTo(200);
        }
        assertThat(http.get("/api/v1/coupons").status()).as("the rolled-back configuration has no coupons").isEqualTo(404);
        assertThat(http.postJson("/api/v1/_admin/events/resume", "{}").status()).isEqualTo(200);
        try (SqsClient client = rolledBack.queueClient()) {
            QueueReader reader = new QueueReader(client, client.getQueueUrl(b -> b.queueName("plinth-events")).queueUrl());
            reader.awaitRecords(written, Duration.ofSeconds(120));
        } finally {
            rolledBack.terminate();
            rolledBack.waitFor();
        }
        assertThat(rolledBack.log()).contains("has a version (900) that is newer than the latest available migration")
                .doesNotContain("Application run failed");
        System.out.printf("upgrade and rollback: %d records written across three runs, all readable, all events "
                + "delivered%n", written.size());
    }

    private static List<String> create(Http http, String label, int count) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(http.postJson("/api/v1/entities", "{\"field1\":\"" + label + " " + i + "\"}").json().get("id").asString());
        }
        return ids;
    }
}
