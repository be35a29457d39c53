package io.plinth.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.plinth.flags.FeatureFlags;
import io.plinth.support.Http;
import io.plinth.support.PlinthIntegrationTest;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * Feature flags through the admin API: the built-in maintenance and hidden flags acting on a resource, percentage and
 * role rollout as OpenFeature evaluates them, and bad changes refused.
 */
class FlagsTest extends PlinthIntegrationTest {

    @Autowired
    FeatureFlags flags;

    private Http.Response change(String flag, String json) {
        return http().send(http().request("/api/v1/_admin/flags/" + flag, "Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(json)));
    }

    @AfterEach
    void everythingOff() {
        for (String flag : List.of("note.maintenance", "note.hidden", "betaSearch")) {
            change(flag, "{\"enabled\":false,\"rolloutPercent\":100,\"roles\":[]}");
        }
    }

    @Test
    void listsBuiltInAndDeclaredFlagsWithTheirSettings() {
        JsonNode list = http().get("/api/v1/_admin/flags").json().get("data");
        assertThat(list).extracting(f -> f.get("name").asString())
                .contains("entity.maintenance", "entity.hidden", "note.maintenance", "betaSearch");
        JsonNode beta = http().get("/api/v1/_admin/flags/betaSearch").json();
        assertThat(beta.get("builtIn").asBoolean()).isFalse();
        assertThat(beta.get("description").asString()).isEqualTo("Search over notes (test flag)");
        assertError(http().get("/api/v1/_admin/flags/noSuchFlag"), 404, "NOT_FOUND");
    }

    @Test
    void maintenanceRefusesWritesWith503AndKeepsReads() {
        String id = create("/api/v1/notes", "{\"title\":\"before maintenance\"}");
        JsonNode turnedOn = change("note.maintenance", "{\"enabled\":true}").json();
        assertThat(turnedOn.get("enabled").asBoolean()).isTrue();
        assertThat(turnedOn.get("updatedBy").asString()).isEqualTo("admin");
        assertThat(turnedOn.get("version").asLong()).isPositive();

        Http.Response refused = http().postJson("/api/v1/notes", "{\"title\":\"during\"}");
        JsonNode error = assertError(refused, 503, "MAINTENANCE");
        assertThat(error.get("error").asString()).contains("note", "maintenance");
        assertThat(refused.header("Retry-After")).isEqualTo("60");
        assertError(http().send(http().request("/api/v1/notes/" + id, "Content-Type", "application/merge-patch+json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"title\":\"x\"}"))), 503, "MAINTENANCE");
        assertError(http().method("DELETE", "/api/v1/notes/" + id), 503, "MAINTENANCE");
        assertError(http().postJson("/api/v1/notes/_bulk", "[{\"title\":\"y\"}]"), 503, "MAINTENANCE");
        assertThat(http().get("/api/v1/notes/" + id).status()).isEqualTo(200);
        assertThat(http().get("/api/v1/notes?limit=1").status()).isEqualTo(200);
        assertThat(http().postJson("/api/v1/entities", "{\"field1\":\"other resources go on\"}").status()).isEqualTo(201);

        change("note.maintenance", "{\"enabled\":false}");
        assertThat(http().postJson("/api/v1/notes", "{\"title\":\"after\"}").status()).isEqualTo(201);
    }

    @Test
    void aHiddenResourceAnswers404Everywhere() {
        String id = create("/api/v1/notes", "{\"title\":\"soon hidden\"}");
        change("note.hidden", "{\"enabled\":true}");
        assertError(http().get("/api/v1/notes"), 404, "NOT_FOUND");
        assertError(http().get("/api/v1/notes/" + id), 404, "NOT_FOUND");
        assertError(http().get("/api/v1/notes/" + id + "/events"), 404, "NOT_FOUND");
        assertError(http().postJson("/api/v1/notes", "{\"title\":\"x\"}"), 404, "NOT_FOUND");
        change("note.hidden", "{\"enabled\":false}");
        assertThat(http().get("/api/v1/notes/" + id).status()).isEqualTo(200);
    }

    @Test
    void percentageAndRoleRolloutAsOpenFeatureEvaluatesThem() {
        change("betaSearch", "{\"enabled\":true,\"rolloutPercent\":30}");
        List<String> users = IntStream.range(0, 2000).mapToObj(i -> "user-" + i).toList();
        long on = users.stream().filter(user -> flags.isOn("betaSearch", user, List.of())).count();
        assertThat(on).as("about 30%% of 2000 users").isBetween(500L, 700L);
        List<String> firstOn = users.stream().filter(user -> flags.isOn("betaSearch", user, List.of())).toList();
        change("betaSearch", "{\"rolloutPercent\":60}");
        assertThat(firstOn).as("growing the percentage keeps everyone who had it")
                .allMatch(user -> flags.isOn("betaSearch", user, List.of()));

        change("betaSearch", "{\"rolloutPercent\":100,\"roles\":[\"editor\"]}");
        assertThat(flags.isOn("betaSearch", "user-1", List.of("editor"))).isTrue();
        assertThat(flags.isOn("betaSearch", "user-1", List.of("viewer"))).isFalse();
        assertThat(flags.isOn("betaSearch", "user-1", List.of())).isFalse();
        assertThat(flags.isOn("noSuchFlag")).as("an unknown flag is off").isFalse();
        assertThat(flags.client().getBooleanDetails("noSuchFlag", false).getErrorCode().name()).isEqualTo("FLAG_NOT_FOUND");
    }

    @Test
    void flagsEvaluateForTheCallerItsNameAndRoles() {
        String password = "flags test password 1";
        String viewer = "fv" + java.util.UUID.randomUUID().toString().substring(0, 6);
        String editor = "fe" + java.util.UUID.randomUUID().toString().substring(0, 6);
        for (String[] user : new String[][] {{viewer, "viewer"}, {editor, "editor"}}) {
            assertThat(http().postJson("/api/v1/_admin/users", """
                    {"username": "%s", "password": "%s", "roles": ["%s"]}""".formatted(user[0], password, user[1]))
                    .status()).isEqualTo(201);
        }
        Http asViewer = http().withKey(http().postJson("/api/v1/_admin/users/" + viewer + "/keys", "{\"name\": \"f\"}")
                .json().get("secret").asString());
        Http asEditor = http().withKey(http().postJson("/api/v1/_admin/users/" + editor + "/keys", "{\"name\": \"f\"}")
                .json().get("secret").asString());

        assertThat(change("betaSearch", "{\"enabled\":true,\"roles\":[\"editor\"]}").status()).isEqualTo(200);
        assertThat(asEditor.get("/api/v1/_auth/flags").json().get("data").get("betaSearch").asBoolean()).isTrue();
        assertThat(asViewer.get("/api/v1/_auth/flags").json().get("data").get("betaSearch").asBoolean()).isFalse();

        // The built-in flags too: a resource hidden from viewers only.
        assertThat(change("note.hidden", "{\"enabled\":true,\"roles\":[\"viewer\"]}").status()).isEqualTo(200);
        assertError(asViewer.get("/api/v1/notes"), 404, "NOT_FOUND");
        assertThat(asEditor.get("/api/v1/notes").status()).isEqualTo(200);
        assertThat(http().get("/api/v1/notes").status()).isEqualTo(200);
    }

    @Test
    void refusesBadChanges() {
        for (String bad : List.of("{\"enabled\":\"yes\"}", "{\"rolloutPercent\":101}", "{\"rolloutPercent\":-1}",
                "{\"rolloutPercent\":2.5}", "{\"roles\":\"editor\"}", "{\"roles\":[\"has space\"]}", "{\"roles\":[1]}",
                "{\"colour\":\"red\"}", "{}")) {
            assertError(change("betaSearch", bad), 400, "VALIDATION_ERROR");
        }
        assertError(change("betaSearch", "not json"), 400, "MALFORMED_REQUEST");
        assertError(change("betaSearch", "[true]"), 400, "MALFORMED_REQUEST");
        assertError(change("noSuchFlag", "{\"enabled\":true}"), 404, "NOT_FOUND");
        assertThat(http().get("/api/v1/_admin/flags/betaSearch").json().get("enabled").asBoolean()).isFalse();
    }
}
