package io.orgsync.admin;

import static io.orgsync.testing.Waiting.seconds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.orgsync.Node;
import io.orgsync.sync.Run;
import io.orgsync.sync.RunStatus;
import io.orgsync.testing.AdminClient;
import io.orgsync.testing.HeadlessChromium;
import io.orgsync.testing.SimulatorControl;
import io.orgsync.testing.TestDatabases;
import io.orgsync.testing.TestNode;
import io.orgsync.testing.Waiting;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The console's Subscriptions panel in headless Chromium, against a node on MariaDB that synced
 * an enterprise from the simulator and a receiver of the test's own over HTTP: a subscription
 * created through the form (its generated secret shown once, and it verifies the deliveries that
 * follow), its state, lag, last delivery and a receiver's refusal as the last error, disabled and
 * enabled again, a replay that delivers the enterprise's changes again, and its deletion.
 */
class ConsoleSubscriptionsBrowserTest {
    /**
     * The console, refreshing itself every second rather than every 5 s: what the test waits to see
     * the console show by itself (a run, a delivery, an event) shows within a second of happening.
     */
    static final String CONSOLE = "/admin/?refresh=1";

    static final String TOKEN = "console-subs-token-0123456789";
    static final String CORP = "ww-globex";
    static final String NAME = "crm";
    static final ObjectMapper JSON = new ObjectMapper();

    static SimulatorControl sim;
    static Node node;
    static AdminClient api;
    static HeadlessChromium chromium;
    static WebDriver browser;
    static HttpServer receiver;
    static String receiverUrl;
    /** What the receiver took, in arrival order: webhook-id, the three headers and the body. */
    static final List<String[]> RECEIVED = Collections.synchronizedList(new ArrayList<>());
    /** The status the receiver answers with. */
    static volatile int answer = 204;

    @BeforeAll
    static void start() throws Exception {
        HeadlessChromium.require();
        sim = new SimulatorControl();
        node = TestNode.node("node-subs", TestDatabases.mariadb("console_subscriptions"), sim)
                .with("ORGSYNC_ADMIN_TOKEN", TOKEN)
                .start();
        api = new AdminClient("http://127.0.0.1:" + node.port(), TOKEN, AdminClient.newLog());
        sim.createCorp(CORP, "secret-" + CORP + "-0123456789", 3, 15, true);
        assertEquals(
                200,
                api.put(
                                "/admin/api/enterprises/" + CORP,
                                Map.of(
                                        "name",
                                        "Globex",
                                        "secret",
                                        "secret-" + CORP + "-0123456789",
                                        "cron",
                                        TestNode.NEVER))
                        .status());
        sync(1);
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        receiver.createContext("/events", x -> {
            byte[] body = x.getRequestBody().readAllBytes();
            int status = answer;
            if (status / 100 == 2) {
                RECEIVED.add(new String[] {
                    x.getRequestHeaders().getFirst("webhook-id"),
                    x.getRequestHeaders().getFirst("webhook-timestamp"),
                    x.getRequestHeaders().getFirst("webhook-signature"),
                    new String(body, StandardCharsets.UTF_8)
                });
            }
            byte[] out = status / 100 == 2 ? new byte[0] : "busy: try again later".getBytes(StandardCharsets.UTF_8);
            x.sendResponseHeaders(status, out.length == 0 ? -1 : out.length);
            x.getResponseBody().write(out);
            x.close();
        });
        receiver.start();
        receiverUrl = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/events";
        chromium = HeadlessChromium.start(1440, 1000);
        browser = chromium.driver;
    }

    /** A sync of CORP, run at once on the node (as a trigger runs it), which must be the {@code n}th and succeed. */
    static void sync(int n) throws Exception {
        Run run = node.sync(CORP);
        assertEquals(RunStatus.SUCCEEDED, run.status(), run::toString);
        assertEquals(n, api.get("/admin/api/runs?corpId=" + CORP).json().size(), "sync #" + n);
    }

    @AfterAll
    static void stop() throws Exception {
        if (chromium != null) {
            chromium.close();
        }
        if (node != null) {
            node.close();
        }
        if (receiver != null) {
            receiver.stop(0);
        }
        if (sim != null) {
            sim.close();
        }
    }

    private static WebElement row() {
        return browser.findElement(By.cssSelector("#subscriptions tr[data-subscription='" + NAME + "']"));
    }

