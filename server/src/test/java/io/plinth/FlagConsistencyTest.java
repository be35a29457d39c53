package io.plinth;

import static io.plinth.support.StandaloneApps.http;
import static io.plinth.support.StandaloneApps.newDataDir;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.plinth.embedded.EmbeddedPostgresServer;
import io.plinth.support.Http;
import io.plinth.support.StandaloneApps;
import java.net.http.HttpRequest;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Two instances on one database: a flag changed through one instance's API takes effect on the other within the
 * documented bound (a NOTIFY makes it about immediate; the refresh interval is the upper bound).
 */
class FlagConsistencyTest {

    @Test
    void aFlagChangedOnOneInstanceActsOnTheOtherWithinSeconds() throws Exception {
        // Events are tested elsewhere; ElasticMQ's storage is one per JVM, owned by the shared test instance.
        try (ConfigurableApplicationContext first = StandaloneApps.start(newDataDir("flags-"),
                "--plinth.events.enabled=false")) {
            String database = "jdbc:postgresql://localhost:" + first.getBean(EmbeddedPostgresServer.class).port() + "/postgres";
            try (ConfigurableApplicationContext second = StandaloneApps.start(newDataDir("flags-"),
                    "--plinth.events.enabled=false", "--PLINTH_DATABASE_URL=" + database,
                    "--PLINTH_DATABASE_USERNAME=postgres", "--PLINTH_DATABASE_PASSWORD=postgres")) {
                Http one = http(first);
                Http other = http(second);
                assertThat(other.postJson("/api/v1/entities", "{\"field1\":\"before\"}").status()).isEqualTo(201);

                long started = System.nanoTime();
                assertThat(patch(one, "entity.maintenance", "{\"enabled\":true}").status()).isEqualTo(200);
                await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20)).until(() ->
                        other.postJson("/api/v1/entities", "{\"field1\":\"during\"}").status() == 503);
                long onMillis = (System.nanoTime() - started) / 1_000_000;
                assertThat(other.postJson("/api/v1/entities", "{\"field1\":\"during\"}").json().get("code").asString())
                        .isEqualTo("MAINTENANCE");
                assertThat(other.get("/api/v1/_admin/flags/entity.maintenance").json().get("enabled").asBoolean()).isTrue();

                started = System.nanoTime();
                assertThat(patch(other, "entity.maintenance", "{\"enabled\":false}").status()).isEqualTo(200);
                await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20)).until(() ->
                        one.postJson("/api/v1/entities", "{\"field1\":\"after\"}").status() == 201);
                long offMillis = (System.nanoTime() - started) / 1_000_000;
                System.out.printf("flag propagation between instances: on in %d ms, off in %d ms%n", onMillis, offMillis);
            }
        }
    }

    private static Http.Response patch(Http http, String flag, String json) {
        return http.send(http.request("/api/v1/_admin/flags/" + flag, "Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(json)));
    }
}
