package io.plinth.web;

import com.deque.html.axecore.playwright.AxeBuilder;
import com.deque.html.axecore.results.AxeResults;
import com.deque.html.axecore.results.Rule;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import com.microsoft.playwright.options.ScreenshotAnimations;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;

/**
 * One real Chromium (Debian's, never a downloaded one) for the web app's end-to-end tests, with the checks every screen
 * gets: an axe scan (no serious or critical violation) and a full-page screenshot under {@code target/screenshots/}.
 */
final class Browser implements AutoCloseable {

    /** Where the screenshots go: the build's test output. */
    static final Path SCREENSHOTS = Path.of("target", "screenshots");

    private static final String CHROMIUM = System.getenv().getOrDefault("PLINTH_CHROMIUM", "/usr/bin/chromium");

    private final Playwright playwright;
    private final com.microsoft.playwright.Browser chromium;

    private Browser(Playwright playwright, com.microsoft.playwright.Browser chromium) {
        this.playwright = playwright;
        this.chromium = chromium;
    }

    /**
     * Starts Chromium. A build without the web app ({@code -DskipFrontend}) skips the browser tests; a build with it
     * needs Chromium and fails without it (CI installs it), so the tests can never be skipped silently.
     */
    static Browser launch() {
        Assumptions.assumeTrue(Browser.class.getClassLoader().getResource("META-INF/plinth-web/index.html") != null,
                "the web app is not in this build (-DskipFrontend)");
        if (!Files.isExecutable(Path.of(CHROMIUM))) {
            throw new IllegalStateException("The web app's browser tests need Chromium at " + CHROMIUM
                    + " (Debian: apt-get install -y chromium; or set PLINTH_CHROMIUM)");
        }
        PlaywrightAssertions.setDefaultAssertionTimeout(15_000);
        Playwright playwright = Playwright.create(new Playwright.CreateOptions()
                .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        com.microsoft.playwright.Browser chromium = playwright.chromium().launch(new BrowserType.LaunchOptions()
                .setExecutablePath(Path.of(CHROMIUM)).setHeadless(true)
                .setArgs(List.of("--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync")));
        return new Browser(playwright, chromium);
    }

    /** A fresh browser profile (no cookies) on Plinth at this port, at laptop size. */
    BrowserContext context(int port) {
        return context(port, 1280, 800);
    }

    BrowserContext context(int port, int width, int height) {
        BrowserContext context = chromium.newContext(new com.microsoft.playwright.Browser.NewContextOptions()
                .setBaseURL("http://localhost:" + port).setViewportSize(width, height).setLocale("en-GB")
                .setTimezoneId("UTC"));
        context.setDefaultTimeout(15_000);
        return context;
    }

    /** Runs axe on the page as it is and fails on any serious or critical violation, naming each. */
    static void assertAccessible(Page page, String screen) {
        // A dialog still fading in has low contrast for a moment: let running transitions finish first.
        page.evaluate("() => Promise.all(document.getAnimations().map(animation => animation.finished.catch(() => null)))");
        AxeResults results = new AxeBuilder(page).withTags(List.of("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"))
                .analyze();
        List<Rule> severe = results.getViolations().stream()
                .filter(rule -> "serious".equals(rule.getImpact()) || "critical".equals(rule.getImpact())).toList();
        if (!severe.isEmpty()) {
            String report = severe.stream().map(rule -> rule.getId() + " (" + rule.getImpact() + "): " + rule.getHelp()
                    + " at " + rule.getNodes().stream().map(node -> String.valueOf(node.getTarget()))
                    .limit(3).collect(Collectors.joining(", "))).collect(Collectors.joining("\n"));
            throw new AssertionError("axe found serious or critical violations on the screen " + screen + ":\n" + report);
        }
    }

    /** Saves a full-page screenshot named after the screen; returns its path. */
    static Path screenshot(Page page, String name) {
        Path file = SCREENSHOTS.resolve(name + ".png");
        page.screenshot(new Page.ScreenshotOptions().setPath(file).setFullPage(true)
                .setAnimations(ScreenshotAnimations.DISABLED));
        return file;
    }

    /** axe and a screenshot: what every screen gets. */
    static void check(Page page, String screen) {
        assertAccessible(page, screen);
        screenshot(page, screen);
    }

    @Override
    public void close() {
        chromium.close();
        playwright.close();
    }
}
