package io.plinth.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.plinth.support.Http.Response;
import io.plinth.support.PlinthIntegrationTest;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** GET /api/v1/{resource}: filters, sort, keyset cursors, sparse fieldsets, counts and bad parameters. */
class ListTest extends PlinthIntegrationTest {

    private static String enc(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    /** Creates items in a batch of their own, through the bulk endpoint; returns the batch name. */
    private String seed(List<String> items) {
        String batch = "b-" + UUID.randomUUID();
        // in chunks, to stay under the shared test instance's 64 KiB body limit
        for (int from = 0; from < items.size(); from += 250) {
            String body = "[" + String.join(",", items.subList(from, Math.min(from + 250, items.size())).stream()
                    .map(i -> "{" + i + (i.isEmpty() ? "" : ",") + "\"batch\":\"" + batch + "\"}").toList()) + "]";
            Response created = http().postJson("/api/v1/items/_bulk", body);
            assertThat(created.status()).as(created.text()).isEqualTo(201);
        }
        return batch;
    }

    private JsonNode list(String query) {
        Response response = http().get("/api/v1/items?" + query);
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        return response.json();
    }

    private List<JsonNode> all(String query) {
        List<JsonNode> rows = new ArrayList<>();
        String cursor = null;
        for (int pages = 0; pages < 10_000; pages++) {
            JsonNode page = list(query + (cursor == null ? "" : "&cursor=" + cursor));
            page.get("data").forEach(rows::add);
            JsonNode next = page.get("page").get("nextCursor");
            if (next.isNull()) {
                return rows;
            }
            cursor = next.asString();
        }
        throw new AssertionError("paging did not end");
    }

    private static List<String> names(List<JsonNode> rows) {
        return rows.stream().map(r -> r.get("name").asString()).toList();
    }

    @Test
    void listsWithTheDefaultPageShapeNewestFirst() {
        String batch = seed(List.of("\"name\":\"x\""));
        http().postJson("/api/v1/items", "{\"name\":\"newer\",\"batch\":\"" + batch + "\"}");
        JsonNode page = list("batch=" + batch);
        assertThat(page.get("page").get("limit").asInt()).isEqualTo(20);
        assertThat(page.get("page").get("nextCursor").isNull()).isTrue();
        assertThat(page.get("page").has("total")).isFalse();
        assertThat(names(page.get("data").valueStream().toList())).containsExactly("newer", "x");
    }

    @Test
    void filtersWithEveryOperator() {
        String batch = seed(List.of(
                "\"name\":\"Alpha 100%\",\"rank\":1,\"price\":1.50,\"tag\":\"A\"",
                "\"name\":\"alphabet_soup\",\"rank\":2,\"price\":2.00,\"tag\":\"B\"",
                "\"name\":\"Beta\",\"rank\":3,\"tag\":\"C\"",
                "\"name\":\"gamma\""));
        String b = "batch=" + batch + "&sort=name&";
        assertThat(names(all(b + "rank=2"))).containsExactly("alphabet_soup");
        assertThat(names(all(b + "rank[eq]=2"))).containsExactly("alphabet_soup");
        assertThat(names(all(b + "rank[ne]=2"))).containsExactly("Alpha 100%", "Beta", "gamma");
        assertThat(names(all(b + "rank[gt]=1"))).containsExactly("Beta", "alphabet_soup");
        assertThat(names(all(b + "rank[gte]=2&rank[lte]=3"))).containsExactly("Beta", "alphabet_soup");
        assertThat(names(all(b + "rank[lt]=2"))).containsExactly("Alpha 100%");
        assertThat(names(all(b + "tag[in]=A,C"))).containsExactly("Alpha 100%", "Beta");
        assertThat(names(all(b + "price[gte]=2.00"))).containsExactly("alphabet_soup");
        assertThat(names(all(b + "name[contains]=" + enc("100%")))).containsExactly("Alpha 100%");
        assertThat(names(all(b + "name[contains]=" + enc("t_s")))).containsExactly("alphabet_soup");
        assertThat(names(all(b + "name[contains]=" + enc("_")))).containsExactly("alphabet_soup");
        assertThat(names(all(b + "name[contains]=alpha"))).containsExactly("alphabet_soup");
        assertThat(names(all(b + "name[icontains]=ALPHA"))).containsExactly("Alpha 100%", "alphabet_soup");
        assertThat(names(all(b + "name[startsWith]=B"))).containsExactly("Beta");
        assertThat(names(all(b + "name[istartsWith]=b"))).containsExactly("Beta");
        assertThat(names(all(b + "rank[isNull]=true"))).containsExactly("gamma");
        assertThat(names(all(b + "rank[isNull]=false"))).hasSize(3);
        assertThat(names(all(b + "status=DRAFT&rank[gte]=3"))).containsExactly("Beta");
        assertThat(all(b + "status=ACTIVE")).isEmpty();
    }

    @Test
    void sortsOnSeveralKeysWithNullsAndPagesThroughThemExactly() {
        Random random = new Random(42);
        List<String> items = new ArrayList<>();
        for (int i = 0; i < 95; i++) {
            String rank = random.nextInt(5) == 0 ? "null" : Integer.toString(random.nextInt(10));
            items.add("\"name\":\"n" + String.format("%03d", random.nextInt(40)) + "\",\"rank\":" + rank);
        }
        String batch = seed(items);
        for (String sort : List.of("rank,-name", "-rank,name", "-name", "name,rank", "rank", "-createdAt,rank")) {
            List<JsonNode> paged = all("batch=" + batch + "&limit=7&sort=" + sort);
            List<JsonNode> whole = list("batch=" + batch + "&limit=100&sort=" + sort).get("data").valueStream().toList();
            assertThat(paged).as(sort).hasSize(95).containsExactlyElementsOf(whole);
            assertThat(paged.stream().map(r -> r.get("id").asString()).distinct()).hasSize(95);
            assertThat(paged).as(sort).isSortedAccordingTo(order(sort));
        }
    }

    /** The order PostgreSQL applies: nulls last ascending, first descending; id as the final tie-breaker. */
    private static Comparator<JsonNode> order(String sort) {
        Comparator<JsonNode> comparator = (a, b) -> 0;
        for (String key : sort.split(",")) {
            boolean descending = key.startsWith("-");
            String field = descending ? key.substring(1) : key;
            Comparator<JsonNode> byField = (a, b) -> {
                JsonNode x = a.get(field);
                JsonNode y = b.get(field);
                if (x.isNull() || y.isNull()) {
                    return Boolean.compare(x.isNull(), y.isNull());
                }
                return x.isNumber() ? Long.compare(x.asLong(), y.asLong()) : x.asString().compareTo(y.asString());
            };
            comparator = comparator.thenComparing(descending ? byField.reversed() : byField);
        }
        return comparator;
    }

    @Test
    void returnsOnlyTheRequestedFieldsPlusId() {
        String batch = seed(List.of("\"name\":\"sparse\",\"rank\":1"));
        JsonNode row = list("batch=" + batch + "&fields=name,status").get("data").get(0);
        assertThat(row.propertyNames()).containsExactly("id", "name", "status");
    }

    @Test
    void countsExactlyOrByEstimate() {
        String batch = seed(List.of("\"rank\":1", "\"rank\":2", "\"rank\":3"));
        JsonNode exact = list("batch=" + batch + "&count=true&limit=1").get("page");
        assertThat(exact.get("total").asLong()).isEqualTo(3);
        assertThat(exact.get("totalIsEstimate").asBoolean()).isFalse();
        JsonNode estimated = list("batch=" + batch + "&count=estimated").get("page");
        assertThat(estimated.get("totalIsEstimate").asBoolean()).isTrue();
        assertThat(estimated.get("total").asLong()).isGreaterThanOrEqualTo(0);
    }

    @Test
    void refusesBadParametersNamingEach() {
        Map<String, String> bad = new HashMap<>();
        bad.put("colour=red", "colour");
        bad.put("rank[between]=1", "rank[between]");
        bad.put("rank=abc", "rank");
        bad.put("rank=1.5", "rank");
        bad.put("rank[contains]=1", "rank[contains]");
        bad.put("tag=Z", "tag");
        bad.put("status=LIVE", "status");
        bad.put("rank[isNull]=yes", "rank[isNull]");
        bad.put("createdAt[gt]=yesterday", "createdAt[gt]");
        bad.put("id=42", "id");
        bad.put("limit=0", "limit");
        bad.put("limit=101", "limit");
        bad.put("limit=ten", "limit");
        bad.put("limit=1&limit=2", "limit");
        bad.put("sort=colour", "sort");
        bad.put("sort=name,name", "sort");
        bad.put("fields=name,colour", "fields");
        bad.put("count=maybe", "count");
        bad.put("cursor=not-a-cursor", "cursor");
        bad.put("name%5B%5D=x", "name[]");
        bad.put("%27%3B+DROP+TABLE+item%3B--=1", "';");
        for (Map.Entry<String, String> entry : bad.entrySet()) {
            JsonNode error = assertError(http().get("/api/v1/items?" + entry.getKey()), 400, "VALIDATION_ERROR");
            assertThat(error.get("details").get(0).get("field").asString()).as(entry.getKey()).startsWith(entry.getValue());
        }
        JsonNode several = assertError(http().get("/api/v1/items?colour=1&limit=0&sort=nope"), 400, "VALIDATION_ERROR");
        assertThat(several.get("details")).hasSize(3);
    }

    @Test
    void refusesACursorMadeForAnotherQuery() {
        String batch = seed(List.of("\"rank\":1", "\"rank\":2", "\"rank\":3"));
        String cursor = list("batch=" + batch + "&limit=1").get("page").get("nextCursor").asString();
        assertThat(list("batch=" + batch + "&limit=1&cursor=" + cursor).get("data")).hasSize(1);
        assertError(http().get("/api/v1/items?batch=" + batch + "&limit=1&sort=rank&cursor=" + cursor), 400, "VALIDATION_ERROR");
        assertError(http().get("/api/v1/items?limit=1&cursor=" + cursor), 400, "VALIDATION_ERROR");
        assertError(http().get("/api/v1/entities?limit=1&cursor=" + cursor), 400, "VALIDATION_ERROR");
    }

    @Test
    void pagesThroughRowsThatExistThroughoutExactlyOnceWhileOthersComeAndGo() throws Exception {
        List<String> items = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            items.add("\"name\":\"stable-" + i + "\",\"rank\":" + (i % 17));
        }
        String batch = seed(items);
        List<String> stable = all("batch=" + batch + "&limit=100").stream().map(r -> r.get("id").asString()).toList();
        assertThat(stable).hasSize(1000);

        AtomicBoolean running = new AtomicBoolean(true);
        java.util.concurrent.atomic.AtomicInteger changes = new java.util.concurrent.atomic.AtomicInteger();
        Thread churn = Thread.ofVirtual().start(() -> {
            int n = 0;
            while (running.get()) {
                changes.incrementAndGet();
                Response created = http().postJson("/api/v1/items",
                        "{\"name\":\"churn-" + n + "\",\"rank\":" + (n % 17) + ",\"batch\":\"" + batch + "\"}");
                if (n++ % 2 == 0) {
                    http().method("DELETE", "/api/v1/items/" + created.json().get("id").asString());
                }
            }
        });
        try {
            for (String sort : List.of("-createdAt", "rank,-name")) {
                List<JsonNode> seen = all("batch=" + batch + "&limit=37&sort=" + sort);
                List<String> seenIds = seen.stream().map(r -> r.get("id").asString()).toList();
                for (String id : stable) {
                    assertThat(seenIds.stream().filter(id::equals).count()).as("row %s with sort %s", id, sort).isEqualTo(1);
                }
                assertThat(seenIds).doesNotHaveDuplicates();
                assertThat(seen).isSortedAccordingTo(order(sort.equals("-createdAt") ? "-createdAt" : sort));
            }
        } finally {
            running.set(false);
            churn.join();
        }
        assertThat(changes.get()).as("inserts and deletes made while paging").isGreaterThan(10);
    }
}
