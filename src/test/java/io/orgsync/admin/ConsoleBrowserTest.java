package io.orgsync.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.orgsync.Node;
import io.orgsync.sync.RunStatus;
import io.orgsync.testing.AdminClient;
import io.orgsync.testing.HeadlessChromium;
import io.orgsync.testing.SimulatorControl;
import io.orgsync.testing.TestDatabases;
import io.orgsync.testing.TestNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedCondition;

/**
 * The operator console in headless Chromium, through Debian's chromium and chromedriver (Selenium
 * Manager downloads nothing). The browser talks to a node whose scheduler is disabled; the jobs
 * run on the other node of the MariaDB cluster. Without chromium the test is skipped loudly,
 * unless ORGSYNC_TEST_REQUIRE_BROWSER=true (as in CI), where it fails.
 */
class ConsoleBrowserTest {
    /**
     * The console, refreshing itself every second rather than every 5 s: what the test waits to see
     * the console show by itself (a run, a delivery, an event) shows within a second of happening.
     */
    static final String CONSOLE = "/admin/?refresh=1";

    static final String TOKEN = "console-admin-token-0123456789";
    static final String NEVER = TestNode.NEVER;

    static SimulatorControl sim;
    static Node runner;
    static Node console;
    static AdminClient api;
    static HeadlessChromium chromium;
    static WebDriver browser;

    @BeforeAll
    static void start() throws Exception {
        HeadlessChromium.require();
        String dbUrl = TestDatabases.mariadb("console");
        sim = new SimulatorControl();
        runner = TestNode.node("node-a", dbUrl, sim)
                .with("ORGSYNC_ADMIN_TOKEN", TOKEN)
                .start();
        console = TestNode.node("node-b", dbUrl, sim)
                .with("ORGSYNC_ADMIN_TOKEN", TOKEN)
                .with("ORGSYNC_SCHEDULER_ENABLED", "false")
                .start();
        api = new AdminClient("http://127.0.0.1:" + console.port(), TOKEN, AdminClient.newLog());
        String[][] corps = {{"ww-acme", "Acme Trading"}, {"ww-globex", "Globex Shanghai"}};
        for (String[] c : corps) {
            String secret = "secret-" + c[0] + "-0123456789";
            sim.createCorp(c[0], secret, 4, 40, true);
            assertEquals(
                    200,
                    api.put("/admin/api/enterprises/" + c[0], Map.of("name", c[1], "secret", secret, "cron", NEVER))
                            .status());
        }
        // one earlier run of Globex, so that the screenshot has a last run to show
        assertEquals(RunStatus.SUCCEEDED, runner.sync("ww-globex").status());

        chromium = HeadlessChromium.start(1440, 1000);
        browser = chromium.driver;
    }

    @AfterAll
    static void stop() throws Exception {
        if (chromium != null) {
            chromium.close();
        }
        for (Node n : new Node[] {console, runner}) {
            if (n != null) {
                n.close();
            }
        }
        if (sim != null) {
            sim.close();
        }
    }

    private static <T> T waitFor(String what, Duration limit, ExpectedCondition<T> condition) {
        return chromium.waitFor(what, limit, condition);
    }

    private static <T> T waitFor(String what, ExpectedCondition<T> condition) {
        return chromium.waitFor(what, condition);
    }

    private static By jobRow(String corpId) {
        return By.cssSelector("#jobs tr[data-corp='" + corpId + "']");
    }

    private static String jobState(String corpId) {
        return browser.findElement(jobRow(corpId))
                .findElement(By.cssSelector("[data-testid=state]"))
                .getText()
                .trim();
    }

    private static void click(By by) {
        chromium.click(by);
    }

