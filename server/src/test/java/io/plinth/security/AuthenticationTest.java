package io.plinth.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.plinth.support.Http;
import io.plinth.support.Http.Response;
import io.plinth.support.PlinthIntegrationTest;
import io.plinth.support.TestCredentials;
import java.net.http.HttpRequest.BodyPublishers;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Web login with session cookie and CSRF token, API keys, and refusals of missing, bad and revoked credentials. */
class AuthenticationTest extends PlinthIntegrationTest {

    @org.springframework.beans.factory.annotation.Autowired
    org.jooq.DSLContext dsl;

    static final String PASSWORD = "correct horse battery staple";

    /** Creates a user with these roles (as admin) and returns its name. */
    String user(String... roles) {
        String name = "u" + UUID.randomUUID().toString().substring(0, 8);
        Response created = http().postJson("/api/v1/_admin/users", """
                {"username": "%s", "password": "%s", "roles": %s}""".formatted(name, PASSWORD, json(roles)));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        return name;
    }

    static String json(String... values) {
        return "[" + String.join(",", List.of(values).stream().map(v -> "\"" + v + "\"").toList()) + "]";
    }

    /** A logged-in browser: the session cookie header value and the CSRF token. */
    record Session(String cookie, String csrf) {
    }

    Session login(String username) {
        Response login = http().anonymous().postJson("/api/v1/_auth/login",
                "{\"username\": \"%s\", \"password\": \"%s\"}".formatted(username, PASSWORD));
        assertThat(login.status()).as(login.text()).isEqualTo(200);
        String setCookie = login.header("Set-Cookie");
        return new Session(setCookie.substring(0, setCookie.indexOf(';')), login.json().get("csrfToken").asString());
    }

    Response put(String path, String json, Session session) {
        Http browser = http().anonymous();
        return browser.send(browser.request(path, "Cookie", session.cookie(), "X-CSRF-Token", session.csrf(),
                "Content-Type", "application/json").PUT(BodyPublishers.ofString(json)));
    }

    @Test
    void anApiCallWithoutCredentialsIs401WithWwwAuthenticate() {
        Response response = http().anonymous().get("/api/v1/entities");
        JsonNode body = assertError(response, 401, "UNAUTHENTICATED");
        assertThat(response.header("WWW-Authenticate")).startsWith("Bearer");
        assertThat(body.get("error").asString()).contains("credentials");
        assertError(http().anonymous().postJson("/api/v1/entities", "{\"field1\": \"x\"}"), 401, "UNAUTHENTICATED");
    }

    @Test
    void healthIsOpenButOtherActuatorEndpointsNeedAdmin() {
        assertThat(http().anonymous().get("/actuator/health").status()).isEqualTo(200);
        assertThat(http().anonymous().get("/actuator/health/readiness").status()).isEqualTo(200);
        assertError(http().anonymous().get("/actuator/prometheus"), 401, "UNAUTHENTICATED");
        assertError(http().anonymous().get("/actuator/info"), 401, "UNAUTHENTICATED");
        Session session = login(user("viewer"));
        assertError(http().anonymous().get("/actuator/prometheus", "Cookie", session.cookie()), 403, "FORBIDDEN");
        assertThat(http().get("/actuator/prometheus").status()).isEqualTo(200);
    }

    @Test
    void administrationNeedsTheAdminRole() {
        Session viewer = login(user("viewer", "editor"));
        for (String path : List.of("/api/v1/_admin/users", "/api/v1/_admin/flags", "/api/v1/_admin/events",
                "/api/v1/_admin/keys", "/api/v1/_admin/roles")) {
            assertError(http().anonymous().get(path), 401, "UNAUTHENTICATED");
            assertError(http().anonymous().get(path, "Cookie", viewer.cookie()), 403, "FORBIDDEN");
            assertThat(http().get(path).status()).as(path).isEqualTo(200);
        }
        assertError(http().anonymous().postJson("/api/v1/_admin/users", "{\"username\":\"x\",\"password\":\"y\"}",
                "Cookie", viewer.cookie(), "X-CSRF-Token", viewer.csrf()), 403, "FORBIDDEN");
    }

