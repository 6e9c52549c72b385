package io.orgsync.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.orgsync.Node;
import io.orgsync.sync.Run;
import io.orgsync.sync.RunStatus;
import io.orgsync.testing.AdminClient;
import io.orgsync.testing.HeadlessChromium;
import io.orgsync.testing.SimulatorControl;
import io.orgsync.testing.TestDatabases;
import io.orgsync.testing.TestNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The console's operations panels in headless Chromium, against a MariaDB cluster of a scheduling
 * node and the API-only node the browser talks to: each enterprise's chart of recent runs (one
 * bar per run, height the duration, colour the outcome), mini-programs added, edited and deleted
 * through the page, the recent alerts, an enterprise's callback settings put through its form and
 * the real-time events its callbacks bring; and the organisation view, over the read API of a
 * node that requires ORGSYNC_API_TOKEN, which the console does not have.
 */
class ConsolePanelsBrowserTest {
    /**
     * The console, refreshing itself every second rather than every 5 s: what the test waits to see
     * the console show by itself (a run, a delivery, an event) shows within a second of happening.
     */
    static final String CONSOLE = "/admin/?refresh=1";

    static final String TOKEN = "console-panels-token-0123456789";
    static final String CORP = "ww-initech";
    static final String BROKEN = "ww-hooli";
    static final String APP_SECRET = "app-secret-shop-Qx7-0123456789";
    static final String PUBLIC_BASE = "https://orgsync.example.test";
    static final String CB_TOKEN = "QDG6eK";
    static final String CB_AES_KEY = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";
    static final String API_TOKEN = "console-panels-api-token-0123456789";
    /** The member the organisation view is tested on: a leader, with an alias, a telephone and a direct leader. */
    static final String LEAD = "orglead01";

    static SimulatorControl sim;
    static Node runner;
    static Node console;
    static AdminClient api;
    /** The public API's client: the node requires ORGSYNC_API_TOKEN. */
    static AdminClient publicApi;

    static HeadlessChromium chromium;
    static WebDriver browser;
    /** Ids of CORP's runs, oldest first, and their statuses. */
    static final List<String> RUN_IDS = new ArrayList<>();

