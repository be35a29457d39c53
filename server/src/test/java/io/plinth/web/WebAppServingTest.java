package io.plinth.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.plinth.support.Http;
import io.plinth.support.Http.Response;
import io.plinth.support.PlinthIntegrationTest;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * How Plinth serves the web app (WebAppRoutes) and the declarations it builds its screens from (GET /api/v1/_meta/resources).
 */
class WebAppServingTest extends PlinthIntegrationTest {

    private boolean webAppBuilt() {
        return getClass().getClassLoader().getResource("META-INF/plinth-web/index.html") != null;
    }

    @BeforeEach
    void needsTheWebApp() {
        Assumptions.assumeTrue(webAppBuilt(), "the web app is not in this build (-DskipFrontend)");
    }

    @Test
    void clientRoutesAndDeepLinksAnswerTheAppsPageWithoutCaching() {
        for (String path : List.of("/", "/r/entities", "/r/entities/" + UUID.randomUUID(), "/admin/users", "/some/deep/route")) {
            Response page = http().anonymous().get(path);
            assertThat(page.status()).as(path).isEqualTo(200);
            assertThat(page.header("Content-Type")).startsWith("text/html");
            assertThat(page.header("Cache-Control")).contains("no-cache");
            assertThat(page.text()).contains("<div id=\"root\"></div>");
            assertThat(page.header("Content-Security-Policy")).contains("script-src 'self'");
        }
    }

    @Test
    void hashedAssetsAreCachedForAYearAndScriptsAreNeverInline() {
        String index = http().anonymous().get("/").text();
        List<String> assets = new ArrayList<>();
        java.util.regex.Matcher matcher = java.util.regex.Pattern.compile("(/assets/[^\"]+)\"").matcher(index);
        while (matcher.find()) {
            assets.add(matcher.group(1));
        }
        assertThat(assets).anyMatch(asset -> asset.endsWith(".js")).anyMatch(asset -> asset.endsWith(".css"));
        for (String asset : assets) {
            Response file = http().anonymous().get(asset);
            assertThat(file.status()).as(asset).isEqualTo(200);
            assertThat(file.header("Cache-Control")).contains("max-age=31536000", "immutable");
        }
        // The CSP forbids inline scripts: the page must not need any.
        assertThat(index).doesNotContainPattern("<script(?![^>]*\\bsrc=)[^>]*>");
    }

    @Test
    void apiActuatorAndFileLikePathsAreNeverAnsweredWithThePage() {
        Response api = http().get("/api/v1/no-such-resource");
        assertThat(api.status()).isEqualTo(404);
        assertThat(api.header("Content-Type")).startsWith("application/json");
        assertThat(http().anonymous().get("/api").status()).isEqualTo(404);
        assertThat(http().anonymous().get("/assets/missing-file.js").status()).isEqualTo(404);
        assertThat(http().anonymous().get("/robots.txt").status()).isEqualTo(404);
        assertThat(http().anonymous().get("/actuator/health").header("Content-Type")).contains("json");
        // A client route is a page to GET, nothing else.
        Response post = http().anonymous().postJson("/r/entities", "{}");
        assertThat(post.status()).isIn(404, 405);
        assertThat(post.header("Content-Type")).startsWith("application/json");
    }
}