    private static String cell(String testid) {
        return row().findElement(By.cssSelector("[data-testid=" + testid + "]")).getText();
    }

    /** A member's name changed in the simulator, and the sync that brings it. */
    private static String renameSomeone(String name, int syncs) throws Exception {
        String userid = sim.export(CORP).path("members").get(0).path("userid").asText();
        sim.send("PATCH", "/__sim/corps/" + CORP + "/members/" + userid, Map.of("name", name));
        sync(syncs);
        return userid;
    }

    @Test
    void theOperatorCreatesWatchesReplaysAndDeletesASubscription() throws Exception {
        browser.get("http://127.0.0.1:" + node.port() + CONSOLE);
        chromium.waitFor("the sign-in form", d -> d.findElement(By.id("token")).isDisplayed());
        browser.findElement(By.id("token")).sendKeys(TOKEN);
        chromium.click(By.id("sign-in"));
        chromium.waitFor("the console", d -> d.findElement(By.id("console")).isDisplayed());
        chromium.waitFor(
                "the empty subscriptions note",
                d -> d.findElement(By.id("subscriptions-empty")).isDisplayed());
        assertFalse(browser.findElement(By.id("subscriptions-unavailable")).isDisplayed());
        assertFalse(browser.findElement(By.id("sub-replay")).isDisplayed(), "no replay for a new subscription");

        // a URL the API refuses: its message, the field marked, nothing stored
        chromium.type(By.id("sub-name"), NAME);
        chromium.type(By.id("sub-url"), "ftp://example.com/events");
        chromium.click(By.id("sub-save"));
        chromium.waitFor(
                "the 400 message",
                d -> d.findElement(By.id("sub-message")).getAttribute("class").contains("error"));
        assertTrue(browser.findElement(By.id("sub-message")).getText().contains("url"), "names the field");
        assertEquals("true", browser.findElement(By.id("sub-url")).getAttribute("aria-invalid"));
        assertEquals(404, api.get("/admin/api/subscriptions/" + NAME).status());

        // created for one enterprise and every type from now on: the generated secret is shown once
        chromium.type(By.id("sub-url"), receiverUrl);
        chromium.type(By.id("sub-corpIds"), CORP);
        assertEquals(
                "now",
                new Select(browser.findElement(By.id("sub-startAt")))
                        .getFirstSelectedOption()
                        .getAttribute("value"));
        chromium.click(By.id("sub-save"));
        chromium.waitFor(
                "the secret box", d -> d.findElement(By.id("sub-secret-box")).isDisplayed());
        String secret = browser.findElement(By.id("sub-secret")).getAttribute("value");
        assertTrue(secret.startsWith("whsec_"), secret);
        assertTrue(browser.findElement(By.id("sub-message")).getText().contains("Created " + NAME));
        chromium.waitFor("the subscription's row, active", d -> cell("state").equals("active"));
        assertEquals(receiverUrl, cell("url"));
        assertTrue(cell("filters").contains(CORP) && cell("filters").contains("all types"), cell("filters"));
        assertEquals("never", cell("last-delivered"));
        JsonNode stored = api.get("/admin/api/subscriptions/" + NAME).json();
        assertFalse(stored.has("secret"), "never the secret again: " + stored);
        assertEquals(List.of(CORP), JSON.convertValue(stored.path("corpIds"), List.class));

        // a change arrives, signed with the secret the page showed; the row shows the delivery
        String userid = renameSomeone("改名一次", 2);
        String[] first =
                Waiting.await(seconds(30), "the member.updated delivery", () -> find("member.updated", userid));
        assertTrue(signed(secret, first), "the signature verifies with the secret the console showed");
        chromium.waitFor(
                "the last delivery in the row",
                d -> !cell("last-delivered").equals("never") && cell("lag").startsWith("0 events"));
        chromium.click(By.id("sub-secret-hide"));
        assertFalse(browser.findElement(By.id("sub-secret-box")).isDisplayed());
        assertFalse(browser.getPageSource().contains(secret), "the secret is gone from the page");

        // the receiver refuses: the row shows its answer as the last error, and the lag; then it takes them
        answer = 503;
        String second = renameSomeone("改名两次", 3);
        chromium.waitFor(
                "the receiver's 503 as the last error",
                Duration.ofSeconds(30),
                d -> cell("last-error").contains("503") && !cell("lag").startsWith("0 events"));
        answer = 204;
        Waiting.until(seconds(60), "the refused change delivered after all", () -> {
            synchronized (RECEIVED) {
                return RECEIVED.stream().anyMatch(r -> r[3].contains("改名两次") && r[3].contains(second));
            }
        });
        chromium.waitFor("no lag", Duration.ofSeconds(30), d -> cell("lag").startsWith("0 events"));

        // disabled and enabled again from the row
        row().findElement(By.cssSelector("[data-action=disable]")).click();
        chromium.waitFor("disabled", d -> cell("state").equals("disabled"));
        assertFalse(api.get("/admin/api/subscriptions/" + NAME)
                .json()
                .path("enabled")
                .asBoolean());
        row().findElement(By.cssSelector("[data-action=enable]")).click();
        chromium.waitFor("active again", d -> cell("state").equals("active"));
        assertEquals(
                List.of(CORP),
                JSON.convertValue(
                        api.get("/admin/api/subscriptions/" + NAME).json().path("corpIds"), List.class),
                "the filter kept through disable and enable");

        // replay from the start: the enterprise's changes come again, the first sync's creations too
        int before = RECEIVED.size();
        row().findElement(By.cssSelector("[data-action=replay]")).click();
        chromium.waitFor(
                "the replay box", d -> d.findElement(By.id("sub-replay")).isDisplayed());
        assertEquals(
                CORP,
                new Select(browser.findElement(By.id("sub-replay-corp")))
                        .getFirstSelectedOption()
                        .getAttribute("value"));
        chromium.type(By.id("sub-replay-after"), "0");
        chromium.click(By.id("sub-replay-go"));
        chromium.waitFor(
                "the replay's outcome",
                d -> d.findElement(By.id("sub-replay-message")).getText().contains("Replaying " + CORP));
        Waiting.until(seconds(60), "the replayed changes", () -> {
            List<String[]> since;
            synchronized (RECEIVED) {
                since = new ArrayList<>(RECEIVED.subList(before, RECEIVED.size()));
            }
            Set<String> again = Set.of(first[0]);
            return since.stream().anyMatch(r -> again.contains(r[0]))
                    && since.stream().anyMatch(r -> r[3].contains("\"io.orgsync.member.created\""));
        });

        // deleted after a confirmation
        row().findElement(By.cssSelector("[data-action=delete]")).click();
        chromium.waitFor(
                "the confirmation", d -> d.findElement(By.id("confirm")).isDisplayed());
        assertTrue(browser.findElement(By.id("confirm-text")).getText().contains(NAME));
        chromium.click(By.id("confirm-no"));
        assertEquals(200, api.get("/admin/api/subscriptions/" + NAME).status());
        row().findElement(By.cssSelector("[data-action=delete]")).click();
        chromium.waitFor(
                "the confirmation", d -> d.findElement(By.id("confirm")).isDisplayed());
        chromium.click(By.id("confirm-yes"));
        chromium.waitFor(
                "the row gone",
                d -> d.findElements(By.cssSelector("#subscriptions tr[data-subscription]"))
                                .isEmpty()
                        && d.findElement(By.id("subscriptions-empty")).isDisplayed());
        assertEquals(404, api.get("/admin/api/subscriptions/" + NAME).status());
        assertFalse(browser.findElement(By.id("error")).isDisplayed(), "no refresh failed");
    }

    /** The first delivery of {@code type} about {@code subject}, or null. */
    private static String[] find(String type, String subject) throws Exception {
        synchronized (RECEIVED) {
            for (String[] r : RECEIVED) {
                JsonNode event = JSON.readTree(r[3]);
                if (event.path("type").asText().equals("io.orgsync." + type)
                        && event.path("subject").asText().equals(subject)) {
                    return r;
                }
            }
        }
        return null;
    }

    /** Standard Webhooks: v1, the base64 HMAC-SHA256 of id.timestamp.body under the secret's bytes. */
    private static boolean signed(String secret, String[] delivery) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
        byte[] expected =
                mac.doFinal((delivery[0] + "." + delivery[1] + "." + delivery[3]).getBytes(StandardCharsets.UTF_8));
        for (String s : delivery[2].split(" ")) {
            if (s.startsWith("v1,")
                    && MessageDigest.isEqual(expected, Base64.getDecoder().decode(s.substring(3)))) {
                return true;
            }
        }
        return false;
    }
}
