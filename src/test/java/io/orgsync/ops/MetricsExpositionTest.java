package io.orgsync.ops;

import static io.orgsync.testing.Waiting.seconds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.orgsync.Node;
import io.orgsync.NodeInternals;
import io.orgsync.testing.AdminClient;
import io.orgsync.testing.Promtool;
import io.orgsync.testing.SimulatorControl;
import io.orgsync.testing.TestDatabases;
import io.orgsync.testing.TestNode;
import io.orgsync.testing.Waiting;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code /metrics} of a real node that has synced an enterprise from the simulator: promtool
 * accepts it, it exposes every metric the alert rules and the dashboard use (so that neither
 * drifts from the code), and the gauges the rules added report what they promise.
 */
class MetricsExpositionTest {
    static final String TOKEN = "metrics-admin-token-0123456789";
    /**
     * Metrics the rules and the dashboard already use but this build does not expose yet. Empty
     * while every feature they watch has landed; the test fails for any entry that is exposed by
     * then, or unused.
     */
    static final Set<String> NOT_YET_EXPOSED = Set.of();

    static final String CALLBACK_TOKEN = "QDG6eK";
    static final String CALLBACK_AES_KEY = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";
    /** Series Prometheus makes itself for every target. */
    static final Set<String> PROMETHEUS_OWN = Set.of("up");

