package io.plinth.web;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Response;
import com.microsoft.playwright.options.AriaRole;
import io.plinth.support.Http;
import io.plinth.support.PlinthIntegrationTest;
import io.plinth.support.SecretsLedger;
import io.plinth.support.TestCredentials;
import java.util.UUID;
import java.util.regex.Pattern;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The web app in a real Chromium against a real Plinth (embedded PostgreSQL): the template's sequence (User -> Web App
 * -> API -> Database -> 201 -> shown), validation errors per field, filters and paging, a lifecycle transition, an edit
 * conflict, deletion, login/logout and a role's forbidden actions not offered, the admin screens; every screen checked
 * by axe and photographed into target/screenshots/.
 */
class WebAppTest extends PlinthIntegrationTest {

    private static Browser browser;
    private BrowserContext context;
    private Page page;

    @BeforeAll
    static void startBrowser() {
        browser = Browser.launch();
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @BeforeEach
    void openContext() {
        context = browser.context(port);
        page = context.newPage();
    }

    @AfterEach
    void closeContext(org.junit.jupiter.api.TestInfo test) {
        // The last state of every test, for reading a failure (the screens' screenshots are in target/screenshots).
        page.screenshot(new Page.ScreenshotOptions().setFullPage(true)
                .setPath(java.nio.file.Path.of("target", "browser-last", test.getTestMethod().orElseThrow().getName() + ".png")));
        context.close();
    }

    private void logIn(String username, String password) {
        page.navigate("/");
        page.getByLabel("Username").fill(username);
        page.getByRole(AriaRole.TEXTBOX, new Page.GetByRoleOptions().setName("Password").setExact(true)).fill(password);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Log in")).click();
        assertThat(page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Log out"))).isVisible();
    }

    private void logInAsAdmin() {
        logIn("admin", TestCredentials.ADMIN_PASSWORD);
    }

    private Locator button(String name) {
        return page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName(name).setExact(true));
    }

    private Locator link(String name) {
        return page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName(name).setExact(true));
    }

