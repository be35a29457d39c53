package io.plinth.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.plinth.support.Http.Response;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * Base of the integration tests: one Plinth on a random port with its own embedded PostgreSQL, shared by every test
 * class that extends this (same configuration, so Spring's test context cache starts it once per test JVM). It serves
 * the bundled example entity plus the test resources in {@code definitions/test-resources.yaml}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "plinth.definitions=classpath:plinth/entities.yaml,classpath:definitions/test-resources.yaml",
        "plinth.data-dir=target/test-data/shared-${random.uuid}",
        "plinth.api.max-body-size=64KB",
        "plinth.flags.declared.betaSearch.description=Search over notes (test flag)",
        "plinth.security.admin-password=" + TestCredentials.ADMIN_PASSWORD,
        "plinth.security.admin-api-key=" + TestCredentials.ADMIN_KEY,
        // Webhooks against loopback test servers, on a fast clock: 6 attempts within about 7 s, probes after 1 s.
        "plinth.webhooks.allowed-targets=127.0.0.1",
        "plinth.webhooks.retry-schedule=200ms,400ms,800ms,1600ms,3200ms",
        "plinth.webhooks.connect-timeout=500ms",
        "plinth.webhooks.read-timeout=1s",
        "plinth.webhooks.poll-wait=1s",
        "plinth.webhooks.circuit.minimum-calls=3",
        "plinth.webhooks.circuit.window-size=6",
        "plinth.webhooks.circuit.open-wait=1s"
})
@org.springframework.context.annotation.Import(RecordedSpans.class)
public abstract class PlinthIntegrationTest {

    /** The body limit the shared instance runs with. */
    protected static final int BODY_LIMIT = 64 * 1024;

    /** The shared instance also trusts a real (loopback) OIDC issuer's tokens. */
    @org.springframework.test.context.DynamicPropertySource
    static void issuer(org.springframework.test.context.DynamicPropertyRegistry registry) {
        registry.add("plinth.security.oidc.issuer-uri", TestIssuer::uri);
    }

    @LocalServerPort
    protected int port;

    protected Http http() {
        return new Http(port);
    }

    /** Creates a record through the API, asserts 201, and returns its id. */
    protected String create(String path, String json) {
        Response created = http().postJson(path, json);
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        return created.json().get("id").asString();
    }

    /** Asserts the template's error shape and returns the body. */
    protected static JsonNode assertError(Response response, int status, String code) {
        assertThat(response.status()).as("status of %s", response.text()).isEqualTo(status);
        assertThat(response.header("Content-Type")).startsWith("application/json");
        JsonNode body = response.json();
        assertThat(body.get("code").asString()).isEqualTo(code);
        assertThat(body.get("error").asString()).isNotBlank();
        assertThat(body.get("details").isArray()).isTrue();
        assertThat(body.get("correlationId").asString()).isNotBlank().isEqualTo(response.header("X-Correlation-ID"));
        assertThat(response.text()).doesNotContain("Exception", "at io.", "at org.", "SQL", "postgres");
        return body;
    }
}
