package io.plinth.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.plinth.support.Http;
import io.plinth.support.Http.Response;
import io.plinth.support.PlinthIntegrationTest;
import java.net.http.HttpRequest.BodyPublishers;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Row rules ({@code rows: own}) and the audit columns: the server records who created and last changed each record,
 * and a role limited to its own rows never sees another's, in lists, counts, gets, includes, filters across
 * references or event histories, and cannot change them.
 */
class RowRulesTest extends PlinthIntegrationTest {

    static final String PASSWORD = "row rules test password";

    /** A new user with these roles and an API key; returns [name, key]. */
    String[] user(String... roles) {
        String name = "r" + UUID.randomUUID().toString().substring(0, 8);
        List<String> quoted = new ArrayList<>();
        for (String role : roles) {
            quoted.add("\"" + role + "\"");
        }
        assertThat(http().postJson("/api/v1/_admin/users", """
                {"username": "%s", "password": "%s", "roles": [%s]}""".formatted(name, PASSWORD,
                String.join(",", quoted))).status()).isEqualTo(201);
        String key = http().postJson("/api/v1/_admin/users/" + name + "/keys", "{\"name\": \"rows\"}")
                .json().get("secret").asString();
        return new String[] {name, key};
    }

    @Test
    void theServerRecordsWhoCreatedAndWhoLastChangedARecord() {
        String[] editor = user("editor");
        Response created = http().withKey(editor[1]).postJson("/api/v1/entities", "{\"field1\": \"audited\"}");
        assertThat(created.json().get("createdBy").asString()).isEqualTo(editor[0]);
        assertThat(created.json().get("updatedBy").asString()).isEqualTo(editor[0]);
        String id = created.json().get("id").asString();
        Response changed = http().send(http().request("/api/v1/entities/" + id, "Content-Type",
                "application/merge-patch+json").method("PATCH", BodyPublishers.ofString("{\"field2\": 4}")));
        assertThat(changed.json().get("createdBy").asString()).isEqualTo(editor[0]);
        assertThat(changed.json().get("updatedBy").asString()).isEqualTo("admin");
        // Clients cannot write them.
        assertError(http().withKey(editor[1]).postJson("/api/v1/entities",
                "{\"field1\": \"forged\", \"createdBy\": \"someone\"}"), 400, "VALIDATION_ERROR");
        // They can be filtered on.
        JsonNode mine = http().get("/api/v1/entities?createdBy=" + editor[0]).json().get("data");
        assertThat(mine).hasSize(1);
        JsonNode events = http().get("/api/v1/entities/" + id + "/events").json().get("data");
        assertThat(events.get(0).get("principal").asString()).isEqualTo("admin");
        assertThat(events.get(1).get("principal").asString()).isEqualTo(editor[0]);
    }

