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

/** Reference fields: foreign keys, their errors, and each ON DELETE rule with the events it causes. */
class ReferencesTest extends PlinthIntegrationTest {

    @Autowired
    DSLContext dsl;


    private List<String> eventTypesOf(String id) {
        return dsl.fetch("select event_type from plinth_outbox where record_id = ?::uuid order by position", id)
                .getValues(0, String.class);
    }

    @Test
    void storesAReferenceByIdAndRefusesOneToAMissingRecord() {
        String customer = create("/api/v1/customers", "{\"name\":\"Ada\"}");
        String purchase = create("/api/v1/purchases", "{\"customer\":\"" + customer + "\"}");
        assertThat(http().get("/api/v1/purchases/" + purchase).json().get("customer").asString()).isEqualTo(customer);

        JsonNode missing = assertError(http().postJson("/api/v1/purchases", "{\"customer\":\"" + UUID.randomUUID() + "\"}"),
                400, "VALIDATION_ERROR");
        assertThat(missing.get("details").get(0).get("field").asString()).isEqualTo("customer");
        assertThat(missing.get("details").get(0).get("message").asString()).contains("customer that does not exist");
        assertError(http().postJson("/api/v1/purchases", "{\"customer\":\"not-an-id\"}"), 400, "VALIDATION_ERROR");
        assertError(http().postJson("/api/v1/purchases", "{\"customer\":42}"), 400, "VALIDATION_ERROR");
        assertError(http().send(http().request("/api/v1/purchases/" + purchase, "Content-Type", "application/merge-patch+json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"customer\":\"" + UUID.randomUUID() + "\"}"))),
                400, "VALIDATION_ERROR");
    }

    @Test
    void restrictRefusesToDeleteARecordOthersReferTo() {
        String customer = create("/api/v1/customers", "{\"name\":\"Grace\"}");
        create("/api/v1/purchases", "{\"customer\":\"" + customer + "\"}");

        JsonNode refused = assertError(http().method("DELETE", "/api/v1/customers/" + customer), 409, "CONFLICT");

        assertThat(refused.get("details").get(0).get("field").asString()).isEqualTo("purchase.customer");
        assertThat(http().get("/api/v1/customers/" + customer).status()).isEqualTo(200);
        assertThat(eventTypesOf(customer)).containsExactly("CUSTOMER_CREATED");
    }

    @Test
    void cascadeDeletesTheReferringRecordsWithTheirEvents() {
        String customer = create("/api/v1/customers", "{\"name\":\"Linus\"}");
        String purchase = create("/api/v1/purchases", "{\"customer\":\"" + customer + "\"}");
        String line1 = create("/api/v1/purchase-lines", "{\"purchase\":\"" + purchase + "\",\"quantity\":1}");
        String line2 = create("/api/v1/purchase-lines", "{\"purchase\":\"" + purchase + "\",\"quantity\":2}");

        assertThat(http().method("DELETE", "/api/v1/purchases/" + purchase).status()).isEqualTo(204);

        assertThat(http().get("/api/v1/purchase-lines/" + line1).status()).isEqualTo(404);
        assertThat(http().get("/api/v1/purchase-lines/" + line2).status()).isEqualTo(404);
        assertThat(eventTypesOf(line1)).containsExactly("PURCHASE_LINE_CREATED", "PURCHASE_LINE_DELETED");
        assertThat(eventTypesOf(purchase)).containsExactly("PURCHASE_CREATED", "PURCHASE_DELETED");
        assertThat(http().method("DELETE", "/api/v1/customers/" + customer).status()).isEqualTo(204);
    }

    @Test
    void setNullClearsTheReferenceBumpsTheVersionAndTellsTheQueue() {
        String customer = create("/api/v1/customers", "{\"name\":\"Barbara\"}");
        String purchase = create("/api/v1/purchases", "{\"customer\":\"" + customer + "\"}");
        String product = create("/api/v1/products", "{\"title\":\"Widget\"}");
        String line = create("/api/v1/purchase-lines", "{\"purchase\":\"" + purchase + "\",\"product\":\"" + product + "\"}");

        assertThat(http().method("DELETE", "/api/v1/products/" + product).status()).isEqualTo(204);

        JsonNode after = http().get("/api/v1/purchase-lines/" + line).json();
        assertThat(after.get("product").isNull()).isTrue();
        assertThat(after.get("version").asLong()).isEqualTo(2);
        assertThat(eventTypesOf(line)).containsExactly("PURCHASE_LINE_CREATED", "PURCHASE_LINE_UPDATED");
        String body = dsl.fetchValue("select body from plinth_outbox where record_id = ?::uuid and event_type = "
                + "'PURCHASE_LINE_UPDATED'", line).toString();
        assertThat(body).contains("\"changedFields\":[\"product\"]");
    }

    @Test
    void listsFilterOnAReference() {
        String customer = create("/api/v1/customers", "{\"name\":\"Edsger\"}");
        String purchase = create("/api/v1/purchases", "{\"customer\":\"" + customer + "\"}");
        create("/api/v1/purchase-lines", "{\"purchase\":\"" + purchase + "\",\"quantity\":3}");
        create("/api/v1/purchase-lines", "{\"purchase\":\"" + purchase + "\",\"quantity\":4}");
        JsonNode lines = http().get("/api/v1/purchase-lines?purchase=" + purchase + "&sort=quantity").json().get("data");
        assertThat(lines).extracting(l -> l.get("quantity").asInt()).containsExactly(3, 4);
        assertError(http().get("/api/v1/purchase-lines?purchase=nope"), 400, "VALIDATION_ERROR");
    }

    @Test
    void listsFilterAcrossReferences() {
        String tag = "Filter" + UUID.randomUUID().toString().substring(0, 8);
        String ada = create("/api/v1/customers", "{\"name\":\"" + tag + " Ada\"}");
        String bob = create("/api/v1/customers", "{\"name\":\"" + tag + " Bob\"}");
        String adasPurchase = create("/api/v1/purchases", "{\"customer\":\"" + ada + "\",\"note\":\"" + tag + "\"}");
        String bobsPurchase = create("/api/v1/purchases", "{\"customer\":\"" + bob + "\",\"note\":\"" + tag + "\"}");
        String adasLine = create("/api/v1/purchase-lines", "{\"purchase\":\"" + adasPurchase + "\",\"quantity\":1}");
        create("/api/v1/purchase-lines", "{\"purchase\":\"" + bobsPurchase + "\",\"quantity\":2}");

        JsonNode byName = http().get("/api/v1/purchase-lines?purchase.customer.name="
                + java.net.URLEncoder.encode(tag + " Ada", java.nio.charset.StandardCharsets.UTF_8)).json().get("data");
        assertThat(byName).extracting(l -> l.get("id").asString()).containsExactly(adasLine);
        JsonNode byContains = http().get("/api/v1/purchase-lines?purchase.note=" + tag
                + "&purchase.customer.name[icontains]=" + tag.toLowerCase() + "&sort=quantity").json().get("data");
        assertThat(byContains).extracting(l -> l.get("quantity").asInt()).containsExactly(1, 2);
        JsonNode purchases = http().get("/api/v1/purchases?customer.name[startsWith]=" + tag + "%20B").json().get("data");
        assertThat(purchases).extracting(p -> p.get("id").asString()).containsExactly(bobsPurchase);

        for (String bad : List.of("purchase.nope.name=x", "quantity.name=x", "purchase.customer.colour=x",
                "purchase.customer.name[between]=x", "a.b.c.d.e=x")) {
            assertError(http().get("/api/v1/purchase-lines?" + bad), 400, "VALIDATION_ERROR");
        }
    }

    @Test
    void sortsAcrossReferencesAndPagesThroughExactly() {
        String customer = create("/api/v1/customers", "{\"name\":\"Sorter\"}");
        String purchase = create("/api/v1/purchases", "{\"customer\":\"" + customer + "\"}");
        List<String> products = new java.util.ArrayList<>();
        for (String title : List.of("delta", "alpha", "charlie", "alpha", "bravo")) {
            products.add(create("/api/v1/products", "{\"title\":\"" + title + "\"}"));
        }
        for (int i = 0; i < 23; i++) {
            String product = i % 6 == 5 ? "null" : "\"" + products.get(i % 5) + "\"";
            create("/api/v1/purchase-lines", "{\"purchase\":\"" + purchase + "\",\"product\":" + product
                    + ",\"quantity\":" + (i % 4 + 1) + "}");
        }
        for (String sort : List.of("product.title,-quantity", "-product.title,quantity", "purchase.customer.name,product.title")) {
            String base = "/api/v1/purchase-lines?purchase=" + purchase + "&include=product&sort=" + sort;
            List<JsonNode> whole = http().get(base + "&limit=100").json().get("data").valueStream().toList();
            List<JsonNode> paged = new java.util.ArrayList<>();
            String cursor = null;
            do {
                JsonNode page = http().get(base + "&limit=4" + (cursor == null ? "" : "&cursor=" + cursor)).json();
                page.get("data").forEach(paged::add);
                cursor = page.get("page").get("nextCursor").isNull() ? null : page.get("page").get("nextCursor").asString();
            } while (cursor != null);
            assertThat(paged).as(sort).hasSize(23).containsExactlyElementsOf(whole);
            List<String> titles = whole.stream().map(l -> l.get("product").isNull() ? null
                    : l.get("product").get("title").asString()).toList();
            int nulls = 3; // lines 5, 11 and 17 have no product
            if (sort.startsWith("product.title")) {
                assertThat(titles.subList(0, 23 - nulls)).isSorted();
                assertThat(titles.subList(23 - nulls, 23)).containsOnlyNulls();
            } else if (sort.startsWith("-product.title")) {
                assertThat(titles.subList(0, nulls)).containsOnlyNulls();
                assertThat(titles.subList(nulls, 23)).isSortedAccordingTo(java.util.Comparator.reverseOrder());
            }
        }
        assertError(http().get("/api/v1/purchase-lines?sort=product.nope"), 400, "VALIDATION_ERROR");
        assertError(http().get("/api/v1/purchase-lines?sort=quantity.title"), 400, "VALIDATION_ERROR");
    }

    @Test
    void theForeignKeysCarryTheDeclaredRules() {
        List<String> keys = dsl.fetch("""
                select pg_get_constraintdef(c.oid) from pg_constraint c join pg_class t on t.oid = c.conrelid
                where t.relname in ('purchase', 'purchase_line') and c.contype = 'f' order by c.conname""")
                .getValues(0, String.class);
        assertThat(keys).containsExactlyInAnyOrder(
                "FOREIGN KEY (customer) REFERENCES customer(id) ON DELETE RESTRICT",
                "FOREIGN KEY (product) REFERENCES product(id) ON DELETE SET NULL",
                "FOREIGN KEY (purchase) REFERENCES purchase(id) ON DELETE CASCADE");
    }
}
