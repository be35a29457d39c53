package io.plinth.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.plinth.support.Http;
import io.plinth.support.Http.Response;
import io.plinth.support.PlinthIntegrationTest;
import java.net.http.HttpRequest.BodyPublishers;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every role x resource x action x way of authenticating, against an expectation written out by hand from the roles
 * declared in {@code definitions/test-resources.yaml} and the bundled {@code entities.yaml}: exactly the declared
 * access, nothing more. Refusals are 403 for a known caller and 401 without credentials.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PermissionTest extends PlinthIntegrationTest {

    enum Kind { API_KEY, SESSION, TOKEN, ANONYMOUS }

    enum Act { LIST, GET, CREATE, UPDATE, DELETE, TRANSITION }

    static final String PASSWORD = "permission matrix password";
    static final Set<Act> ALL = Set.of(Act.values());
    static final Set<Act> READ = Set.of(Act.LIST, Act.GET);
    static final Set<Act> EDIT = Set.of(Act.LIST, Act.GET, Act.CREATE, Act.UPDATE, Act.TRANSITION);
    static final Set<Act> NONE = Set.of();

    /** The resources exercised: path, a valid create body, a valid change, a transition allowed by the lifecycle. */
    record Target(String path, String create, String update, String to, boolean ifMatch) {
    }

    static final Map<String, Target> TARGETS = Map.of(
            "entity", new Target("entities", "{\"field1\": \"m\"}", "{\"field2\": 1}", "ACTIVE", false),
            "gadget", new Target("gadgets", "{\"name\": \"mx\"}", "{\"quantity\": 2}", "IN_USE", false),
            "ticket", new Target("tickets", "{\"title\": \"m\"}", "{\"points\": 3}", "DONE", true),
            "label", new Target("labels", "{\"name\": \"m\"}", "{\"name\": \"n\"}", "ACTIVE", false));

    /** The declared access, written out: role -> resource -> allowed acts. */
    static final Map<String, Map<String, Set<Act>>> EXPECTED = new LinkedHashMap<>();

    static {
        EXPECTED.put("admin", Map.of("entity", ALL, "gadget", ALL, "ticket", ALL, "label", ALL));
        EXPECTED.put("viewer", Map.of("entity", READ, "gadget", READ, "ticket", READ, "label", READ));
        EXPECTED.put("editor", Map.of("entity", EDIT, "gadget", EDIT, "ticket", EDIT, "label", EDIT));
        // clerk's tickets are limited to its own rows: RowRulesTest covers them.
        EXPECTED.put("clerk", Map.of("entity", NONE, "gadget", EDIT, "label", READ));
        EXPECTED.put("auditor", Map.of("entity", NONE, "gadget", NONE, "ticket", READ, "label", READ));
        // No role at all: only what is public (labels are publicRead).
        EXPECTED.put("nobody", Map.of("entity", NONE, "gadget", NONE, "ticket", NONE, "label", READ));
    }

    /** Per role: an API key, and a session cookie with its CSRF token. */
    final Map<String, String> keys = new LinkedHashMap<>();
    final Map<String, String[]> sessions = new LinkedHashMap<>();

    @BeforeAll
    void createUsers() {
        for (String role : EXPECTED.keySet()) {
            String name = "m-" + role + "-" + UUID.randomUUID().toString().substring(0, 6);
            String roles = role.equals("nobody") ? "[]" : "[\"" + role + "\"]";
            assertThat(http().postJson("/api/v1/_admin/users", """
                    {"username": "%s", "password": "%s", "roles": %s}""".formatted(name, PASSWORD, roles)).status())
                    .isEqualTo(201);
            keys.put(role, http().postJson("/api/v1/_admin/users/" + name + "/keys", "{\"name\": \"matrix\"}")
                    .json().get("secret").asString());
            Response login = http().anonymous().postJson("/api/v1/_auth/login",
                    "{\"username\": \"%s\", \"password\": \"%s\"}".formatted(name, PASSWORD));
            String cookie = login.header("Set-Cookie");
            sessions.put(role, new String[] {cookie.substring(0, cookie.indexOf(';')),
                    login.json().get("csrfToken").asString()});
        }
    }

    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        EXPECTED.forEach((role, byResource) -> byResource.forEach((resource, allowed) -> {
            for (Act act : Act.values()) {
                for (Kind kind : List.of(Kind.API_KEY, Kind.SESSION, Kind.TOKEN)) {
                    cases.add(Arguments.of(role, resource, act, kind, allowed.contains(act)));
                }
            }
        }));
        for (String resource : TARGETS.keySet()) {
            for (Act act : Act.values()) {
                boolean publicRead = resource.equals("label") && READ.contains(act);
                cases.add(Arguments.of("anonymous", resource, act, Kind.ANONYMOUS, publicRead));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {3} {2} {1}: allowed={4}")
    @MethodSource("cases")
    void grantsExactlyTheDeclaredAccess(String role, String resource, Act act, Kind kind, boolean allowed) {
        Target target = TARGETS.get(resource);
        String id = create(target);
        Response response = perform(client(role, kind), headers(role, kind), target, id, act);
        if (allowed) {
            assertThat(response.status()).as(response.text()).isBetween(200, 299);
        } else if (kind == Kind.ANONYMOUS) {
            assertError(response, 401, "UNAUTHENTICATED");
        } else {
            assertError(response, 403, "FORBIDDEN");
        }
        // A refused change changed nothing.
        if (!allowed && act != Act.LIST && act != Act.GET && act != Act.CREATE) {
            Response after = http().get("/api/v1/" + target.path() + "/" + id);
            assertThat(after.status()).isEqualTo(200);
            assertThat(after.json().get("version").asLong()).isEqualTo(1);
        }
    }

    private String create(Target target) {
        Response created = http().postJson("/api/v1/" + target.path(), target.create());
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        return created.json().get("id").asString();
    }

    private Http client(String role, Kind kind) {
        return switch (kind) {
            case API_KEY -> http().withKey(keys.get(role));
            case TOKEN -> Http.withAuthorization(port, "Bearer " + io.plinth.support.TestIssuer.token("sub-" + role,
                    role.equals("nobody") ? List.of() : List.of(role)));
            default -> http().anonymous();
        };
    }

    private String[] headers(String role, Kind kind) {
        if (kind != Kind.SESSION) {
            return new String[0];
        }
        String[] session = sessions.get(role);
        return new String[] {"Cookie", session[0], "X-CSRF-Token", session[1]};
    }

    private static Response perform(Http client, String[] auth, Target target, String id, Act act) {
        String base = "/api/v1/" + target.path();
        List<String> headers = new ArrayList<>(List.of(auth));
        if (target.ifMatch() && (act == Act.UPDATE || act == Act.DELETE || act == Act.TRANSITION)) {
            headers.addAll(List.of("If-Match", "\"1\""));
        }
        String[] h = headers.toArray(String[]::new);
        return switch (act) {
            case LIST -> client.get(base, h);
            case GET -> client.get(base + "/" + id, h);
            case CREATE -> client.postJson(base, target.create(), h);
            case UPDATE -> {
                List<String> patch = new ArrayList<>(headers);
                patch.addAll(List.of("Content-Type", "application/merge-patch+json"));
                yield client.send(client.request(base + "/" + id, patch.toArray(String[]::new))
                        .method("PATCH", BodyPublishers.ofString(target.update())));
            }
            case DELETE -> client.method("DELETE", base + "/" + id, h);
            case TRANSITION -> client.postJson(base + "/" + id + "/transitions", "{\"to\": \"" + target.to() + "\"}", h);
        };
    }

    @org.junit.jupiter.api.Test
    void includesAndFiltersAcrossReferencesNeedReadOnEveryResourceTouched() {
        String customer = create(new Target("customers", "{\"name\": \"Ada\"}", null, null, false));
        http().postJson("/api/v1/purchases", "{\"customer\": \"" + customer + "\"}");
        Http auditor = http().withKey(keys.get("auditor"));
        assertThat(auditor.get("/api/v1/purchases").status()).isEqualTo(200);
        assertError(auditor.get("/api/v1/purchases?include=customer"), 403, "FORBIDDEN");
        assertError(auditor.get("/api/v1/purchases?customer.name=Ada"), 403, "FORBIDDEN");
        assertError(auditor.get("/api/v1/purchases?sort=customer.name"), 403, "FORBIDDEN");
        assertError(auditor.get("/api/v1/customers/" + customer), 403, "FORBIDDEN");
        assertThat(http().get("/api/v1/purchases?include=customer").status()).isEqualTo(200);
    }

    @org.junit.jupiter.api.Test
    void aTransitionToAStateTheRoleMayNotReachIsRefused() {
        Http clerk = http().withKey(keys.get("clerk"));
        String id = create(TARGETS.get("gadget"));
        assertThat(clerk.postJson("/api/v1/gadgets/" + id + "/transitions", "{\"to\": \"IN_USE\"}").status())
                .isEqualTo(200);
        assertError(clerk.postJson("/api/v1/gadgets/" + id + "/transitions", "{\"to\": \"RETIRED\"}"),
                403, "FORBIDDEN");
        assertThat(http().get("/api/v1/gadgets/" + id).json().get("status").asString()).isEqualTo("IN_USE");
    }

    @org.junit.jupiter.api.Test
    void hiddenFieldsAreNeverShownAndReadOnlyFieldsNeverWritten() {
        Http clerk = http().withKey(keys.get("clerk"));
        String id = http().postJson("/api/v1/gadgets", "{\"name\": \"priced\", \"price\": 12.50, \"serial\": "
                + (System.nanoTime() % 1_000_000_000L) + "}").json().get("id").asString();
        Response one = clerk.get("/api/v1/gadgets/" + id);
        assertThat(one.status()).isEqualTo(200);
        assertThat(one.json().has("price")).isFalse();
        assertThat(one.json().get("name").asString()).isEqualTo("priced");
        assertThat(http().get("/api/v1/gadgets/" + id).json().get("price").decimalValue()).isEqualByComparingTo("12.50");
        Response list = clerk.get("/api/v1/gadgets?limit=100");
        list.json().get("data").forEach(record -> assertThat(record.has("price")).isFalse());
        assertThat(clerk.get("/api/v1/gadgets/" + id + "?fields=name,price").json().has("price")).isFalse();
        assertThat(clerk.get("/api/v1/gadgets?fields=price").json().get("data").get(0).has("price")).isFalse();
        assertError(clerk.get("/api/v1/gadgets?price[gte]=1"), 403, "FORBIDDEN");
        assertError(clerk.get("/api/v1/gadgets?sort=-price"), 403, "FORBIDDEN");
        Response history = clerk.get("/api/v1/gadgets/" + id + "/events");
        assertThat(history.status()).isEqualTo(200);
        assertThat(history.json().get("data").get(0).get("payload").get("data").has("price")).isFalse();
        assertThat(http().get("/api/v1/gadgets/" + id + "/events").json().get("data").get(0).get("payload")
                .get("data").has("price")).isTrue();

        var refused = assertError(clerk.postJson("/api/v1/gadgets", "{\"name\": \"mine\", \"serial\": 7}"),
                403, "FORBIDDEN");
        assertThat(refused.get("details").get(0).get("field").asString()).isEqualTo("serial");
        Response created = clerk.postJson("/api/v1/gadgets", "{\"name\": \"mine\", \"price\": 3}");
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().has("price")).isFalse();
        assertError(clerk.send(clerk.request("/api/v1/gadgets/" + id, "Content-Type", "application/merge-patch+json")
                .method("PATCH", BodyPublishers.ofString("{\"serial\": 8}"))), 403, "FORBIDDEN");
        assertError(clerk.postJson("/api/v1/gadgets/_bulk", "[{\"name\": \"b1\"}, {\"name\": \"b2\", \"serial\": 9}]"),
                403, "FORBIDDEN");
        assertThat(http().get("/api/v1/gadgets/" + id).json().get("version").asLong()).isEqualTo(1);
    }
}
