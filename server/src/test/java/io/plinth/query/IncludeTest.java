package io.plinth.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.plinth.definition.ResourceCatalog;
import io.plinth.support.PlinthIntegrationTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jooq.DSLContext;
import org.jooq.ExecuteContext;
import org.jooq.ExecuteListener;
import org.jooq.impl.DefaultExecuteListenerProvider;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/** include=: related records embedded in place of their ids, two levels deep, in one SQL statement. */
class IncludeTest extends PlinthIntegrationTest {

    @Autowired
    DSLContext dsl;
    @Autowired
    ResourceCatalog catalog;


    @Test
    void embedsReferencedRecordsExactlyAsTheyAreServedOnTheirOwn() {
        String customer = create("/api/v1/customers", "{\"name\":\"Margaret\"}");
        String purchase = create("/api/v1/purchases", "{\"customer\":\"" + customer + "\",\"note\":\"rush\"}");
        String product = create("/api/v1/products", "{\"title\":\"Gear\"}");
        String line = create("/api/v1/purchase-lines", "{\"purchase\":\"" + purchase + "\",\"product\":\"" + product
                + "\",\"quantity\":2}");

        JsonNode embedded = http().get("/api/v1/purchase-lines/" + line + "?include=purchase.customer,product").json();

        JsonNode expectedPurchase = http().get("/api/v1/purchases/" + purchase).json();
        ((tools.jackson.databind.node.ObjectNode) expectedPurchase).set("customer",
                http().get("/api/v1/customers/" + customer).json());
        assertThat(embedded.get("purchase")).isEqualTo(expectedPurchase);
        assertThat(embedded.get("product")).isEqualTo(http().get("/api/v1/products/" + product).json());
        assertThat(embedded.get("quantity").asInt()).isEqualTo(2);
    }

    @Test
    void embedsInListsWithSparseFieldsPerLevelAndNullForAnEmptyReference() {
        String customer = create("/api/v1/customers", "{\"name\":\"Alan\"}");
        String purchase = create("/api/v1/purchases", "{\"customer\":\"" + customer + "\",\"note\":\"n\"}");
        create("/api/v1/purchase-lines", "{\"purchase\":\"" + purchase + "\",\"quantity\":1}");

        JsonNode row = http().get("/api/v1/purchase-lines?purchase=" + purchase
                + "&include=purchase.customer,product&fields[purchase]=note,customer&fields[purchase.customer]=name")
                .json().get("data").get(0);

        assertThat(row.get("product").isNull()).isTrue();
        assertThat(new ArrayList<>(row.get("purchase").propertyNames())).containsExactly("id", "customer", "note");
        assertThat(new ArrayList<>(row.get("purchase").get("customer").propertyNames())).containsExactly("id", "name");
        assertThat(row.get("purchase").get("customer").get("name").asString()).isEqualTo("Alan");
    }

    @Test
    void embedsToManyRelationsAsArraysInCreationOrder() {
        String customer = create("/api/v1/customers", "{\"name\":\"Frances\"}");
        String purchase = create("/api/v1/purchases", "{\"customer\":\"" + customer + "\"}");
        String empty = create("/api/v1/purchases", "{\"customer\":\"" + customer + "\"}");
        String product = create("/api/v1/products", "{\"title\":\"Bolt\"}");
        String first = create("/api/v1/purchase-lines", "{\"purchase\":\"" + purchase + "\",\"product\":\"" + product
                + "\",\"quantity\":1}");
        String second = create("/api/v1/purchase-lines", "{\"purchase\":\"" + purchase + "\",\"quantity\":2}");

        JsonNode withLines = http().get("/api/v1/purchases/" + purchase + "?include=lines.product").json();
        assertThat(withLines.get("lines")).extracting(l -> l.get("id").asString()).containsExactly(first, second);
        assertThat(withLines.get("lines").get(0).get("product")).isEqualTo(http().get("/api/v1/products/" + product).json());
        assertThat(withLines.get("lines").get(1).get("product").isNull()).isTrue();
        assertThat(http().get("/api/v1/purchases/" + empty + "?include=lines").json().get("lines")).isEmpty();

        JsonNode nested = http().get("/api/v1/customers/" + customer + "?include=purchases.lines&fields[purchases]=id")
                .json().get("purchases");
        assertThat(nested).hasSize(2);
        assertThat(nested.get(0).get("lines")).hasSize(2);
    }