    @Test
    void webLoginSetsAnHttpOnlyLaxCookieAndWritesNeedTheCsrfToken() {
        String name = user("editor");
        Response login = http().anonymous().postJson("/api/v1/_auth/login",
                "{\"username\": \"%s\", \"password\": \"%s\"}".formatted(name, PASSWORD));
        assertThat(login.status()).isEqualTo(200);
        String cookie = login.header("Set-Cookie");
        assertThat(cookie).startsWith("plinth_session=").contains("HttpOnly").contains("SameSite=Lax").contains("Path=/")
                .doesNotContain("Secure");
        assertThat(login.json().get("username").asString()).isEqualTo(name);
        assertThat(login.json().get("permissions").get("entity").get("actions").toString())
                .contains("read", "create", "update", "transition").doesNotContain("delete");
        assertThat(login.text()).doesNotContain(PASSWORD);
        Session session = new Session(cookie.substring(0, cookie.indexOf(';')), login.json().get("csrfToken").asString());

        Http browser = http().anonymous();
        assertThat(browser.get("/api/v1/entities", "Cookie", session.cookie()).status()).isEqualTo(200);
        JsonNode me = browser.get("/api/v1/_auth/me", "Cookie", session.cookie()).json();
        assertThat(me.get("authentication").asString()).isEqualTo("session");
        assertThat(me.get("csrfToken").asString()).isEqualTo(session.csrf());

        JsonNode refused = assertError(browser.postJson("/api/v1/entities", "{\"field1\": \"csrf\"}",
                "Cookie", session.cookie()), 403, "FORBIDDEN");
        assertThat(refused.get("error").asString()).contains("X-CSRF-Token");
        assertError(browser.postJson("/api/v1/entities", "{\"field1\": \"csrf\"}", "Cookie", session.cookie(),
                "X-CSRF-Token", "wrong"), 403, "FORBIDDEN");
        Response created = browser.postJson("/api/v1/entities", "{\"field1\": \"csrf\"}", "Cookie", session.cookie(),
                "X-CSRF-Token", session.csrf());
        assertThat(created.status()).isEqualTo(201);

        Response logout = browser.postJson("/api/v1/_auth/logout", "", "Cookie", session.cookie(),
                "X-CSRF-Token", session.csrf());
        assertThat(logout.status()).isEqualTo(204);
        assertThat(logout.header("Set-Cookie")).contains("Max-Age=0");
        assertError(browser.get("/api/v1/entities", "Cookie", session.cookie()), 401, "UNAUTHENTICATED");
    }

    @Test
    void aWrongPasswordAndAnUnknownUserGetTheSameAnswer() {
        String name = user("viewer");
        Response wrong = http().anonymous().postJson("/api/v1/_auth/login",
                "{\"username\": \"%s\", \"password\": \"not the password\"}".formatted(name));
        Response unknown = http().anonymous().postJson("/api/v1/_auth/login",
                "{\"username\": \"nobody-%s\", \"password\": \"not the password\"}".formatted(name));
        assertThat(assertError(wrong, 401, "UNAUTHENTICATED").get("error").asString())
                .isEqualTo(assertError(unknown, 401, "UNAUTHENTICATED").get("error").asString());
        assertError(http().anonymous().postJson("/api/v1/_auth/login", "{\"username\": 5}"), 400, "VALIDATION_ERROR");
        assertError(http().anonymous().postJson("/api/v1/_auth/login", "{not json"), 400, "MALFORMED_REQUEST");
        assertError(http().anonymous().postJson("/api/v1/_auth/login",
                "{\"username\": \"a\", \"password\": \"b\", \"remember\": true}"), 400, "VALIDATION_ERROR");
    }

    @Test
    void repeatedFailedLoginsLockTheAccountUntilAnAdminUnlocksIt() {
        String name = user("viewer");
        for (int i = 0; i < 5; i++) {
            assertError(http().anonymous().postJson("/api/v1/_auth/login",
                    "{\"username\": \"%s\", \"password\": \"guess number %d\"}".formatted(name, i)), 401, "UNAUTHENTICATED");
        }
        Response locked = http().anonymous().postJson("/api/v1/_auth/login",
                "{\"username\": \"%s\", \"password\": \"guess number 6\"}".formatted(name));
        assertError(locked, 429, "RATE_LIMITED");
        assertThat(Integer.parseInt(locked.header("Retry-After"))).isBetween(1, 61);
        // Even the right password waits while the account is locked.
        assertError(http().anonymous().postJson("/api/v1/_auth/login",
                "{\"username\": \"%s\", \"password\": \"%s\"}".formatted(name, PASSWORD)), 429, "RATE_LIMITED");
        assertThat(http().postJson("/api/v1/_admin/users/" + name + "/unlock", "").status()).isEqualTo(204);
        login(name);
    }