    @Test
    void anOperatorPausesTriggersAndReadsTheHistory() throws Exception {
        browser.get("http://127.0.0.1:" + console.port() + CONSOLE);
        waitFor("the sign-in form", d -> d.findElement(By.id("token")).isDisplayed());

        // a wrong token is refused and cleared
        browser.findElement(By.id("token")).sendKeys("not-the-admin-token-at-all");
        click(By.id("sign-in"));
        waitFor(
                "the 401 message",
                d -> d.findElement(By.id("sign-in-message")).getText().contains("401"));
        assertFalse(browser.findElement(By.id("console")).isDisplayed());

        browser.findElement(By.id("token")).sendKeys(TOKEN);
        click(By.id("sign-in"));
        waitFor("the console", d -> d.findElement(By.id("console")).isDisplayed());
        waitFor(
                "both jobs NORMAL",
                d -> jobState("ww-acme").equals("NORMAL")
                        && jobState("ww-globex").equals("NORMAL"));
        assertEquals("node-b", browser.findElement(By.id("node")).getText());

        // what each set-up reads: Globex synced once through its app (mobiles shown), Acme not yet
        WebElement globexReads = waitFor(
                "Globex's set-up in the enterprises table",
                d -> d.findElement(By.cssSelector("#enterprises tr[data-enterprise='ww-globex'] [data-testid=reads]")));
        assertEquals("true|visible|false|whole", globexReads.getAttribute("data-access"));
        assertEquals("app secret: names · mobiles visible · members the app sees · whole range", globexReads.getText());
        WebElement acmeReads =
                browser.findElement(By.cssSelector("#enterprises tr[data-enterprise='ww-acme'] [data-testid=reads]"));
        assertEquals("app secret: not checked yet", acmeReads.getText());

        // pause Acme
        browser.findElement(jobRow("ww-acme"))
                .findElement(By.cssSelector("[data-action=pause]"))
                .click();
        waitFor("Acme PAUSED", d -> jobState("ww-acme").equals("PAUSED"));
        assertEquals("PAUSED", browser.findElement(jobRow("ww-acme")).getAttribute("data-state"));
        assertEquals("PAUSED", job("ww-acme").path("state").asText(), "the API agrees");

        // open its history: no runs yet
        browser.findElement(jobRow("ww-acme"))
                .findElement(By.cssSelector("[data-action=history]"))
                .click();
        waitFor(
                "the empty history of Acme",
                d -> d.findElement(By.id("history-empty")).getText().contains("No runs yet"));
        assertEquals("ww-acme", browser.findElement(By.id("history-corp")).getAttribute("value"));

        // trigger the paused job: the in-page dialog asks, "yes" forces one run
        browser.findElement(jobRow("ww-acme"))
                .findElement(By.cssSelector("[data-action=trigger]"))
                .click();
        waitFor("the confirmation dialog", d -> d.findElement(By.id("confirm")).isDisplayed());
        assertTrue(browser.findElement(By.id("confirm-text")).getText().contains("paused"));
        click(By.id("confirm-yes"));
        waitFor("the dialog to close", d -> !d.findElement(By.id("confirm")).isDisplayed());

        WebElement run = waitFor("a SUCCEEDED run in Acme's history", Duration.ofSeconds(60), d -> {
            List<WebElement> rows = d.findElements(By.cssSelector("#history tr[data-run-id]"));
            return rows.size() == 1 && "SUCCEEDED".equals(rows.get(0).getAttribute("data-status")) ? rows.get(0) : null;
        });
        assertEquals(
                "node-a",
                run.findElement(By.cssSelector("[data-testid=instance]")).getText(),
                "run by the scheduling node");
        assertEquals(
                "40", run.findElement(By.cssSelector("[data-testid=added]")).getText());
        assertEquals("PAUSED", jobState("ww-acme"), "a forced run leaves the job paused");
        JsonNode runs = api.get("/admin/api/runs?corpId=ww-acme").json();
        assertEquals(1, runs.size());
        assertEquals(runs.get(0).path("id").asText(), run.getAttribute("data-run-id"));

        // the other enterprise's history, chosen from the select
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("history-corp")))
                .selectByValue("ww-globex");
        waitFor(
                "Globex's run",
                d -> d.findElements(By.cssSelector("#history tr[data-run-id]")).size() == 1
                        && d.findElement(By.id("history-title")).getText().startsWith("1 run"));

        // the cluster: both nodes, alive, none fenced
        waitFor(
                "two nodes in the cluster table",
                d -> d.findElements(By.cssSelector("#cluster tr[data-instance]"))
                                .size()
                        == 2);
        for (String id : List.of("node-a", "node-b")) {
            WebElement node = browser.findElement(By.cssSelector("#cluster tr[data-instance='" + id + "']"));
            assertEquals("true", node.getAttribute("data-alive"));
            assertEquals("false", node.getAttribute("data-fenced"));
        }

        // back to Acme's history for the picture (Acme still paused), and take the screenshot
        browser.findElement(jobRow("ww-acme"))
                .findElement(By.cssSelector("[data-action=history]"))
                .click();
        waitFor(
                "Acme's run again",
                d -> d.findElements(By.cssSelector("#history tr[data-run-id]")).size() == 1
                        && "ww-acme".equals(d.findElement(By.id("history-corp")).getAttribute("value")));
        screenshot();
    }

    private static JsonNode job(String corpId) {
        for (JsonNode j : api.get("/admin/api/jobs").json()) {
            if (j.path("corpId").asText().equals(corpId)) {
                return j;
            }
        }
        throw new AssertionError("no job " + corpId);
    }

    /**
     * The whole page to target/console.png; with -Dorgsync.update.screenshot=true also to the
     * README's docs/console.png (not on every run: a test should not rewrite tracked files).
     */
    private static void screenshot() throws Exception {
        byte[] png = chromium.pageScreenshot(1440, 1000, 3000);
        HeadlessChromium.keep("console.png", png);
        assertTrue(png.length > 10_000, "a real picture: " + png.length + " bytes");
    }
}