    @Test
    void aRoleLimitedToItsOwnRowsNeverSeesOrChangesAnothers() {
        String[] alice = user("clerk");
        String[] bob = user("clerk");
        Http asAlice = http().withKey(alice[1]);
        Http asBob = http().withKey(bob[1]);
        String alicesTicket = asAlice.postJson("/api/v1/tickets", "{\"title\": \"alice's\"}").json().get("id").asString();
        String bobsTicket = asBob.postJson("/api/v1/tickets", "{\"title\": \"bob's\"}").json().get("id").asString();
        asBob.postJson("/api/v1/tickets", "{\"title\": \"bob's second\"}");

        JsonNode list = asAlice.get("/api/v1/tickets?count=exact&limit=100").json();
        assertThat(list.get("data")).hasSize(1);
        assertThat(list.get("data").get(0).get("id").asString()).isEqualTo(alicesTicket);
        assertThat(list.get("page").get("total").asLong()).isEqualTo(1);
        assertThat(asBob.get("/api/v1/tickets?count=exact").json().get("page").get("total").asLong()).isEqualTo(2);
        assertThat(asAlice.get("/api/v1/tickets?title=bob's").json().get("data")).isEmpty();

        assertError(asAlice.get("/api/v1/tickets/" + bobsTicket), 404, "NOT_FOUND");
        assertError(asAlice.get("/api/v1/tickets/" + bobsTicket + "/events"), 404, "NOT_FOUND");
        assertError(asAlice.send(asAlice.request("/api/v1/tickets/" + bobsTicket, "Content-Type",
                "application/merge-patch+json", "If-Match", "\"1\"").method("PATCH",
                BodyPublishers.ofString("{\"points\": 1}"))), 404, "NOT_FOUND");
        assertError(asAlice.postJson("/api/v1/tickets/" + bobsTicket + "/transitions", "{\"to\": \"DONE\"}",
                "If-Match", "\"1\""), 404, "NOT_FOUND");
        assertThat(http().get("/api/v1/tickets/" + bobsTicket).json().get("version").asLong()).isEqualTo(1);

        // Her own: all of it works.
        assertThat(asAlice.get("/api/v1/tickets/" + alicesTicket).status()).isEqualTo(200);
        assertThat(asAlice.get("/api/v1/tickets/" + alicesTicket + "/events").status()).isEqualTo(200);
        assertThat(asAlice.postJson("/api/v1/tickets/" + alicesTicket + "/transitions", "{\"to\": \"DONE\"}",
                "If-Match", "\"1\"").status()).isEqualTo(200);
        // A role that reads every ticket sees both; an upsert is refused to a role limited to its rows.
        String[] auditor = user("auditor");
        assertThat(http().withKey(auditor[1]).get("/api/v1/tickets/" + bobsTicket).status()).isEqualTo(200);
        assertError(asAlice.postJson("/api/v1/tickets?onConflict=code", "{\"title\": \"t\", \"code\": \"c1\"}"),
                403, "FORBIDDEN");
    }

    @Test
    void ownRowsHoldInIncludesAndFiltersAcrossReferences() {
        String[] buyer = user("buyer");
        Http asBuyer = http().withKey(buyer[1]);
        String theirs = http().postJson("/api/v1/customers", "{\"name\": \"Not Mine\"}").json().get("id").asString();
        String mine = asBuyer.postJson("/api/v1/customers", "{\"name\": \"Mine\"}").json().get("id").asString();
        asBuyer.postJson("/api/v1/purchases", "{\"customer\": \"" + mine + "\", \"note\": \"own\"}");
        Response onTheirs = asBuyer.postJson("/api/v1/purchases", "{\"customer\": \"" + theirs + "\", \"note\": \"x\"}");
        assertThat(onTheirs.status()).isEqualTo(201);
        String purchaseOnTheirs = onTheirs.json().get("id").asString();
        http().postJson("/api/v1/purchases", "{\"customer\": \"" + mine + "\", \"note\": \"admin's\"}");

        JsonNode customers = asBuyer.get("/api/v1/customers?limit=100").json().get("data");
        assertThat(customers).hasSize(1);
        assertThat(customers.get(0).get("id").asString()).isEqualTo(mine);
        // The purchase is theirs, the customer it names is not: embedded as null, not revealed.
        JsonNode included = asBuyer.get("/api/v1/purchases/" + purchaseOnTheirs + "?include=customer").json();
        assertThat(included.get("customer").isNull()).isTrue();
        // To-many includes list only their own purchases.
        JsonNode withPurchases = asBuyer.get("/api/v1/customers/" + mine + "?include=purchases").json();
        assertThat(withPurchases.get("purchases")).hasSize(1);
        assertThat(withPurchases.get("purchases").get(0).get("note").asString()).isEqualTo("own");
        // Filtering across the reference cannot probe someone else's customer.
        assertThat(asBuyer.get("/api/v1/purchases?customer.name=Not%20Mine").json().get("data")).isEmpty();
        assertThat(asBuyer.get("/api/v1/purchases?customer.name=Mine").json().get("data")).hasSize(1);
        assertThat(http().get("/api/v1/purchases?customer.name=Not%20Mine").json().get("data")).hasSize(1);
    }
}