    static final List<String> RUN_STATUSES = new ArrayList<>();
    /** How long each took, as the runs API records it. */
    static final List<Long> RUN_MILLIS = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        HeadlessChromium.require();
        String dbUrl = TestDatabases.mariadb("console_panels");
        sim = new SimulatorControl();
        runner = TestNode.node("node-a", dbUrl, sim)
                .with("ORGSYNC_ADMIN_TOKEN", TOKEN)
                // the charts are not about the department rate (other tests prove it): the quick runs
                // stay quick beside the slow ones
                .with("ORGSYNC_DEPT_RATE", 1000)
                .start();
        console = TestNode.node("node-b", dbUrl, sim)
                .with("ORGSYNC_ADMIN_TOKEN", TOKEN)
                .with("ORGSYNC_SCHEDULER_ENABLED", "false")
                .with("ORGSYNC_CALLBACK_BASE_URL", PUBLIC_BASE)
                .with("ORGSYNC_API_TOKEN", API_TOKEN)
                .start();
        api = new AdminClient("http://127.0.0.1:" + console.port(), TOKEN, AdminClient.newLog());
        publicApi = new AdminClient("http://127.0.0.1:" + console.port(), API_TOKEN, AdminClient.newLog());
        sim.createCorp(CORP, "secret-" + CORP + "-0123456789", 4, 40, true);
        String boss = sim.export(CORP).path("members").get(0).path("userid").asText();
        sim.post(
                "/__sim/corps/" + CORP + "/members",
                Map.of(
                        "userid",
                        LEAD,
                        "name",
                        "组织负责人",
                        "mobile",
                        "13911112222",
                        "department",
                        List.of(2, 1),
                        "is_leader_in_dept",
                        List.of(1, 0),
                        "alias",
                        "Olga",
                        "telephone",
                        "010-60001234",
                        "direct_leader",
                        List.of(boss)));
        assertEquals(
                200,
                api.put(
                                "/admin/api/enterprises/" + CORP,
                                Map.of(
                                        "name",
                                        "Initech",
                                        "secret",
                                        "secret-" + CORP + "-0123456789",
                                        "cron",
                                        TestNode.NEVER))
                        .status());
        // five runs: quick, slow (each department call held 300 ms), quick, failed (WeCom busy throughout), slow
        run(null);
        run(Map.of("path", "/cgi-bin/user/list", "corpId", CORP, "latencyMs", 300, "count", 4));
        run(null);
        run(Map.of("path", "/cgi-bin/user/list", "corpId", CORP, "errcode", -1, "count", 100));
        run(Map.of("path", "/cgi-bin/user/list", "corpId", CORP, "latencyMs", 300, "count", 4));
        assertEquals(List.of("SUCCEEDED", "SUCCEEDED", "SUCCEEDED", "FAILED", "SUCCEEDED"), RUN_STATUSES);
        // an enterprise whose secret WeCom refuses: a failed run and its alerts
        sim.createCorp(BROKEN, "the-right-secret-0123456789", 2, 10, true);
        assertEquals(
                200,
                api.put(
                                "/admin/api/enterprises/" + BROKEN,
                                Map.of("name", "Hooli", "secret", "a-wrong-secret-0123456789", "cron", TestNode.NEVER))
                        .status());
        assertEquals(RunStatus.FAILED, runner.sync(BROKEN).status());
        JsonNode runs = api.get("/admin/api/runs?corpId=" + BROKEN).json();
        assertEquals(1, runs.size(), runs::toString);
        assertEquals("FAILED", runs.get(0).path("status").asText());
        sim.createApp("wx-shop", APP_SECRET);
        sim.createApp("wx-coupons", APP_SECRET + "-c");
        chromium = HeadlessChromium.start(1440, 1000);
        browser = chromium.driver;
    }

    /**
     * One run of CORP on the scheduling node, with {@code fault} injected for it (none when null):
     * run at once, as a trigger would have it run at Quartz's next look for due triggers.
     */
    static void run(Map<String, Object> fault) throws Exception {
        if (fault != null) {
            sim.fault(fault);
        }
        Run run = runner.sync(CORP);
        sim.clearFaults();
        JsonNode newest = api.get("/admin/api/runs?corpId=" + CORP).json().get(0);
        assertEquals(String.valueOf(run.id()), newest.path("id").asText(), "the newest run listed");
        RUN_IDS.add(newest.path("id").asText());
        RUN_STATUSES.add(newest.path("status").asText());
        RUN_MILLIS.add(Duration.between(
                        Instant.parse(newest.path("startedAt").asText()),
                        Instant.parse(newest.path("finishedAt").asText()))
                .toMillis());
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

    private static WebElement jobRow(String corpId) {
        return browser.findElement(By.cssSelector("#jobs tr[data-corp='" + corpId + "']"));
    }

    private static List<WebElement> bars(WebElement chart) {
        return chart.findElements(By.cssSelector("rect.run-bar"));
    }

    @Test
    void theOperatorSeesRunsAlertsAndManagesMiniPrograms() throws Exception {
        browser.get("http://127.0.0.1:" + console.port() + CONSOLE);
        chromium.waitFor("the sign-in form", d -> d.findElement(By.id("token")).isDisplayed());
        browser.findElement(By.id("token")).sendKeys(TOKEN);
        chromium.click(By.id("sign-in"));
        chromium.waitFor("the console", d -> d.findElement(By.id("console")).isDisplayed());

        // each job row charts its runs, oldest left, coloured by outcome, tall as they took
        WebElement chart = chromium.waitFor("five bars in " + CORP + "'s chart", d -> {
            WebElement c = jobRow(CORP).findElement(By.cssSelector("svg[data-testid=run-chart]"));
            return bars(c).size() == 5 ? c : null;
        });
        List<WebElement> bars = bars(chart);
        List<String> ids = new ArrayList<>();
        List<String> statuses = new ArrayList<>();
        List<Integer> heights = new ArrayList<>();
        for (WebElement bar : bars) {
            ids.add(bar.getAttribute("data-run-id"));
            statuses.add(bar.getAttribute("data-status"));
            heights.add(Integer.parseInt(bar.getAttribute("height")));
            assertTrue(
                    bar.findElement(By.tagName("title"))
                            .getAttribute("textContent")
                            .startsWith(bar.getAttribute("data-status") + " · "),
                    "a tooltip that says the outcome first");
        }
        assertEquals(RUN_IDS, ids, "the enterprise's runs, oldest first");
        assertEquals(RUN_STATUSES, statuses);
        assertTrue(bars.get(3).getAttribute("class").contains("run-FAILED"), "the failed run in its own colour");
        assertFalse(bars.get(0).getAttribute("class").contains("run-FAILED"));
        // the slow runs (1.2 s of held department calls) stand out against the first, quick one, and
        // every run that took clearly longer than another has the taller bar (run 3 is not compared
        // by assumption: it was once seen taking as long as a slow run when it started right behind run 2)
        assertTrue(heights.get(1) > heights.get(0), "slow run 2 is taller than run 1: " + heights);
        assertTrue(heights.get(4) > heights.get(0), "slow run 5 is taller than run 1: " + heights);
        for (int i = 0; i < heights.size(); i++) {
            for (int j = 0; j < heights.size(); j++) {
                if (RUN_MILLIS.get(i) > RUN_MILLIS.get(j) * 3 / 2 + 100) {
                    assertTrue(
                            heights.get(i) > heights.get(j),
                            "run " + (i + 1) + " is taller than run " + (j + 1) + ": " + heights + " for " + RUN_MILLIS
                                    + " ms");
                }
            }
        }
        String summary = jobRow(CORP)
                .findElement(By.cssSelector("[data-testid=run-summary]"))
                .getText();
        assertTrue(summary.startsWith("5 runs · 1 failed or refused · longest "), summary);
        WebElement broken = jobRow(BROKEN).findElement(By.cssSelector("svg[data-testid=run-chart]"));
        assertEquals(1, bars(broken).size());
        assertEquals("FAILED", bars(broken).get(0).getAttribute("data-status"));

        // the history draws the same runs larger, with its scale
        jobRow(CORP).findElement(By.cssSelector("[data-action=history]")).click();
        WebElement big = chromium.waitFor("the history chart", d -> {
            List<WebElement> charts =
                    d.findElements(By.cssSelector("#history-chart svg[data-testid=history-run-chart]"));
            return charts.size() == 1
                            && bars(charts.get(0)).size() == 5
                            && charts.get(0).isDisplayed()
                    ? charts.get(0)
                    : null;
        });
        assertEquals(
                RUN_IDS,
                bars(big).stream().map(b -> b.getAttribute("data-run-id")).toList());
        byte[] runsPicture = browser.findElement(By.id("jobs-section")).getScreenshotAs(OutputType.BYTES);

        // alerts: the refused secret's, with what was delivered where
        WebElement alert = chromium.waitFor("the sync_failed alert of " + BROKEN, d -> {
            for (WebElement row : d.findElements(By.cssSelector("#alerts tr[data-type=sync_failed]"))) {
                if (row.findElement(By.cssSelector("[data-testid=subject]"))
                        .getText()
                        .equals(BROKEN)) {
                    return row;
                }
            }
            return null;
        });
        assertTrue(alert.findElement(By.cssSelector("[data-testid=message]"))
                .getText()
                .contains(BROKEN));
        assertTrue(Integer.parseInt(
                        alert.findElement(By.cssSelector("[data-testid=count]")).getText())
                >= 1);
        assertTrue(
                alert.findElement(By.cssSelector("[data-testid=delivered]"))
                        .getText()
                        .contains("webhook: not configured"),
                alert.getText());
        assertEquals(
                api.get("/admin/api/alerts?limit=50").json().size(),
                browser.findElements(By.cssSelector("#alerts tbody tr")).size(),
                "every alert the API lists");

        // mini-programs: none yet; two added through the form (one classic), the secret never shown back
        chromium.waitFor(
                "the empty mini-program note",
                d -> d.findElement(By.id("miniapps-empty")).isDisplayed());
        addApp("wx-shop", "Shop", APP_SECRET, "classic");
        addApp("wx-coupons", "Coupons", APP_SECRET + "-c", "stable");
        assertEquals("classic", appCell("wx-shop", "token-mode"));
        assertEquals("stable", appCell("wx-coupons", "token-mode"));
        assertEquals(
                List.of("wx-coupons", "wx-shop"),
                api.get("/admin/api/miniapps").json().findValuesAsText("appId"));
        assertFalse(browser.getPageSource().contains(APP_SECRET), "the secret is not in the page");
        assertEquals("", browser.findElement(By.id("app-secret")).getAttribute("value"));
        assertEquals(
                200,
                publicApi.get("/api/v1/miniapps/wx-shop/wxacode?scene=a%3D1").status(),
                "the typed secret works");

        // edit: a new name and the stable token; the secret left empty is kept
        appRow("wx-shop").findElement(By.cssSelector("[data-action=edit]")).click();
        chromium.waitFor(
                "the edit form",
                d -> d.findElement(By.id("app-form-title")).getText().equals("Edit wx-shop"));
        assertEquals("true", browser.findElement(By.id("app-appId")).getAttribute("readonly"));
        assertEquals(
                "classic",
                new Select(browser.findElement(By.id("app-tokenMode")))
                        .getFirstSelectedOption()
                        .getAttribute("value"));
        chromium.type(By.id("app-name"), "Shop Deluxe");
        new Select(browser.findElement(By.id("app-tokenMode"))).selectByValue("stable");
        chromium.click(By.id("app-save"));
        chromium.waitFor(
                "the saved name",
                d -> appCell("wx-shop", "name").equals("Shop Deluxe")
                        && appCell("wx-shop", "token-mode").equals("stable"));
        assertTrue(browser.findElement(By.id("app-message")).getText().contains("Saved wx-shop"));
        assertEquals(
                200,
                publicApi.get("/api/v1/miniapps/wx-shop/wxacode?scene=b%3D2").status(),
                "the kept secret works");

        // delete asks first; "no" keeps it, "yes" removes it
        appRow("wx-coupons").findElement(By.cssSelector("[data-action=delete]")).click();
        chromium.waitFor(
                "the confirmation", d -> d.findElement(By.id("confirm")).isDisplayed());
        chromium.click(By.id("confirm-no"));
        assertEquals(2, api.get("/admin/api/miniapps").json().size());
        appRow("wx-coupons").findElement(By.cssSelector("[data-action=delete]")).click();
        chromium.waitFor(
                "the confirmation", d -> d.findElement(By.id("confirm")).isDisplayed());
        assertTrue(browser.findElement(By.id("confirm-text")).getText().contains("wx-coupons"));
        chromium.click(By.id("confirm-yes"));
        chromium.waitFor(
                "wx-coupons gone",
                d -> d.findElements(By.cssSelector("#miniapps tr[data-app='wx-coupons']"))
                        .isEmpty());
        assertEquals(List.of("wx-shop"), api.get("/admin/api/miniapps").json().findValuesAsText("appId"));
        assertEquals(
                404,
                publicApi.get("/api/v1/miniapps/wx-coupons/wxacode?scene=a%3D1").status());

        // callbacks: hidden for a new enterprise; while editing, off, with the URL to paste into WeCom
        assertFalse(browser.findElement(By.id("ent-callback")).isDisplayed(), "no callback box for a new enterprise");
        entRow(CORP).findElement(By.cssSelector("[data-action=edit]")).click();
        chromium.waitFor(
                "the callback box", d -> d.findElement(By.id("ent-callback")).isDisplayed());
        assertEquals("off", browser.findElement(By.id("cb-status")).getText());
        String url = PUBLIC_BASE + "/callbacks/wecom/" + CORP;
        assertEquals(url, browser.findElement(By.id("cb-url")).getAttribute("value"));
        assertFalse(browser.findElement(By.id("cb-url-missing")).isDisplayed());
        chromium.click(By.id("cb-copy"));
        chromium.waitFor(
                "the copy outcome",
                d -> d.findElement(By.id("cb-message")).getText().contains("Cop"));
        // a key WeCom would never generate: the API's 400 message, and nothing stored
        chromium.type(By.id("cb-token"), CB_TOKEN);
        chromium.type(By.id("cb-aesKey"), "too-short");
        chromium.click(By.id("cb-save"));
        chromium.waitFor(
                "the 400 message",
                d -> d.findElement(By.id("cb-message")).getText().contains("aesKey must be the 43 letters"));
        assertTrue(
                browser.findElement(By.id("cb-message")).getAttribute("class").contains("error"));
        assertFalse(entListing(CORP).path("callback").asBoolean(), "nothing stored");
        chromium.type(By.id("cb-aesKey"), CB_AES_KEY);
        chromium.click(By.id("cb-save"));
        chromium.waitFor(
                "callbacks on",
                d -> d.findElement(By.id("cb-status")).getText().equals("on")
                        && d.findElement(By.id("cb-message")).getText().contains("Callbacks on for " + CORP));
        assertEquals("", browser.findElement(By.id("cb-token")).getAttribute("value"), "write-only: cleared");
        assertEquals("", browser.findElement(By.id("cb-aesKey")).getAttribute("value"));
        assertFalse(browser.getPageSource().contains(CB_AES_KEY), "the key is not in the page");
        JsonNode listed = entListing(CORP);
        assertTrue(listed.path("callback").asBoolean(), listed.toString());
        assertEquals(url, listed.path("callbackUrl").asText());
        chromium.waitFor(
                "the callbacks badge",
                d -> entRow(CORP)
                        .findElement(By.cssSelector("[data-testid=enabled]"))
                        .getText()
                        .contains("callbacks"));

        // WeCom (the simulator) posts a member change to the console's node; the events panel lists it applied
        sim.send(
                "PUT",
                "/__sim/corps/" + CORP + "/callback",
                Map.of(
                        "url",
                        "http://127.0.0.1:" + console.port() + "/callbacks/wecom/" + CORP,
                        "token",
                        CB_TOKEN,
                        "aesKey",
                        CB_AES_KEY));
        String userid = sim.export(CORP).path("members").get(0).path("userid").asText();
        sim.send("PATCH", "/__sim/corps/" + CORP + "/members/" + userid, Map.of("name", "改了名"));
        WebElement event = chromium.waitFor("the APPLIED event of " + userid, Duration.ofSeconds(60), d -> {
            for (WebElement row : d.findElements(By.cssSelector("#events tbody tr[data-status=APPLIED]"))) {
                if (row.findElement(By.cssSelector("[data-testid=subject]"))
                        .getText()
                        .equals("user:" + userid)) {
                    return row;
                }
            }
            return null;
        });
        JsonNode stored =
                api.get("/admin/api/events?corpId=" + CORP + "&limit=50").json().get(0);
        assertEquals(stored.path("id").asText(), event.getAttribute("data-event-id"), "the newest event first");
        assertEquals(
                stored.path("changeType").asText(),
                event.findElement(By.cssSelector("[data-testid=change-type]")).getText());
        assertEquals(
                "APPLIED",
                event.findElement(By.cssSelector("[data-testid=status]")).getText());
        assertTrue(event.findElement(By.cssSelector("[data-testid=status] .badge"))
                .getAttribute("class")
                .contains("badge-ok"));
        assertTrue(
                event.findElement(By.cssSelector("[data-testid=lag]")).getText().endsWith(" s"),
                event.findElement(By.cssSelector("[data-testid=lag]")).getText());
        assertFalse(event.findElement(By.cssSelector("[data-testid=applied]"))
                .getText()
                .isBlank());
        assertTrue(event.findElement(By.cssSelector("[data-testid=error]"))
                .getText()
                .isBlank());
        // one enterprise chosen: the other's (none) are not listed, CORP's still are
        new Select(browser.findElement(By.id("events-corp"))).selectByValue(BROKEN);
        chromium.waitFor(
                "no events of " + BROKEN,
                d -> d.findElement(By.id("events-empty")).isDisplayed());
        new Select(browser.findElement(By.id("events-corp"))).selectByValue(CORP);
        chromium.waitFor(
                "the events of " + CORP,
                d -> !d.findElements(By.cssSelector("#events tbody tr[data-status=APPLIED]"))
                        .isEmpty());
        byte[] callbackPicture =
                browser.findElement(By.id("enterprises-section")).getScreenshotAs(OutputType.BYTES);
        byte[] eventsPicture = browser.findElement(By.id("events-section")).getScreenshotAs(OutputType.BYTES);

        // turning callbacks off asks first
        chromium.click(By.id("cb-off"));
        chromium.waitFor(
                "the confirmation", d -> d.findElement(By.id("confirm")).isDisplayed());
        chromium.click(By.id("confirm-yes"));
        chromium.waitFor(
                "callbacks off",
                d -> d.findElement(By.id("cb-status")).getText().equals("off"));
        assertFalse(entListing(CORP).path("callback").asBoolean());
        assertEquals(
                url,
                browser.findElement(By.id("cb-url")).getAttribute("value"),
                "the URL stays, for turning them on again");

        HeadlessChromium.keep("console-callback.png", callbackPicture);
        HeadlessChromium.keep("console-events.png", eventsPicture);
        HeadlessChromium.keep("console-runs.png", runsPicture);
        byte[] page = chromium.pageScreenshot(1440);
        assertTrue(page.length > 10_000, "a real picture: " + page.length + " bytes");
        HeadlessChromium.keep("console-operations.png", page);
    }

    @Test
    void theOrganisationViewBrowsesSearchesAndOpensMembersThroughTheReadApi() throws Exception {
        JsonNode export = sim.export(CORP);
        browser.get("http://127.0.0.1:" + console.port() + CONSOLE);
        chromium.waitFor(
                "the sign-in form or the console",
                d -> d.findElement(By.id("token")).isDisplayed()
                        || d.findElement(By.id("console")).isDisplayed());
        if (browser.findElement(By.id("token")).isDisplayed()) {
            browser.findElement(By.id("token")).sendKeys(TOKEN);
            chromium.click(By.id("sign-in"));
        }
        chromium.waitFor(
                "the enterprise to choose",
                d -> !d.findElements(By.cssSelector("#org-corp option[value='" + CORP + "']"))
                        .isEmpty());
        new Select(browser.findElement(By.id("org-corp"))).selectByValue(CORP);

        // the tree: every department, its direct members counted, its leaders named
        chromium.waitFor(
                "the department tree",
                d -> d.findElements(By.cssSelector("#org-tree li[data-dept-id]"))
                                .size()
                        == export.path("departments").size());
        for (JsonNode d : export.path("departments")) {
            WebElement item = browser.findElement(By.cssSelector("#org-tree li[data-dept-id='" + d.path("id") + "']"));
            List<String> leaders = new ArrayList<>();
            for (WebElement b : item.findElements(By.cssSelector(":scope > [data-testid=leaders] [data-userid]"))) {
                leaders.add(b.getAttribute("data-userid"));
            }
            List<String> expected = new ArrayList<>();
            d.path("department_leader").forEach(l -> expected.add(l.asText()));
            assertEquals(expected.stream().sorted().toList(), leaders, "leaders of " + d);
            assertEquals(
                    String.valueOf(directMembers(export, d.path("id").asInt()).size()),
                    item.findElement(By.cssSelector("[data-testid=member-count]"))
                            .getText(),
                    "members of " + d);
        }
        assertTrue(
                browser
                        .findElements(
                                By.cssSelector("#org-tree li[data-dept-id='2'] > [data-testid=leaders] [data-userid]"))
                        .stream()
                        .anyMatch(b -> b.getAttribute("data-userid").equals(LEAD)));

        // a department's members
        browser.findElement(By.cssSelector("#org-tree li[data-dept-id='2'] [data-testid=dept-name]"))
                .click();
        List<String> inTwo = directMembers(export, 2);
        chromium.waitFor("the members of department 2", d -> listed().equals(inTwo));

        // search by a mobile as people write it: the member, then opened with every field
        chromium.type(By.id("org-q"), "+86 139-1111-2222");
        chromium.click(By.id("org-search"));
        chromium.waitFor("the member found by mobile", d -> listed().equals(List.of(LEAD)));
        browser.findElement(By.cssSelector("#org-members tr[data-userid='" + LEAD + "']"))
                .click();
        chromium.waitFor("the member", d -> d.findElement(By.id("org-member")).isDisplayed());
        JsonNode lead = null;
        for (JsonNode m : export.path("members")) {
            lead = m.path("userid").asText().equals(LEAD) ? m : lead;
        }
        assertEquals("13911112222", memberField("mobile"));
        assertEquals("", lead.path("email").asText());
        assertEquals("not known", memberField("email"), "no e-mail in WeCom: null, shown as such");
        assertEquals("Olga", memberField("alias"));
        assertEquals("010-60001234", memberField("telephone"));
        assertEquals("1 active", memberField("status"));
        assertEquals(lead.path("direct_leader").get(0).asText(), memberField("directLeader"));
        String departments = memberField("departments");
        assertTrue(departments.contains("leader") && departments.contains("/"), departments);
        HeadlessChromium.keep(
                "console-organisation.png",
                browser.findElement(By.id("org-section")).getScreenshotAs(OutputType.BYTES));
        assertEquals(
                List.of("leader"),
                browser
                        .findElements(By.cssSelector("#org-member [data-field=departments] [data-dept-id='2'] .badge"))
                        .stream()
                        .map(WebElement::getText)
                        .toList(),
                "a leader in department 2, not in 1");

        // search by the start of a userid, any case
        String prefix = export.path("members").get(3).path("userid").asText().substring(0, 3);
        List<String> expected = new ArrayList<>();
        export.path("members").forEach(m -> {
            if (m.path("userid").asText().startsWith(prefix)
                    || m.path("name").asText().startsWith(prefix)) {
                expected.add(m.path("userid").asText());
            }
        });
        chromium.type(By.id("org-q"), prefix.toUpperCase(java.util.Locale.ROOT));
        chromium.click(By.id("org-search"));
        chromium.waitFor(
                "the members whose userid starts with " + prefix,
                d -> listed().equals(expected.stream().sorted().toList()));
        assertTrue(browser.findElement(By.id("org-message")).getText().isBlank(), "no error on the way");
    }

    /** The userids of the organisation view's member list, in its order. */
    private static List<String> listed() {
        return browser.findElements(By.cssSelector("#org-members tbody tr")).stream()
                .map(tr -> tr.getAttribute("data-userid"))
                .toList();
    }

    private static String memberField(String name) {
        return browser.findElement(By.cssSelector("#org-member [data-field=" + name + "]"))
                .getText()
                .trim();
    }

    /** The userids of the members directly in the department, sorted. */
    private static List<String> directMembers(JsonNode export, int department) {
        List<String> out = new ArrayList<>();
        for (JsonNode m : export.path("members")) {
            for (JsonNode d : m.path("department")) {
                if (d.asInt() == department) {
                    out.add(m.path("userid").asText());
                }
            }
        }
        return out.stream().sorted().toList();
    }

    private static WebElement entRow(String corpId) {
        return browser.findElement(By.cssSelector("#enterprises tr[data-enterprise='" + corpId + "']"));
    }

    private static JsonNode entListing(String corpId) {
        for (JsonNode e : api.get("/admin/api/enterprises").json()) {
            if (e.path("corpId").asText().equals(corpId)) {
                return e;
            }
        }
        throw new AssertionError("no enterprise " + corpId);
    }

    private static WebElement appRow(String appId) {
        return browser.findElement(By.cssSelector("#miniapps tr[data-app='" + appId + "']"));
    }

    private static String appCell(String appId, String testid) {
        List<WebElement> rows = browser.findElements(By.cssSelector("#miniapps tr[data-app='" + appId + "']"));
        return rows.isEmpty()
                ? ""
                : rows.get(0)
                        .findElement(By.cssSelector("[data-testid=" + testid + "]"))
                        .getText()
                        .trim();
    }

    private static void addApp(String appId, String name, String secret, String mode) {
        chromium.click(By.id("app-new"));
        chromium.type(By.id("app-appId"), appId);
        chromium.type(By.id("app-name"), name);
        chromium.type(By.id("app-secret"), secret);
        new Select(browser.findElement(By.id("app-tokenMode"))).selectByValue(mode);
        chromium.click(By.id("app-save"));
        chromium.waitFor(
                appId + " in the table",
                Duration.ofSeconds(20),
                d -> appCell(appId, "name").equals(name));
        assertTrue(
                browser.findElement(By.id("app-message")).getText().contains("Created " + appId), "the form says so");
    }
}