    @Test
    void aLockEndsByItselfWhenItsTimeHasPassed() {
        String name = user("viewer");
        for (int i = 0; i < 5; i++) {
            http().anonymous().postJson("/api/v1/_auth/login",
                    "{\"username\": \"%s\", \"password\": \"wrong guess %d\"}".formatted(name, i));
        }
        assertError(http().anonymous().postJson("/api/v1/_auth/login",
                "{\"username\": \"%s\", \"password\": \"%s\"}".formatted(name, PASSWORD)), 429, "RATE_LIMITED");
        // A minute passes (the lock's end moved into the past, as the clock would).
        dsl.execute("update plinth_login_attempt set locked_until = now() - interval '1 second' where subject = ?",
                "user:" + name);
        login(name);
    }

    @Test
    void crossOriginRequestsAreRefusedUnlessOriginsAreConfigured() {
        Response preflight = http().send(http().request("/api/v1/entities", "Origin", "https://evil.example",
                "Access-Control-Request-Method", "POST").method("OPTIONS",
                java.net.http.HttpRequest.BodyPublishers.noBody()));
        // Without Access-Control-Allow-* in the answer, a browser does not send the request.
        assertThat(preflight.header("Access-Control-Allow-Origin")).isNull();
        assertThat(preflight.header("Access-Control-Allow-Methods")).isNull();
        Response simple = http().get("/api/v1/entities", "Origin", "https://evil.example");
        assertThat(simple.header("Access-Control-Allow-Origin")).isNull();
    }