    @Test
    void filtersOnRecordsThatHaveAnyMatchingRelatedRecord() {
        String customer = create("/api/v1/customers", "{\"name\":\"Has Any\"}");
        String other = create("/api/v1/customers", "{\"name\":\"Has None\"}");
        String product = create("/api/v1/products", "{\"title\":\"Rare\"}");
        String purchase = create("/api/v1/purchases", "{\"customer\":\"" + customer + "\"}");
        create("/api/v1/purchases", "{\"customer\":\"" + other + "\"}");
        create("/api/v1/purchase-lines", "{\"purchase\":\"" + purchase + "\",\"product\":\"" + product
                + "\",\"quantity\":7}");

        assertThat(http().get("/api/v1/purchases?lines.product=" + product).json().get("data"))
                .extracting(p -> p.get("id").asString()).containsExactly(purchase);
        assertThat(http().get("/api/v1/customers?purchases.lines.product=" + product).json().get("data"))
                .extracting(c -> c.get("id").asString()).containsExactly(customer);
    }

    @Test
    void refusesUnknownNonReferenceAndTooDeepIncludes() {
        for (String bad : List.of("include=nope", "include=quantity", "include=purchase..customer",
                "include=purchase.customer.name", "include=" + "purchase.".repeat(5) + "customer",
                "fields[nope]=x", "include=product&fields[product]=colour", "include=%27%3B%20drop")) {
            JsonNode error = assertError(http().get("/api/v1/purchase-lines?" + bad), 400, "VALIDATION_ERROR");
            assertThat(error.get("details").get(0).get("field").asString()).as(bad).matches("include|fields\\[.*]");
        }
    }

    @Test
    void aListWithTwoLevelsOfIncludesIsOneStatement() {
        List<String> statements = new ArrayList<>();
        JooqRecordStore store = recordingStore(statements);
        String customer = create("/api/v1/customers", "{\"name\":\"Barbara\"}");
        String purchase = create("/api/v1/purchases", "{\"customer\":\"" + customer + "\"}");
        for (int i = 0; i < 5; i++) {
            create("/api/v1/purchase-lines", "{\"purchase\":\"" + purchase + "\",\"quantity\":" + (i + 1) + "}");
        }
        var lines = catalog.byName("purchaseLine").orElseThrow();
        ListQuery query = new ListQueryParser(20, 100, new IncludeParser(catalog, 3)).parse(lines,
                Map.of("include", new String[] {"purchase.customer,purchase.lines,product"},
                        "purchase", new String[] {purchase}));

        Page page = store.list(lines, query);

        assertThat(page.records()).hasSize(5);
        assertThat(page.records()).allSatisfy(r -> assertThat(r.included().get("purchase")).contains("Barbara"));
        assertThat(statements).hasSize(1);
    }

    @Test
    void aListThroughLinkTablesWithTwoLevelsOfIncludesIsOneStatement() {
        List<String> statements = new ArrayList<>();
        JooqRecordStore store = recordingStore(statements);
        String label = create("/api/v1/labels", "{\"name\":\"one-statement\"}");
        String inner = create("/api/v1/products", "{\"title\":\"inner\",\"labels\":[\"" + label + "\"]}");
        for (int i = 0; i < 5; i++) {
            create("/api/v1/products", "{\"title\":\"outer\",\"labels\":[\"" + label + "\"],\"related\":[\"" + inner + "\"]}");
        }
        var products = catalog.byName("product").orElseThrow();
        ListQuery query = new ListQueryParser(20, 100, new IncludeParser(catalog, 3)).parse(products,
                Map.of("include", new String[] {"labels.products,related.labels"}, "labels", new String[] {label},
                        "related[isNull]", new String[] {"false"}));

        Page page = store.list(products, query);

        assertThat(page.records()).hasSize(5);
        assertThat(page.records()).allSatisfy(r -> assertThat(r.included().get("related")).contains("one-statement"));
        assertThat(statements).hasSize(1);
    }

    /** A store whose every SQL statement is added to {@code statements}. */
    private JooqRecordStore recordingStore(List<String> statements) {
        ExecuteListener recorder = new ExecuteListener() {
            @Override
            public void executeStart(ExecuteContext ctx) {
                statements.add(ctx.sql());
            }
        };
        return new JooqRecordStore(dsl.configuration().derive(new DefaultExecuteListenerProvider(recorder)).dsl(),
                catalog, List.of());
    }
}
