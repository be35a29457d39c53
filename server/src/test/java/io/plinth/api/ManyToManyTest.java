package io.plinth.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.plinth.support.PlinthIntegrationTest;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.UUID;
import org.jooq.DSLContext;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * Many-to-many through implicit link tables: {@code product.labels} (restrict) and {@code product.related} (to itself,
 * unlink), with {@code label.products} as the declared reverse relation.
 */
class ManyToManyTest extends PlinthIntegrationTest {

    @Autowired
    DSLContext dsl;

    private String label(String name) {
        return create("/api/v1/labels", "{\"name\":\"" + name + "\"}");
    }

    private String product(String title, String json) {
        return create("/api/v1/products", "{\"title\":\"" + title + "\"" + (json.isEmpty() ? "" : "," + json) + "}");
    }

    private static String ids(String... ids) {
        return "[" + String.join(",", List.of(ids).stream().map(id -> "\"" + id + "\"").toList()) + "]";
    }

    private static List<String> idsOf(JsonNode array) {
        return array.valueStream().map(n -> n.isObject() ? n.get("id").asString() : n.asString()).toList();
    }

    private HttpRequest.Builder patch(String path, String json) {
        return http().request(path, "Content-Type", "application/merge-patch+json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(json));
    }

    @Test
    void keepsTheIdsInTheOrderGivenAndReplacesThemOnPatch() {
        String red = label("red");
        String green = label("green");
        String blue = label("blue");
        String product = product("Kite", "\"labels\":" + ids(blue, red));

        JsonNode read = http().get("/api/v1/products/" + product).json();
        assertThat(idsOf(read.get("labels"))).containsExactly(blue, red);
        assertThat(idsOf(read.get("related"))).isEmpty();

        JsonNode patched = http().send(patch("/api/v1/products/" + product, "{\"labels\":" + ids(green) + "}")).json();
        assertThat(idsOf(patched.get("labels"))).containsExactly(green);
        assertThat(patched.get("version").asLong()).isEqualTo(2);

        JsonNode retitled = http().send(patch("/api/v1/products/" + product, "{\"title\":\"Kite 2\"}")).json();
        assertThat(idsOf(retitled.get("labels"))).as("untouched by a patch that does not name them").containsExactly(green);

        // Events carry the ids, never embedded copies.
        List<String> payloads = dsl.fetch("select body::text from plinth_outbox where record_id = ?::uuid order by position",
                product).getValues(0, String.class);
        assertThat(payloads).hasSize(3);
        assertThat(payloads.get(0)).contains("\"labels\":[\"" + blue + "\",\"" + red + "\"]");
        assertThat(payloads.get(1)).contains("\"labels\":[\"" + green + "\"]").contains("\"changedFields\":[\"labels\"]");
        assertThat(dsl.fetchValue("select count(*) from product_labels where product_id = ?::uuid", product))
                .isEqualTo(1L);
    }

    @Test
    void refusesBadListsWithTheFieldNamed() {
        String red = label("red");
        for (String bad : List.of(
                ids(red, red),
                ids(red, UUID.randomUUID().toString(), UUID.randomUUID().toString(), UUID.randomUUID().toString()),
                "\"" + red + "\"", "null", "[42]", "[\"not-an-id\"]", "{}", "[null]")) {
            JsonNode error = assertError(http().postJson("/api/v1/products", "{\"labels\":" + bad + "}"),
                    400, "VALIDATION_ERROR");
            assertThat(error.get("details").get(0).get("field").asString()).as(bad).isEqualTo("labels");
        }
        JsonNode missing = assertError(http().postJson("/api/v1/products",
                "{\"labels\":" + ids(red, UUID.randomUUID().toString()) + "}"), 400, "VALIDATION_ERROR");
        assertThat(missing.get("details").get(0).get("message").asString()).contains("label that does not exist");
        String product = product("Sled", "");
        assertError(http().send(patch("/api/v1/products/" + product, "{\"labels\":" + ids(UUID.randomUUID().toString()) + "}")),
                400, "VALIDATION_ERROR");
        assertThat(http().get("/api/v1/products/" + product).json().get("version").asLong()).isEqualTo(1);
    }

    @Test
    void restrictRefusesToDeleteAHeldRecordUntilItIsUnlinked() {
        String held = label("held");
        String product = product("Drum", "\"labels\":" + ids(held));

        JsonNode refused = assertError(http().method("DELETE", "/api/v1/labels/" + held), 409, "CONFLICT");
        assertThat(refused.get("details").get(0).get("field").asString()).isEqualTo("product.labels");

        http().send(patch("/api/v1/products/" + product, "{\"labels\":[]}"));
        assertThat(http().method("DELETE", "/api/v1/labels/" + held).status()).isEqualTo(204);
    }

    @Test
    void unlinkRemovesADeletedRecordFromEveryHolderWithANewVersionAndEvent() {
        String doomed = product("Doomed", "");
        String keeper = product("Keeper", "");
        String holder = product("Holder", "\"related\":" + ids(doomed, keeper));

        assertThat(http().method("DELETE", "/api/v1/products/" + doomed).status()).isEqualTo(204);

        JsonNode after = http().get("/api/v1/products/" + holder).json();
        assertThat(idsOf(after.get("related"))).containsExactly(keeper);
        assertThat(after.get("version").asLong()).isEqualTo(2);
        assertThat(dsl.fetch("select event_type from plinth_outbox where record_id = ?::uuid order by position", holder)
                .getValues(0, String.class)).containsExactly("PRODUCT_CREATED", "PRODUCT_UPDATED");

        // Deleting the holder takes its own links with it.
        assertThat(http().method("DELETE", "/api/v1/products/" + holder).status()).isEqualTo(204);
        assertThat(dsl.fetchValue("select count(*) from product_related where product_id = ?::uuid", holder)).isEqualTo(0L);
        assertThat(http().get("/api/v1/products/" + keeper).json().get("version").asLong()).isEqualTo(1);
    }

    @Test
    void includesTheHeldRecordsInOrderAndTheReverseRelation() {
        String a = label("alpha");
        String b = label("beta");
        String inner = product("Inner", "\"labels\":" + ids(a));
        String outer = product("Outer", "\"labels\":" + ids(b, a) + ",\"related\":" + ids(inner));

        JsonNode embedded = http().get("/api/v1/products/" + outer + "?include=labels,related.labels&fields[labels]=name")
                .json();
        assertThat(idsOf(embedded.get("labels"))).containsExactly(b, a);
        assertThat(embedded.get("labels").get(0).get("name").asString()).isEqualTo("beta");
        assertThat(embedded.get("labels").get(0).has("createdAt")).isFalse();
        assertThat(embedded.get("related").get(0).get("title").asString()).isEqualTo("Inner");
        assertThat(embedded.get("related").get(0).get("labels").get(0).get("name").asString()).isEqualTo("alpha");

        JsonNode plainEmbedded = http().get("/api/v1/products/" + outer + "?include=related").json().get("related").get(0);
        assertThat(plainEmbedded).as("an included record looks as it does on its own")
                .isEqualTo(http().get("/api/v1/products/" + inner).json());

        JsonNode reverse = http().get("/api/v1/labels/" + a + "?include=products").json();
        assertThat(idsOf(reverse.get("products"))).containsExactly(inner, outer);
        JsonNode list = http().get("/api/v1/labels?id[in]=" + a + "," + b + "&include=products.related&sort=name").json();
        assertThat(list.get("data")).hasSize(2);
        assertThat(idsOf(list.get("data").get(0).get("products"))).containsExactly(inner, outer);
        assertThat(idsOf(list.get("data").get(0).get("products").get(1).get("related"))).containsExactly(inner);
    }

    @Test
    void filtersOnHeldIdsAndAcrossTheLinks() {
        String tag = label("filter-" + UUID.randomUUID().toString().substring(0, 8));
        String other = label("other");
        String batch = UUID.randomUUID().toString().substring(0, 8);
        String both = product(batch + "-both", "\"labels\":" + ids(tag, other));
        String one = product(batch + "-one", "\"labels\":" + ids(other));
        String none = product(batch + "-none", "");
        String base = "/api/v1/products?title[startsWith]=" + batch + "&sort=title&";

        assertThat(titles(base + "labels=" + tag)).containsExactly(both);
        assertThat(titles(base + "labels[in]=" + tag + "," + other)).containsExactly(both, one);
        assertThat(titles(base + "labels[ne]=" + tag)).containsExactly(none, one);
        assertThat(titles(base + "labels[isNull]=true")).containsExactly(none);
        assertThat(titles(base + "labels[isNull]=false")).containsExactly(both, one);
        assertThat(titles(base + "labels.name=" + http().get("/api/v1/labels/" + tag).json().get("name").asString()))
                .containsExactly(both);
        assertThat(http().get("/api/v1/labels?products.title=" + batch + "-one").json().get("data"))
                .extracting(l -> l.get("id").asString()).containsExactly(other);

        for (String bad : List.of("sort=labels", "labels[gt]=" + tag, "labels=not-an-id", "sort=labels.name",
                "labels[contains]=x", "include=labels.nope")) {
            assertError(http().get("/api/v1/products?" + bad), 400, "VALIDATION_ERROR");
        }
    }

    private List<String> titles(String path) {
        JsonNode body = http().get(path).json();
        assertThat(body.has("data")).as(body.toString()).isTrue();
        return body.get("data").valueStream().map(p -> p.get("id").asString()).toList();
    }

    @Test
    void bulkCreatesAndUpsertsWriteTheLinksToo() {
        String a = label("bulk-a");
        String b = label("bulk-b");
        JsonNode created = http().postJson("/api/v1/products/_bulk",
                "[{\"title\":\"B1\",\"labels\":" + ids(a) + "},{\"title\":\"B2\",\"labels\":" + ids(b, a) + "}]").json();
        assertThat(created.toString()).contains(ids(a)).contains(ids(b, a));
        JsonNode stored = http().get("/api/v1/products/" + created.get("data").get(1).get("id").asString()).json();
        assertThat(idsOf(stored.get("labels"))).containsExactly(b, a);
    }
}