    @Test
    void aUserCreatesUsesAndRevokesTheirOwnApiKey() {
        Session session = login(user("viewer"));
        Http browser = http().anonymous();
        Response created = browser.postJson("/api/v1/_auth/keys", "{\"name\": \"laptop\"}", "Cookie", session.cookie(),
                "X-CSRF-Token", session.csrf());
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        String secret = created.json().get("secret").asString();
        assertThat(secret).startsWith("plk_").hasSizeGreaterThan(40);
        assertThat(created.header("Cache-Control")).isEqualTo("no-store");
        Http withKey = http().withKey(secret);
        assertThat(withKey.get("/api/v1/entities").status()).isEqualTo(200);
        assertError(withKey.postJson("/api/v1/entities", "{\"field1\": \"viewer\"}"), 403, "FORBIDDEN");
        assertThat(withKey.get("/api/v1/_auth/me").json().get("authentication").asString()).isEqualTo("api-key");

        JsonNode listed = browser.get("/api/v1/_auth/keys", "Cookie", session.cookie()).json().get("data");
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0).has("secret")).isFalse();
        assertThat(listed.toString()).doesNotContain(secret);
        String id = listed.get(0).get("id").asString();
        assertThat(browser.method("DELETE", "/api/v1/_auth/keys/" + id, "Cookie", session.cookie(),
                "X-CSRF-Token", session.csrf()).status()).isEqualTo(200);
        JsonNode refused = assertError(withKey.get("/api/v1/entities"), 401, "UNAUTHENTICATED");
        assertThat(refused.get("error").asString()).contains("revoked");
        // Another user's key cannot be revoked through one's own account.
        assertError(http().method("DELETE", "/api/v1/_auth/keys/" + UUID.randomUUID()), 404, "NOT_FOUND");
    }

    @Test
    void anExpiredKeyStopsWorking() {
        String name = user("viewer");
        String expiresAt = OffsetDateTime.now().plusSeconds(2).toString();
        Response created = http().postJson("/api/v1/_admin/users/" + name + "/keys",
                "{\"name\": \"short\", \"expiresAt\": \"%s\"}".formatted(expiresAt));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        Http withKey = http().withKey(created.json().get("secret").asString());
        assertThat(withKey.get("/api/v1/entities").status()).isEqualTo(200);
        Awaitility.await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                assertError(withKey.get("/api/v1/entities"), 401, "UNAUTHENTICATED"));
        assertError(http().postJson("/api/v1/_admin/users/" + name + "/keys",
                "{\"name\": \"past\", \"expiresAt\": \"2001-01-01T00:00:00Z\"}"), 400, "VALIDATION_ERROR");
    }

    @Test
    void malformedAndForeignCredentialsAre401() {
        Http anonymous = http().anonymous();
        for (String authorization : List.of("Bearer plk_not-a-key", "Bearer " + TestCredentials.ADMIN_KEY + "x",
                "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJhZG1pbiJ9.", "Basic YWRtaW46YWRtaW4=", "Bearer", "plk_abc")) {
            assertError(anonymous.get("/api/v1/entities", "Authorization", authorization), 401, "UNAUTHENTICATED");
        }
        // An unknown session cookie is no session: the caller is anonymous.
        assertError(anonymous.get("/api/v1/entities", "Cookie", "plinth_session=forged"), 401, "UNAUTHENTICATED");
    }

    @Test
    void aDisabledUserCanNoLongerAuthenticate() {
        String name = user("viewer");
        Session session = login(name);
        Response key = http().postJson("/api/v1/_admin/users/" + name + "/keys", "{\"name\": \"k\"}");
        Http withKey = http().withKey(key.json().get("secret").asString());
        assertThat(withKey.get("/api/v1/entities").status()).isEqualTo(200);
        assertThat(http().send(http().request("/api/v1/_admin/users/" + name, "Content-Type", "application/json")
                .method("PATCH", BodyPublishers.ofString("{\"disabled\": true}"))).status()).isEqualTo(200);
        assertError(withKey.get("/api/v1/entities"), 401, "UNAUTHENTICATED");
        assertError(http().anonymous().get("/api/v1/entities", "Cookie", session.cookie()), 401, "UNAUTHENTICATED");
    }

    @Test
    void aUserChangesTheirPasswordWithTheCurrentOne() {
        String name = user("viewer");
        Session session = login(name);
        assertError(put("/api/v1/_auth/password",
                "{\"currentPassword\": \"wrong one\", \"newPassword\": \"a new long password\"}", session),
                400, "VALIDATION_ERROR");
        assertError(put("/api/v1/_auth/password",
                "{\"currentPassword\": \"%s\", \"newPassword\": \"short\"}".formatted(PASSWORD), session),
                400, "VALIDATION_ERROR");
        assertThat(put("/api/v1/_auth/password",
                "{\"currentPassword\": \"%s\", \"newPassword\": \"a new long password\"}".formatted(PASSWORD), session)
                .status()).isEqualTo(204);
        assertThat(http().anonymous().postJson("/api/v1/_auth/login",
                "{\"username\": \"%s\", \"password\": \"a new long password\"}".formatted(name)).status()).isEqualTo(200);
    }

    @Test
    void userAdministrationRefusesBadInput() {
        assertError(http().postJson("/api/v1/_admin/users", "{\"username\": \"ok-name\", \"password\": \"short\"}"),
                400, "VALIDATION_ERROR");
        assertError(http().postJson("/api/v1/_admin/users",
                "{\"username\": \"bad name!\", \"password\": \"long enough password\"}"), 400, "VALIDATION_ERROR");
        JsonNode unknownRole = assertError(http().postJson("/api/v1/_admin/users",
                "{\"username\": \"x1\", \"password\": \"long enough password\", \"roles\": [\"wizard\"]}"),
                400, "VALIDATION_ERROR");
        assertThat(unknownRole.get("details").get(0).get("field").asString()).isEqualTo("roles");
        String name = user("viewer");
        assertError(http().postJson("/api/v1/_admin/users",
                "{\"username\": \"%s\", \"password\": \"long enough password\"}".formatted(name)), 409, "CONFLICT");
        assertError(http().get("/api/v1/_admin/users/nobody-at-all"), 404, "NOT_FOUND");
        assertError(http().method("DELETE", "/api/v1/_admin/keys/not-an-id"), 404, "NOT_FOUND");
        // Keys: name missing, too long, a bad expiry, an unknown member, not JSON.
        String keys = "/api/v1/_admin/users/" + name + "/keys";
        for (String body : List.of("{}", "{\"name\": \"" + "k".repeat(101) + "\"}",
                "{\"name\": \"k\", \"expiresAt\": \"tomorrow\"}", "{\"name\": \"k\", \"scope\": \"all\"}",
                "{\"name\": 5}")) {
            assertError(http().postJson(keys, body), 400, "VALIDATION_ERROR");
        }
        assertError(http().postJson(keys, "[\"k\"]"), 400, "MALFORMED_REQUEST");
        // User changes: wrong types, a short password, an unknown role.
        for (String body : List.of("{\"roles\": \"viewer\"}", "{\"disabled\": \"yes\"}", "{\"password\": \"short\"}",
                "{\"roles\": [\"wizard\"]}", "{\"username\": \"renamed\"}")) {
            assertError(http().send(http().request("/api/v1/_admin/users/" + name, "Content-Type", "application/json")
                    .method("PATCH", BodyPublishers.ofString(body))), 400, "VALIDATION_ERROR");
        }
        // The last enabled admin stays.
        assertError(http().method("DELETE", "/api/v1/_admin/users/admin"), 409, "CONFLICT");
        JsonNode user = http().get("/api/v1/_admin/users/" + name).json();
        assertThat(user.has("password")).isFalse();
        assertThat(user.toString()).doesNotContain("argon2");
    }
}