    static final Pattern SAMPLE =
            Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{([^}]*)})? (\\S+)", Pattern.MULTILINE);

    static SimulatorControl sim;
    static Node node;
    static AdminClient admin;
    static String dailyCron;
    /** The change feed's receiver: its metrics are per subscription. */
    static HttpServer receiver;

    @BeforeAll
    static void syncOnce() throws Exception {
        sim = new SimulatorControl();
        node = TestNode.node("expo", TestDatabases.h2("metrics_exposition"), sim)
                .with("ORGSYNC_ADMIN_TOKEN", TOKEN)
                .start();
        admin = new AdminClient("http://127.0.0.1:" + node.port(), TOKEN, AdminClient.newLog());
        // daily, twelve hours from now in the cron's zone: it does not fire while the test runs
        int hour = ZonedDateTime.now(ZoneId.of("Asia/Shanghai")).plusHours(12).getHour();
        dailyCron = "0 0 " + hour + " * * ?";
        for (String corp : List.of("ww-expo", "ww-expo-new", "ww-expo-off", "ww-expo-once")) {
            sim.createCorp(corp, "secret-" + corp + "-0123456789", 3, 12, true);
        }
        put("ww-expo", dailyCron, true);
        put("ww-expo-new", dailyCron, true);
        put("ww-expo-off", dailyCron, false);
        put("ww-expo-once", TestNode.NEVER, true);
        // callbacks on for ww-expo: its sync records the drift, and a change in WeCom arrives as an event
        assertEquals(
                200,
                admin.put(
                                "/admin/api/enterprises/ww-expo/callback",
                                Map.of("token", CALLBACK_TOKEN, "aesKey", CALLBACK_AES_KEY))
                        .status());
        sim.send(
                "PUT",
                "/__sim/corps/ww-expo/callback",
                Map.of(
                        "url",
                        "http://127.0.0.1:" + node.port() + "/callbacks/wecom/ww-expo",
                        "token",
                        CALLBACK_TOKEN,
                        "aesKey",
                        CALLBACK_AES_KEY));
        // a subscription from the beginning, delivered to a receiver that takes everything: made first,
        // so that the node's lag measurement (every 5 s) comes round while the rest is set up
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/", x -> {
            x.getRequestBody().readAllBytes();
            x.sendResponseHeaders(204, -1);
            x.close();
        });
        receiver.start();
        assertEquals(
                201,
                admin.put(
                                "/admin/api/subscriptions/expo",
                                Map.of(
                                        "url",
                                        "http://127.0.0.1:"
                                                + receiver.getAddress().getPort() + "/events",
                                        "corpIds",
                                        List.of("ww-expo"),
                                        "startAt",
                                        "beginning"))
                        .status());
        assertEquals(200, admin.post("/admin/api/jobs/ww-expo/trigger").status());
        Waiting.until(seconds(60), "the sync of ww-expo", () -> {
            JsonNode runs = admin.get("/admin/api/runs?corpId=ww-expo").json();
            return runs.size() == 1 && runs.get(0).path("status").asText().equals("SUCCEEDED");
        });
        sim.post(
                "/__sim/corps/ww-expo/members",
                Map.of(
                        "userid",
                        "expo-newcomer",
                        "name",
                        "New Comer",
                        "department",
                        List.of(1),
                        "mobile",
                        "13900007001"));
        Waiting.until(
                seconds(30),
                "the newcomer's event applied",
                () -> node.events().recent("ww-expo", 10).stream()
                        .anyMatch(e -> e.status().name().equals("APPLIED")));
        // and one that cannot sync: a secret WeCom refuses (a failed run, its alert, a hold on the token row)
        sim.createCorp("ww-expo-bad", "the-right-secret-0123456789", 2, 5, true);
        assertEquals(
                200,
                admin.put(
                                "/admin/api/enterprises/ww-expo-bad",
                                Map.of("name", "Bad Co", "secret", "a-wrong-secret-0123456789", "cron", TestNode.NEVER))
                        .status());
        assertEquals(200, admin.post("/admin/api/jobs/ww-expo-bad/trigger").status());
        Waiting.until(seconds(60), "the failed sync of ww-expo-bad", () -> {
            JsonNode runs = admin.get("/admin/api/runs?corpId=ww-expo-bad").json();
            return runs.size() == 1 && runs.get(0).path("status").asText().equals("FAILED");
        });
        sim.createApp("wx-expo-app", "app-secret-expo-0123456789");
        assertEquals(
                200,
                admin.put(
                                "/admin/api/miniapps/wx-expo-app",
                                Map.of("name", "Expo", "secret", "app-secret-expo-0123456789"))
                        .status());
        assertEquals(
                200, get("/api/v1/miniapps/wx-expo-app/wxacode?scene=a%3D1").statusCode());
        String mobile = sim.export("ww-expo")
                .path("members")
                .get(0)
                .path("mobile")
                .asText()
                .replaceAll("[\\s-]", "")
                .replace("+", "%2B");
        assertEquals(200, get("/api/v1/members/by-mobile/" + mobile).statusCode());
        Waiting.until(
                seconds(30),
                "a delivery to the subscription, and its lag measured (every few seconds)",
                () -> scrape(node).contains("orgsync_feed_deliveries_total{")
                        && scrape(node).contains("orgsync_feed_lag_seconds{"));
        // as the node's own refresh does within a minute
        NodeInternals.freshness(node).refresh();
    }

    static void put(String corpId, String cron, boolean enabled) {
        assertEquals(
                200,
                admin.put(
                                "/admin/api/enterprises/" + corpId,
                                Map.of(
                                        "name",
                                        "Co " + corpId,
                                        "secret",
                                        "secret-" + corpId + "-0123456789",
                                        "cron",
                                        cron,
                                        "enabled",
                                        enabled))
                        .status());
    }

    @AfterAll
    static void stop() {
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

    static HttpResponse<String> get(String path) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + path))
                                .build(),
                        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    static String scrape(Node n) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + n.port() + "/metrics"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        assertEquals(200, r.statusCode());
        return r.body();
    }

    static Set<String> sampleNames(String text) {
        Set<String> out = new TreeSet<>();
        Matcher m = SAMPLE.matcher(text);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    /** Values of {@code metric} by its {@code label}'s value. */
    static Map<String, Double> values(String text, String metric, String label) {
        Map<String, Double> out = new TreeMap<>();
        Matcher m = SAMPLE.matcher(text);
        Pattern labelValue = Pattern.compile(label + "=\"([^\"]*)\"");
        while (m.find()) {
            if (m.group(1).equals(metric) && m.group(3) != null) {
                Matcher v = labelValue.matcher(m.group(3));
                if (v.find()) {
                    out.put(v.group(1), Double.parseDouble(m.group(4)));
                }
            }
        }
        return out;
    }

    @Test
    void promtoolAcceptsTheMetricsOfANodeThatSynced() throws Exception {
        Promtool.require();
        String text = scrape(node);
        assertTrue(text.contains("orgsync_sync_runs_total{"), "a node that has synced");
        Promtool.Result r = Promtool.run(text.getBytes(StandardCharsets.UTF_8), "check", "metrics");
        assertEquals(0, r.exit(), r::toString);
        assertEquals("", r.output().trim(), "promtool's complaints");
    }

    @Test
    void everyMetricTheRulesAndTheDashboardUseIsExposed() throws Exception {
        Map<String, Set<String>> usedBy = new TreeMap<>();
        MonitoringFiles.ruleExpressions()
                .forEach((alert, expr) -> MonitoringFiles.metricNames(expr)
                        .forEach(name -> usedBy.computeIfAbsent(name, k -> new TreeSet<>())
                                .add("rule " + alert)));
        for (String query : MonitoringFiles.dashboardExpressions()) {
            MonitoringFiles.metricNames(query)
                    .forEach(name ->
                            usedBy.computeIfAbsent(name, k -> new TreeSet<>()).add("dashboard"));
        }
        assertTrue(usedBy.size() > 20, "metric names found: " + usedBy.keySet());
        Set<String> exposed = sampleNames(scrape(node));
        Map<String, Set<String>> missing = new TreeMap<>();
        usedBy.forEach((name, users) -> {
            if (!exposed.contains(name) && !PROMETHEUS_OWN.contains(name) && !NOT_YET_EXPOSED.contains(name)) {
                missing.put(name, users);
            }
        });
        assertEquals(Map.of(), missing, "used by the rules or the dashboard, not exposed by a node that has synced");
        for (String name : NOT_YET_EXPOSED) {
            assertTrue(usedBy.containsKey(name), name + " is in NOT_YET_EXPOSED but nothing uses it: remove it");
            assertFalse(exposed.contains(name), name + " is exposed now: remove it from NOT_YET_EXPOSED");
        }
    }

    @Test
    void theFreshnessGaugesReportTheLastSuccessAndThePeriodOfEnabledEnterprises() throws Exception {
        NodeInternals.freshness(node).refresh();
        String text = scrape(node);
        Map<String, Double> last = values(text, "orgsync_sync_last_success_timestamp_seconds", "corp");
        Map<String, Double> period = values(text, "orgsync_sync_period_seconds", "corp");
        assertEquals(
                Set.of("ww-expo", "ww-expo-new", "ww-expo-once", "ww-expo-bad"),
                last.keySet(),
                "enabled enterprises only: " + last);
        JsonNode run = admin.get("/admin/api/runs?corpId=ww-expo").json().get(0);
        assertEquals(
                Instant.parse(run.path("finishedAt").asText()).toEpochMilli() / 1000.0,
                last.get("ww-expo"),
                0.001,
                "the run's end: " + run);
        JsonNode created = null;
        for (JsonNode e : admin.get("/admin/api/enterprises").json()) {
            if (e.path("corpId").asText().equals("ww-expo-new")) {
                created = e;
            }
        }
        assertEquals(
                Instant.parse(created.path("createdAt").asText()).toEpochMilli() / 1000.0,
                last.get("ww-expo-new"),
                0.001,
                "never synced: since its registration");
        assertEquals(
                Map.of("ww-expo", 86400.0, "ww-expo-new", 86400.0),
                period,
                "daily crons; the one-shot cron has no period");

        // another successful run moves the gauge on; deleting the enterprise drops it
        assertEquals(200, admin.post("/admin/api/jobs/ww-expo/trigger").status());
        Waiting.until(seconds(60), "the second sync of ww-expo", () -> {
            JsonNode runs = admin.get("/admin/api/runs?corpId=ww-expo").json();
            return runs.size() == 2 && runs.get(0).path("status").asText().equals("SUCCEEDED");
        });
        assertEquals(200, admin.delete("/admin/api/enterprises/ww-expo-new").status());
        NodeInternals.freshness(node).refresh();
        String after = scrape(node);
        JsonNode second = admin.get("/admin/api/runs?corpId=ww-expo").json().get(0);
        assertEquals(
                Instant.parse(second.path("finishedAt").asText()).toEpochMilli() / 1000.0,
                values(after, "orgsync_sync_last_success_timestamp_seconds", "corp")
                        .get("ww-expo"),
                0.001);
        assertFalse(
                values(after, "orgsync_sync_period_seconds", "corp").containsKey("ww-expo-new"),
                "a deleted enterprise's period");
    }

    @Test
    void theDatabaseGaugeFollowsTheHealthCheck() throws Exception {
        try (Node lonely = TestNode.on(TestDatabases.h2("metrics_db_up"), sim.baseUrl())
                .with("ORGSYNC_INSTANCE_ID", "lonely")
                .start()) {
            assertEquals(Map.of("", 1.0), dbUp(lonely));
            NodeInternals.db(lonely).close();
            Waiting.until(
                    seconds(30),
                    "orgsync_db_up 0 after the database went away",
                    () -> dbUp(lonely).equals(Map.of("", 0.0)));
            assertEquals(
                    503,
                    HttpClient.newHttpClient()
                            .send(
                                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + lonely.port() + "/health"))
                                            .build(),
                                    HttpResponse.BodyHandlers.discarding())
                            .statusCode());
        }
    }

    private static Map<String, Double> dbUp(Node n) throws Exception {
        Map<String, Double> out = new HashMap<>();
        Matcher m = SAMPLE.matcher(scrape(n));
        while (m.find()) {
            if (m.group(1).equals("orgsync_db_up")) {
                out.put(m.group(3) == null ? "" : m.group(3), Double.parseDouble(m.group(4)));
            }
        }
        return out;
    }
}
