package io.plinth.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.plinth.support.Http;
import io.plinth.support.PlinthIntegrationTest;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** GET /api/v1/_meta/resources: the declarations as the web app builds its screens from them, per caller. */
class MetaResourcesTest extends PlinthIntegrationTest {

    private static JsonNode resource(JsonNode body, String name) {
        for (JsonNode resource : body.get("data")) {
            if (resource.get("name").asString().equals(name)) {
                return resource;
            }
        }
        return null;
    }

    private static List<String> names(JsonNode array, String property) {
        List<String> names = new ArrayList<>();
        array.forEach(item -> names.add(property == null ? item.asString() : item.get(property).asString()));
        return names;
    }

    @Test
    void theTemplatesEntityIsDescribedWithItsRulesLifecycleAndTheCallersPermissions() {
        JsonNode body = http().get("/api/v1/_meta/resources").json();
        JsonNode entity = resource(body, "entity");
        assertThat(entity.get("path").asString()).isEqualTo("entities");
        JsonNode field1 = entity.get("fields").get(0);
        assertThat(field1.get("name").asString()).isEqualTo("field1");
        assertThat(field1.get("type").asString()).isEqualTo("string");
        assertThat(field1.get("required").asBoolean()).isTrue();
        assertThat(field1.get("maxLength").asInt()).isEqualTo(255);
        JsonNode field2 = entity.get("fields").get(1);
        assertThat(field2.get("type").asString()).isEqualTo("integer");
        assertThat(field2.get("min").asInt()).isZero();
        JsonNode lifecycle = entity.get("lifecycle");
        assertThat(names(lifecycle.get("states"), null)).containsExactly("DRAFT", "ACTIVE", "ARCHIVED");
        assertThat(lifecycle.get("initial").asString()).isEqualTo("DRAFT");
        assertThat(names(lifecycle.get("transitions").get("DRAFT"), null)).containsExactly("ACTIVE", "ARCHIVED");
        assertThat(lifecycle.get("transitions").get("ARCHIVED").isEmpty()).isTrue();
        assertThat(names(lifecycle.get("readOnlyStates"), null)).containsExactly("ARCHIVED");
        assertThat(names(entity.get("access").get("actions"), null))
                .containsExactly("read", "create", "update", "delete", "transition");
        assertThat(entity.get("access").get("transitions").isNull()).isTrue();
        assertThat(resource(body, "customer").get("relations").get(0).get("name").asString()).isEqualTo("purchases");
        assertThat(http().get("/api/v1/_meta/resources").header("Cache-Control")).isEqualTo("no-cache");
    }

    @Test
    void aRoleSeesOnlyWhatItMayReadWithoutItsHiddenFields() {
        String username = "meta-" + UUID.randomUUID().toString().substring(0, 8);
        String password = "meta-password-" + UUID.randomUUID();
        assertThat(http().postJson("/api/v1/_admin/users", "{\"username\": \"" + username + "\", \"password\": \""
                + password + "\", \"roles\": [\"clerk\"]}").status()).isEqualTo(201);
        String key = http().postJson("/api/v1/_admin/users/" + username + "/keys", "{\"name\": \"meta\"}").json()
                .get("secret").asString();
        JsonNode seen = http().withKey(key).get("/api/v1/_meta/resources").json();
        JsonNode all = http().get("/api/v1/_meta/resources").json();
        assertThat(seen.get("data").size()).isLessThan(all.get("data").size());
        for (JsonNode resource : seen.get("data")) {
            assertThat(names(resource.get("access").get("actions"), null)).contains("read");
        }
        assertThat(names(seen.get("data"), "name")).containsExactlyInAnyOrder("gadget", "ticket", "label");
        // The clerk may not see a gadget's price nor write its serial, and may move gadgets only to IN_USE
        // (test-resources.yaml): the hidden field is not described to it at all.
        JsonNode gadget = resource(seen, "gadget");
        assertThat(names(gadget.get("fields"), "name")).doesNotContain("price").contains("serial");
        assertThat(names(resource(all, "gadget").get("fields"), "name")).contains("price");
        assertThat(names(gadget.get("access").get("readOnlyFields"), null)).containsExactly("serial");
        assertThat(names(gadget.get("access").get("transitions"), null)).containsExactly("IN_USE");
        assertThat(names(gadget.get("access").get("actions"), null)).doesNotContain("delete");
        assertThat(resource(seen, "ticket").get("access").get("rows").asString()).isEqualTo("own");
    }

    @Test
    void withoutCredentialsItIsRefused() {
        assertError(http().anonymous().get("/api/v1/_meta/resources"), 401, "UNAUTHENTICATED");
        assertThat(Http.withAuthorization(port, "Bearer plk_not-a-real-key").get("/api/v1/_meta/resources").status())
                .isEqualTo(401);
    }

    @Test
    void administratorsSeeTheSchemaPlanAndHistoryAndNobodyElseDoes() {
        JsonNode plan = http().get("/api/v1/_admin/schema/plan").json();
        assertThat(plan.get("changed").asBoolean()).as(plan.toString()).isFalse();
        assertThat(plan.get("applicable").asBoolean()).isTrue();
        assertThat(plan.get("steps").size()).isZero();
        assertThat(plan.get("checksum").asString()).hasSize(64);
        JsonNode history = http().get("/api/v1/_admin/schema/history").json();
        assertThat(history.get("data").get(history.get("data").size() - 1).get("version").asInt()).isEqualTo(1);
        assertThat(history.get("data").get(history.get("data").size() - 1).get("upSql").asString()).contains("CREATE TABLE \"entity_name\"");
        assertError(http().anonymous().get("/api/v1/_admin/schema/plan"), 401, "UNAUTHENTICATED");
    }
}
