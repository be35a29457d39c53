package io.plinth.security;

import static io.plinth.support.StandaloneApps.http;
import static io.plinth.support.StandaloneApps.newDataDir;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.plinth.embedded.EmbeddedPostgresServer;
import io.plinth.support.Http;
import io.plinth.support.Http.Response;
import io.plinth.support.StandaloneApps;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * Request rate limits on two real instances sharing one database: the principal's limit holds across them (to within
 * one sync interval), a refusal is 429 RATE_LIMITED with Retry-After, the next window admits again, and floods of bad
 * credentials are limited per client address.
 */
class RateLimitTest {

    static final long WINDOW_MILLIS = 12_000;

    @Test
    void limitsHoldAcrossInstancesAnswer429WithRetryAfterAndRecover() throws Exception {
        String[] limits = {"--plinth.events.enabled=false", "--plinth.security.rate-limit.window=12s",
                "--plinth.security.rate-limit.per-principal=40", "--plinth.security.rate-limit.per-address=150",
                "--plinth.security.rate-limit.sync-interval=200ms"};
        try (ConfigurableApplicationContext first = StandaloneApps.start(newDataDir("rate-"), limits)) {
            String database = "jdbc:postgresql://localhost:" + first.getBean(EmbeddedPostgresServer.class).port() + "/postgres";
            String[] second = java.util.stream.Stream.concat(java.util.Arrays.stream(limits), java.util.stream.Stream.of(
                    "--PLINTH_DATABASE_URL=" + database, "--PLINTH_DATABASE_USERNAME=postgres",
                    "--PLINTH_DATABASE_PASSWORD=postgres")).toArray(String[]::new);
            try (ConfigurableApplicationContext other = StandaloneApps.start(newDataDir("rate-"), second)) {
                Http one = http(first);
                Http two = http(other);
                // Start at the beginning of a window, so that the whole exchange falls into one.
                long now = System.currentTimeMillis();
                Thread.sleep(WINDOW_MILLIS - now % WINDOW_MILLIS + 50);

                // The second instance counts this principal already, so its syncs read the shared total back.
                assertThat(two.get("/api/v1/entities").status()).isEqualTo(200);
                for (int i = 0; i < 24; i++) {
                    assertThat(one.get("/api/v1/entities").status()).isEqualTo(200);
                }
                Thread.sleep(800); // a few sync intervals: the other instance learns the 25
                int admitted = 0;
                Response refused = null;
                for (int i = 0; i < 40 && refused == null; i++) {
                    Response response = two.get("/api/v1/entities");
                    if (response.status() == 429) {
                        refused = response;
                    } else {
                        assertThat(response.status()).isEqualTo(200);
                        admitted++;
                    }
                }
                assertThat(refused).as("the second instance refuses once the shared count reaches 40").isNotNull();
                assertThat(admitted).as("25 admitted before, 40 allowed").isBetween(14, 16);
                JsonNode body = Http.parse(refused.text());
                assertThat(body.get("code").asString()).isEqualTo("RATE_LIMITED");
                assertThat(body.get("correlationId").asString()).isNotBlank();
                assertThat(Long.parseLong(refused.header("Retry-After"))).isBetween(1L, 12L);
                Thread.sleep(600); // and the first learns the second's
                assertThat(one.get("/api/v1/entities").status()).as("the first instance refuses too").isEqualTo(429);
                // Health probes are never limited.
                assertThat(one.get("/actuator/health/readiness").status()).isEqualTo(200);

                // The next window admits again.
                await().atMost(Duration.ofSeconds(16)).pollInterval(Duration.ofMillis(500))
                        .until(() -> two.get("/api/v1/entities").status() == 200);

                // Floods of bad credentials count against the address.
                Http stranger = Http.withAuthorization(Integer.parseInt(
                        first.getEnvironment().getProperty("local.server.port")), "Bearer plk_guessing0000000000000000000000000");
                boolean limited = false;
                for (int i = 0; i < 200 && !limited; i++) {
                    int status = stranger.get("/api/v1/entities").status();
                    assertThat(status).isIn(401, 429);
                    limited = status == 429;
                }
                assertThat(limited).as("an address guessing keys is limited").isTrue();
            }
        }
    }
}