    private Locator heading(String name) {
        return page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName(name).setExact(true).setLevel(1));
    }

    private Locator field(String name) {
        return page.getByRole(AriaRole.TEXTBOX, new Page.GetByRoleOptions().setName(Pattern.compile("^" + name + "\\b")));
    }

    @Test
    void theTemplatesSequenceCreateInTheBrowserSeeItListedAndReturnedByTheApi() {
        page.navigate("/");
        assertThat(heading("Log in to Plinth")).isVisible();
        Browser.check(page, "01-login");
        logInAsAdmin();
        assertThat(heading("Resources")).isVisible();
        Browser.check(page, "02-home");

        page.getByRole(AriaRole.NAVIGATION).getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName("Entities").setExact(true)).click();
        assertThat(heading("Entities")).isVisible();
        link("New entity").click();
        assertThat(heading("New entity")).isVisible();
        Browser.check(page, "04-create-form");

        String name = "browser-made-" + UUID.randomUUID();
        field("field1").fill(name);
        field("field2").fill("42");
        Response created = page.waitForResponse(
                response -> response.url().endsWith("/api/v1/entities") && response.request().method().equals("POST"),
                () -> button("Create entity").click());
        Assertions.assertThat(created.status()).isEqualTo(201);
        String id = Http.parse(created.text()).get("id").asString();

        assertThat(page.getByTestId("record-status")).hasText("DRAFT");
        assertThat(page).hasURL(Pattern.compile("/r/entities/" + id + "$"));
        assertThat(page.getByText("Created the entity " + id + ".")).isVisible();
        Browser.check(page, "05-record");

        link("Entities").first().click();
        page.getByRole(AriaRole.COMBOBOX, new Page.GetByRoleOptions().setName("Filter on")).click();
        page.getByRole(AriaRole.OPTION, new Page.GetByRoleOptions().setName("field1").setExact(true)).click();
        page.getByLabel("Value").fill(name);
        button("Add filter").click();
        Locator rows = page.getByRole(AriaRole.TABLE, new Page.GetByRoleOptions().setName("Entities records")).locator("tbody tr");
        assertThat(rows).hasCount(1);
        assertThat(rows.first()).containsText(name);
        assertThat(rows.first()).containsText("42");
        Browser.check(page, "03-list");

        JsonNode stored = http().get("/api/v1/entities/" + id).json();
        Assertions.assertThat(stored.get("field1").asString()).isEqualTo(name);
        Assertions.assertThat(stored.get("field2").asInt()).isEqualTo(42);
        Assertions.assertThat(stored.get("createdBy").asString()).isEqualTo("admin");
    }

    @Test
    void validationErrorsAreShownNextToTheirFieldsFromTheClientAndFromTheServer() {
        logInAsAdmin();
        page.navigate("/r/entities/new");
        field("field2").fill("-3");
        int[] posts = {0};
        page.onRequest(request -> {
            if (request.method().equals("POST") && request.url().endsWith("/api/v1/entities")) {
                posts[0]++;
            }
        });
        button("Create entity").click();
        assertThat(page.getByText("is required")).isVisible();
        assertThat(page.getByText("must be at least 0")).isVisible();
        assertThat(field("field1")).hasAttribute("aria-invalid", "true");
        assertThat(field("field2")).hasAttribute("aria-invalid", "true");
        Assertions.assertThat(posts[0]).as("nothing sent while the form is invalid").isZero();
        Browser.check(page, "06-form-client-errors");

        // A rule only the server can check: a unique value already taken. Its message lands next to the field.
        String email = "taken-" + UUID.randomUUID() + "@example.com";
        create("/api/v1/customers", "{\"name\": \"First\", \"email\": \"" + email + "\"}");
        page.navigate("/r/customers/new");
        field("name").fill("Second");
        field("email").fill(email);
        Response refused = page.waitForResponse(response -> response.url().endsWith("/api/v1/customers"),
                () -> button("Create customer").click());
        Assertions.assertThat(refused.status()).isEqualTo(409);
        Locator emailInput = field("email");
        assertThat(emailInput).hasAttribute("aria-invalid", "true");
        String message = Http.parse(refused.text()).get("details").get(0).get("message").asString();
        assertThat(page.getByText(message)).isVisible();
        Browser.check(page, "07-form-server-errors");
    }

    @Test
    void everyFieldTypeGetsItsInputAndTheFormsValuesArriveTyped() {
        logInAsAdmin();
        page.navigate("/r/gadgets/new");
        assertThat(heading("New gadget")).isVisible();
        // The right input per type: a checkbox for boolean (its default ticked), a date and a date-time picker, a select
        // for enum (its default chosen), a text area for json and text; readOnly fields are not offered at all.
        assertThat(page.getByRole(AriaRole.CHECKBOX, new Page.GetByRoleOptions().setName("active"))).isChecked();
        assertThat(page.locator("input[name=releasedOn][type=date]")).hasCount(1);
        assertThat(page.locator("input[name=seenAt][type=datetime-local]")).hasCount(1);
        assertThat(page.getByRole(AriaRole.COMBOBOX, new Page.GetByRoleOptions().setName(Pattern.compile("^color")))).hasValue("RED");
        assertThat(page.locator("textarea[name=extra]")).hasCount(1);
        assertThat(page.locator("textarea[name=notes]")).hasCount(1);
        assertThat(page.locator("[name=code]")).hasCount(0);

        field("name").fill("9 starts with a digit");
        field("price").fill("1.234");
        field("ref").fill("not-a-uuid");
        page.locator("textarea[name=extra]").fill("{\"broken\": ");
        button("Create gadget").click();
        assertThat(page.getByText("must be at most 10 characters long")).isVisible();
        assertThat(page.getByText("must have at most 2 digits after the decimal point")).isVisible();
        assertThat(page.getByText("must be a record id (a UUID)")).isVisible();
        assertThat(page.getByText("must be valid JSON")).isVisible();
        Browser.check(page, "22-form-all-types-errors");

        String name = "G" + UUID.randomUUID().toString().substring(0, 6);
        field("name").fill(name);
        field("price").fill("12.50");
        String ref = UUID.randomUUID().toString();
        field("ref").fill(ref);
        page.locator("textarea[name=extra]").fill("{\"size\": [1, 2]}");
        page.locator("input[name=releasedOn]").fill("2026-11-26");
        page.getByRole(AriaRole.CHECKBOX, new Page.GetByRoleOptions().setName("active")).uncheck();
        Response created = page.waitForResponse(response -> response.url().endsWith("/api/v1/gadgets"),
                () -> button("Create gadget").click());
        Assertions.assertThat(created.status()).as(created.text()).isEqualTo(201);
        JsonNode stored = http().get("/api/v1/gadgets/" + Http.parse(created.text()).get("id").asString()).json();
        Assertions.assertThat(stored.get("name").asString()).isEqualTo(name);
        Assertions.assertThat(stored.get("price").decimalValue()).isEqualByComparingTo("12.50");
        Assertions.assertThat(stored.get("ref").asString()).isEqualTo(ref);
        Assertions.assertThat(stored.get("extra").get("size").get(1).asInt()).isEqualTo(2);
        Assertions.assertThat(stored.get("releasedOn").asString()).isEqualTo("2026-11-26");
        Assertions.assertThat(stored.get("active").asBoolean()).isFalse();
        Assertions.assertThat(stored.get("color").asString()).isEqualTo("RED");
        Assertions.assertThat(stored.get("code").asString()).isEqualTo("GEN");
    }

    @Test
    void filtersAndCursorPagingWalkThroughEveryMatchingRecordOnce() {
        String batch = "page-" + UUID.randomUUID().toString().substring(0, 8);
        for (int i = 0; i < 23; i++) {
            create("/api/v1/entities", "{\"field1\": \"" + batch + "-" + i + "\", \"field2\": " + i + "}");
        }
        logInAsAdmin();
        page.navigate("/r/entities?field1[istartsWith]=" + batch + "&limit=10&sort=field2");
        Locator rows = page.getByRole(AriaRole.TABLE, new Page.GetByRoleOptions().setName("Entities records")).locator("tbody tr");
        assertThat(rows).hasCount(10);
        assertThat(rows.first()).containsText(batch + "-0");
        // count=estimated: PostgreSQL's planner estimate, shown as "About N records match".
        assertThat(page.getByText(Pattern.compile("^About [\\d,]+ records? match"))).isVisible();
        button("Next page").click();
        assertThat(page.getByText("Page 2")).isVisible();
        assertThat(rows).hasCount(10);
        assertThat(rows.first()).containsText(batch + "-10");
        button("Next page").click();
        assertThat(rows).hasCount(3);
        assertThat(rows.last()).containsText(batch + "-22");
        assertThat(button("Next page")).isDisabled();
        button("Previous page").click();
        assertThat(rows.first()).containsText(batch + "-10");

        // Sorting by a column header, descending on the second click.
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName(Pattern.compile("^field2"))).click();
        assertThat(rows.first()).containsText(batch + "-22");
        assertThat(page.locator("th[aria-sort=descending]")).containsText("field2");

        // Removing the filter brings back other records; an impossible filter shows the empty state.
        page.navigate("/r/entities?field1[eq]=no-such-" + UUID.randomUUID());
        assertThat(page.getByText("No record matches these filters.")).isVisible();
        Browser.check(page, "08-list-empty");

        // A filter the server refuses shows its message instead of a table that looks empty.
        page.navigate("/r/entities?field2[gt]=abc");
        assertThat(page.getByRole(AriaRole.ALERT).filter(new Locator.FilterOptions().setHasText("The list could not be loaded")))
                .containsText("field2");
        Browser.check(page, "24-list-error");

        // Column choice: a column switched off leaves the table (and the request) and stays off after a reload.
        page.navigate("/r/entities?field1[istartsWith]=" + batch);
        Locator headers = page.locator("thead th");
        assertThat(headers.filter(new Locator.FilterOptions().setHasText("field2"))).hasCount(1);
        button("Columns").click();
        page.getByRole(AriaRole.CHECKBOX, new Page.GetByRoleOptions().setName("field2").setExact(true)).uncheck();
        page.getByRole(AriaRole.CHECKBOX, new Page.GetByRoleOptions().setName("version").setExact(true)).check();
        page.keyboard().press("Escape");
        assertThat(headers.filter(new Locator.FilterOptions().setHasText("field2"))).hasCount(0);
        assertThat(headers.filter(new Locator.FilterOptions().setHasText("version"))).hasCount(1);
        page.reload();
        assertThat(headers.filter(new Locator.FilterOptions().setHasText("version"))).hasCount(1);
        assertThat(headers.filter(new Locator.FilterOptions().setHasText("field2"))).hasCount(0);
    }

    @Test
    void aRecordPageListsItsRelatedRecordsAndLinksItsReferences() {
        String customer = create("/api/v1/customers", "{\"name\": \"Related Ada\"}");
        String purchase = create("/api/v1/purchases", "{\"customer\": \"" + customer + "\", \"note\": \"first of Ada\"}");
        logInAsAdmin();
        page.navigate("/r/customers/" + customer);
        Locator purchases = page.getByRole(AriaRole.TABLE, new Page.GetByRoleOptions().setName("Purchases").setExact(true));
        assertThat(purchases).containsText("first of Ada");
        Browser.check(page, "25-related-records");
        purchases.getByRole(AriaRole.LINK).first().click();
        assertThat(page).hasURL(Pattern.compile("/r/purchases/" + purchase + "$"));
        link(customer).click();
        assertThat(page).hasURL(Pattern.compile("/r/customers/" + customer + "$"));
    }

    @Test
    void aRecordMovesThroughItsLifecycleWithOnlyTheAllowedTransitionsOffered() {
        String id = create("/api/v1/entities", "{\"field1\": \"lifecycle-" + UUID.randomUUID() + "\"}");
        logInAsAdmin();
        page.navigate("/r/entities/" + id);
        assertThat(page.getByTestId("record-status")).hasText("DRAFT");
        Locator transitions = page.getByLabel("Transitions");
        assertThat(transitions.getByRole(AriaRole.BUTTON)).hasText(new String[] {"Move to ACTIVE", "Move to ARCHIVED"});
        button("Move to ACTIVE").click();
        page.getByLabel("Reason (optional)").fill("approved in the browser");
        Browser.check(page, "09-transition-dialog");
        page.getByRole(AriaRole.DIALOG).getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Move to ACTIVE")).click();
        assertThat(page.getByTestId("record-status")).hasText("ACTIVE");
        assertThat(transitions.getByRole(AriaRole.BUTTON)).hasText(new String[] {"Move to ARCHIVED"});
        assertThat(page.getByText("DRAFT → ACTIVE: approved in the browser")).isVisible();
        Assertions.assertThat(http().get("/api/v1/entities/" + id).json().get("status").asString()).isEqualTo("ACTIVE");
        Browser.check(page, "10-record-active");
    }

    @Test
    void anEditConflictIsExplainedAndMyChangesCanBeAppliedToTheLatestVersion() {
        String id = create("/api/v1/entities", "{\"field1\": \"before\", \"field2\": 1}");
        logInAsAdmin();
        page.navigate("/r/entities/" + id + "/edit");
        assertThat(field("field1")).hasValue("before");
        field("field1").fill("mine");
        // Meanwhile someone else changes field2.
        Assertions.assertThat(http().send(http().request("/api/v1/entities/" + id, "Content-Type", "application/merge-patch+json")
                .method("PATCH", java.net.http.HttpRequest.BodyPublishers.ofString("{\"field2\": 7}"))).status()).isEqualTo(200);
        button("Save changes").click();
        assertThat(page.getByText("Someone else changed this record")).isVisible();
        Browser.check(page, "11-edit-conflict");
        button("Apply my changes to the latest version").click();
        assertThat(page.getByTestId("record-status")).isVisible();
        JsonNode stored = http().get("/api/v1/entities/" + id).json();
        Assertions.assertThat(stored.get("field1").asString()).isEqualTo("mine");
        Assertions.assertThat(stored.get("field2").asInt()).as("their change kept").isEqualTo(7);
        Assertions.assertThat(stored.get("version").asLong()).isEqualTo(3);
    }

    @Test
    void deletingAsksFirstAndThenRemovesTheRecord() {
        String id = create("/api/v1/entities", "{\"field1\": \"doomed\"}");
        logInAsAdmin();
        page.navigate("/r/entities/" + id);
        button("Delete").click();
        assertThat(page.getByRole(AriaRole.DIALOG)).containsText("This cannot be undone");
        Browser.check(page, "12-delete-confirmation");
        button("Cancel").click();
        Assertions.assertThat(http().get("/api/v1/entities/" + id).status()).isEqualTo(200);
        button("Delete").click();
        button("Delete this entity").click();
        assertThat(heading("Entities")).isVisible();
        Assertions.assertThat(http().get("/api/v1/entities/" + id).status()).isEqualTo(404);
    }

    @Test
    void aViewerIsNotOfferedWhatTheirRoleMayNotDoAndLogoutEndsTheSession() {
        String username = "viewer-" + UUID.randomUUID().toString().substring(0, 8);
        String password = "viewer-password-" + UUID.randomUUID();
        Assertions.assertThat(http().postJson("/api/v1/_admin/users",
                "{\"username\": \"" + username + "\", \"password\": \"" + password + "\", \"roles\": [\"viewer\"]}").status())
                .isEqualTo(201);
        String id = create("/api/v1/entities", "{\"field1\": \"viewed\"}");

        page.navigate("/");
        page.getByLabel("Username").fill(username);
        page.getByRole(AriaRole.TEXTBOX, new Page.GetByRoleOptions().setName("Password").setExact(true)).fill("wrong-" + password);
        button("Log in").click();
        assertThat(page.getByText("The username or password is wrong.")).isVisible();
        logIn(username, password);

        page.navigate("/r/entities");
        assertThat(heading("Entities")).isVisible();
        assertThat(link("New entity")).hasCount(0);
        assertThat(page.getByRole(AriaRole.NAVIGATION).getByText("Users and roles")).hasCount(0);
        page.navigate("/r/entities/" + id);
        assertThat(page.getByTestId("record-status")).hasText("DRAFT");
        assertThat(link("Edit")).hasCount(0);
        assertThat(button("Delete")).hasCount(0);
        assertThat(page.getByLabel("Transitions").getByRole(AriaRole.BUTTON)).hasCount(0);
        Browser.check(page, "13-record-as-viewer");

        button("Log out").click();
        assertThat(heading("Log in to Plinth")).isVisible();
        page.navigate("/r/entities");
        assertThat(heading("Log in to Plinth")).isVisible();
        Assertions.assertThat(context.request().get("/api/v1/_auth/me").status()).isEqualTo(401);
    }

    @Test
    void theKeyboardAloneLogsIn() {
        page.navigate("/");
        assertThat(page.getByLabel("Username")).isFocused();
        page.keyboard().type("admin");
        page.keyboard().press("Tab");
        page.keyboard().type(TestCredentials.ADMIN_PASSWORD);
        page.keyboard().press("Enter");
        assertThat(heading("Resources")).isVisible();
        page.keyboard().press("Tab");
        Assertions.assertThat((String) page.evaluate("document.activeElement.tagName")).isIn("A", "BUTTON");
    }

    @Test
    void theAdministrationScreensManageUsersKeysFlagsAndShowStatus() {
        logInAsAdmin();
        page.navigate("/admin/users");
        assertThat(heading("Users and roles")).isVisible();
        String username = "made-in-browser-" + UUID.randomUUID().toString().substring(0, 6);
        String password = "browser-password-" + UUID.randomUUID();
        SecretsLedger.record(password);
        Locator form = page.getByRole(AriaRole.FORM, new Page.GetByRoleOptions().setName("New user"));
        form.getByLabel("Username").fill(username);
        form.getByRole(AriaRole.TEXTBOX, new Locator.GetByRoleOptions().setName("Password").setExact(true)).fill(password);
        button("Create user").click();
        assertThat(page.getByRole(AriaRole.TABLE, new Page.GetByRoleOptions().setName("Users"))).containsText(username);
        Browser.check(page, "14-users");

        page.navigate("/account");
        page.getByLabel("Key name").fill("browser key");
        button("Create key").click();
        Locator secret = page.getByTestId("new-key-secret");
        assertThat(secret).containsText("plk_");
        String key = secret.innerText().trim();
        SecretsLedger.record(key);
        Browser.check(page, "15-key-shown-once");
        button("I have copied it").click();
        Assertions.assertThat(Http.withAuthorization(port, "Bearer " + key).get("/api/v1/_auth/me").json()
                .get("username").asString()).isEqualTo("admin");
        Assertions.assertThat(page.content()).doesNotContain(key);

        page.navigate("/admin/keys");
        assertThat(page.getByRole(AriaRole.TABLE, new Page.GetByRoleOptions().setName("API keys"))).containsText("browser key");
        Browser.check(page, "16-api-keys");

        page.navigate("/admin/flags");
        assertThat(heading("Feature flags")).isVisible();
        assertThat(page.getByText("betaSearch")).isVisible();
        Browser.check(page, "17-flags");

        page.navigate("/status");
        assertThat(page.getByTestId("health-status")).hasText("UP");
        assertThat(page.getByTestId("outbox-backlog")).isVisible();
        Browser.check(page, "18-status");
    }

    @Test
    void webhooksAreSubscribedInTheBrowserAndTheirDeliveriesShown() throws Exception {
        try (io.plinth.support.Receiver receiver = new io.plinth.support.Receiver(io.plinth.support.Receiver.Mode.OK)) {
            logInAsAdmin();
            page.navigate("/admin/webhooks");
            assertThat(heading("Webhooks")).isVisible();
            Locator form = page.getByRole(AriaRole.FORM, new Page.GetByRoleOptions().setName("New webhook"));
            form.getByLabel("Endpoint URL").fill("http://192.168.0.1/hook");
            button("Create webhook").click();
            assertThat(page.getByText(Pattern.compile("resolves to 192\\.168\\.0\\.1"))).isVisible();
            form.getByLabel("Endpoint URL").fill(receiver.url());
            button("Create webhook").click();
            Locator secret = page.getByTestId("new-webhook-secret");
            assertThat(secret).containsText("whsec_");
            SecretsLedger.record(secret.innerText().trim());
            Browser.check(page, "26-webhook-secret");
            button("I have copied it").click();
            assertThat(page.getByRole(AriaRole.TABLE, new Page.GetByRoleOptions().setName("Webhooks"))).containsText(receiver.url());
            Browser.check(page, "27-webhooks");

            String id = create("/api/v1/entities", "{\"field1\": \"webhook-in-browser\"}");
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).until(() ->
                    receiver.accepted.stream().anyMatch(call -> call.body().contains(id)));
            link(receiver.url()).click();
            assertThat(heading("Webhook deliveries")).isVisible();
            Locator deliveries = page.getByRole(AriaRole.TABLE, new Page.GetByRoleOptions().setName("Deliveries"));
            assertThat(deliveries).containsText("ENTITY_CREATED");
            assertThat(deliveries).containsText("DELIVERED");
            assertThat(page.getByTestId("webhook-circuit")).containsText("closed");
            Browser.check(page, "28-webhook-deliveries");
            page.navigate("/admin/webhooks");
            button("Delete the webhook to " + receiver.url()).click();
            button("Delete the webhook").click();
            assertThat(page.getByRole(AriaRole.TABLE, new Page.GetByRoleOptions().setName("Webhooks")))
                    .not().containsText(receiver.url());
        }
    }

    @Test
    void aPhoneSizedScreenHidesTheNavigationBehindAMenuButton() {
        context.close();
        context = browser.context(port, 390, 844);
        page = context.newPage();
        logInAsAdmin();
        page.navigate("/r/entities");
        assertThat(heading("Entities")).isVisible();
        Locator menu = button("Toggle navigation");
        assertThat(menu).isVisible();
        Browser.check(page, "19-list-phone");
        menu.click();
        assertThat(page.getByRole(AriaRole.NAVIGATION).getByText("Entities", new Locator.GetByTextOptions().setExact(true))).isVisible();
        Browser.check(page, "20-navigation-phone");
    }

    @org.springframework.beans.factory.annotation.Autowired
    private org.jooq.DSLContext dsl;

    @Test
    void aHundredThousandRecordsAreBrowsedPageByPageNeverLoadedWhole() {
        long rows = ((Number) dsl.fetchValue("SELECT count(*) FROM log_entry")).longValue();
        if (rows < 100_000) {
            dsl.execute("INSERT INTO log_entry (id, message, level, seq, status, created_at, updated_at) "
                    + "SELECT gen_random_uuid(), 'line ' || g, (ARRAY['INFO','WARN','ERROR'])[1 + g % 3], g, 'DRAFT', "
                    + "now() - g * interval '1 second', now() - g * interval '1 second' FROM generate_series(1, 100000) g");
            dsl.execute("ANALYZE log_entry");
        }
        logInAsAdmin();
        record ListCall(String url, int bytes, int rows) {
            static ListCall of(Response response) {
                byte[] body = response.body(); // read before the next navigation discards it
                return new ListCall(response.url(), body.length, Http.parse(new String(body,
                        java.nio.charset.StandardCharsets.UTF_8)).get("data").size());
            }
        }
        java.util.List<ListCall> lists = new java.util.ArrayList<>();
        java.util.function.Predicate<Response> listCall = response -> response.url().contains("/api/v1/log-entries?");
        long start = System.nanoTime();
        lists.add(ListCall.of(page.waitForResponse(listCall, () -> page.navigate("/r/log-entries"))));
        Locator rowsShown = page.getByRole(AriaRole.TABLE, new Page.GetByRoleOptions().setName("Log entries records")).locator("tbody tr");
        assertThat(rowsShown).hasCount(20);
        long firstPage = System.nanoTime() - start;
        assertThat(page.getByText(Pattern.compile("^About [\\d,]+ records match"))).isVisible();
        long[] nextPages = new long[5];
        for (int i = 0; i < nextPages.length; i++) {
            String before = rowsShown.first().innerText();
            long clicked = System.nanoTime();
            lists.add(ListCall.of(page.waitForResponse(listCall, () -> button("Next page").click())));
            assertThat(rowsShown.first()).not().hasText(before);
            nextPages[i] = System.nanoTime() - clicked;
        }
        assertThat(page.getByText("Page 6")).isVisible();
        start = System.nanoTime();
        lists.add(ListCall.of(page.waitForResponse(listCall, () -> page.navigate("/r/log-entries?level[eq]=ERROR&sort=-seq&limit=50"))));
        assertThat(rowsShown).hasCount(50);
        assertThat(rowsShown.first()).containsText("line 99998"); // the highest seq with level ERROR (seq % 3 == 2)
        long filtered = System.nanoTime() - start;
        Browser.check(page, "23-large-collection");

        // Every list request asked for one page of the visible columns, never the collection.
        Assertions.assertThat(lists).hasSize(7);
        for (ListCall list : lists) {
            Assertions.assertThat(list.url()).containsPattern("limit=(20|50)").contains("fields=").contains("count=estimated");
            Assertions.assertThat(list.bytes()).as(list.url()).isLessThan(20_000);
            Assertions.assertThat(list.rows()).isLessThanOrEqualTo(50);
        }
        System.out.printf("Large collection (%,d rows): first page shown %d ms after navigation, next pages %s ms, "
                        + "filtered+sorted page of 50 %d ms; largest list response %,d bytes%n",
                ((Number) dsl.fetchValue("SELECT count(*) FROM log_entry")).longValue(), firstPage / 1_000_000,
                java.util.Arrays.toString(java.util.Arrays.stream(nextPages).map(n -> n / 1_000_000).toArray()),
                filtered / 1_000_000, lists.stream().mapToInt(ListCall::bytes).max().orElse(0));
    }

    @Test
    void aDeepLinkReloadsIntoTheAppAndAnUnknownPageSaysSo() {
        String id = create("/api/v1/entities", "{\"field1\": \"deep-link\"}");
        logInAsAdmin();
        page.navigate("/r/entities/" + id);
        assertThat(page.getByTestId("record-status")).hasText("DRAFT");
        page.reload();
        assertThat(page.getByTestId("record-status")).hasText("DRAFT");
        page.navigate("/no/such/screen");
        assertThat(heading("Page not found")).isVisible();
        Browser.check(page, "21-not-found");
    }
}
