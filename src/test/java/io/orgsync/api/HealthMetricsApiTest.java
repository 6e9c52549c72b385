package io.orgsync.api;

import static io.orgsync.testing.ApiAssertions.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.orgsync.NodeInternals;
import io.orgsync.sync.RunStatus;
import io.orgsync.testing.ApiNode;
import io.orgsync.testing.SimulatorControl;
import io.orgsync.testing.TestDatabases;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code /health} and {@code /metrics} over real HTTP, and the trace id every answer carries. */
class HealthMetricsApiTest {
    private static final String CORP = "ww-health";
    private static final String SECRET = "health-secret-0123456789";
    private static SimulatorControl sim;
    private static ApiNode node;

    @BeforeAll
    static void start() throws Exception {
        sim = new SimulatorControl();
        sim.createCorp(CORP, SECRET, 2, 10, false);
        node = ApiNode.start("health", TestDatabases.h2("health_api"), sim, Map.of("ORGSYNC_RESOLVE_RATE", "1000"));
        node.enterprise(CORP, SECRET);
        assertEquals(RunStatus.SUCCEEDED, node.sync(CORP).status());
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.close();
        }
        sim.close();
    }

    @Test
    void healthHasTheDocumentedShape() throws Exception {
        ApiNode.Response r = node.get("/health");
        assertEquals(200, r.status(), r::toString);
        assertTrue(r.header("Content-Type").startsWith("application/json"));
        JsonNode body = r.json();
        assertEquals(Set.of("status", "db", "scheduler", "clock", "version"), names(body));
        assertEquals("UP", body.path("status").asText());
        assertEquals("UP", body.path("db").path("status").asText());
        assertEquals(Set.of("enabled", "started", "instanceId", "env"), names(body.path("scheduler")));
        assertFalse(body.path("scheduler").path("enabled").asBoolean());
        assertTrue(body.path("scheduler").path("started").isBoolean());
        assertEquals("health", body.path("scheduler").path("instanceId").asText());
        assertEquals("test", body.path("scheduler").path("env").asText());
        assertFalse(body.path("version").asText().isBlank());
        JsonNode clock = body.path("clock");
        assertEquals(Set.of("source", "offsetMs", "roundTripMs", "measuredAt", "skewed", "maxSkewMs"), names(clock));
        assertEquals("database", clock.path("source").asText());
        assertTrue(Math.abs(clock.path("offsetMs").asLong()) < 1_000, clock.toString());
        assertFalse(clock.path("skewed").asBoolean(), clock.toString());
        assertEquals(2_000, clock.path("maxSkewMs").asLong());
    }

    @Test
    void metricsCountLookupsByOutcomeAndTimeHttpRequests() throws Exception {
        JsonNode member = sim.export(CORP).path("members").get(0);
        String mobile = member.path("mobile").asText().replaceAll("[\\s-]", "");
        Map<String, Double> before = lookups();
        assertEquals(
                404,
                node.get("/api/v1/members/by-mobile/" + mobile.replace("+", "%2B"))
                        .status(),
                "hidden until resolved");
        assertEquals(200, node.resolve(CORP, mobile).status());
        for (int i = 0; i < 3; i++) {
            assertEquals(
                    200,
                    node.get("/api/v1/members/by-mobile/" + mobile.replace("+", "%2B"))
                            .status());
        }
        assertEquals(404, node.get("/api/v1/members/by-mobile/19999999999").status());
        assertEquals(400, node.get("/api/v1/members/by-mobile/not-a-number").status());

        Map<String, Double> after = lookups();
        assertEquals(3, delta(before, after, "lookup", "found"), after::toString);
        assertEquals(2, delta(before, after, "lookup", "not_found"), after::toString);
        assertEquals(1, delta(before, after, "lookup", "invalid"), after::toString);
        assertEquals(1, delta(before, after, "resolve", "found"), after::toString);

        String text = metrics();
        String route = "route=\"/api/v1/members/by-mobile/{mobile}\"";
        assertTrue(count(text, "orgsync_http_request_seconds_count", route, "status=\"200\"") >= 3, text);
        assertTrue(count(text, "orgsync_http_request_seconds_count", route, "status=\"404\"") >= 2);
        assertTrue(count(text, "orgsync_http_request_seconds_count", route, "status=\"400\"") >= 1);
        assertTrue(text.contains("orgsync_http_request_seconds_sum{"), "timings, not just counts");
        assertTrue(text.contains("orgsync_upstream_calls_total{"), "upstream calls by API and errcode");
        assertTrue(text.contains("jvm_memory_used_bytes"), "JVM");
        assertFalse(text.contains(SECRET));
    }

    @Test
    void everyAnswerCarriesATraceId() throws Exception {
        ApiNode.Response given = node.get("/health", "X-Request-Id", "caller-trace-42");
        assertEquals("caller-trace-42", given.header("X-Request-Id"));
        ApiNode.Response bad = node.get("/api/v1/members/by-mobile/x", "X-Request-Id", "bad id with spaces");
        String replaced = bad.header("X-Request-Id");
        assertTrue(
                replaced != null && replaced.matches("[A-Za-z0-9._-]{1,64}"),
                "a fresh id for an unusable one: " + replaced);
        assertNotEquals("bad id with spaces", replaced);
        assertError(node.get("/no/such/route"), 404, "not_found", SECRET);
    }

    @Test
    void aDatabaseThatIsGoneIsDownAndLookupsFailCleanly() throws Exception {
        try (ApiNode lonely = ApiNode.start("health-down", TestDatabases.h2("health_down"), sim, Map.of())) {
            assertEquals(200, lonely.get("/health").status());
            NodeInternals.db(lonely.node).close();
            ApiNode.Response down = lonely.get("/health");
            assertEquals(503, down.status(), down::toString);
            assertEquals("DOWN", down.json().path("status").asText());
            assertEquals("DOWN", down.json().path("db").path("status").asText());
            ApiNode.Response lookup = lonely.get("/api/v1/members/by-mobile/13800000000");
            assertError(lookup, 503, "unavailable", SECRET);
            assertTrue(lookup.header("Retry-After") != null, lookup.headers()::toString);
        }
    }

    private static String metrics() throws Exception {
        ApiNode.Response r = node.get("/metrics");
        assertEquals(200, r.status());
        assertTrue(r.header("Content-Type").startsWith("text/plain"), r.header("Content-Type"));
        return r.text();
    }

    private static final Pattern LOOKUP_LINE = Pattern.compile("orgsync_lookups_total\\{([^}]*)} ([0-9.E+]+)");

    /** orgsync_lookups_total by "kind/outcome". */
    private static Map<String, Double> lookups() throws Exception {
        Map<String, Double> out = new java.util.HashMap<>();
        Matcher m = LOOKUP_LINE.matcher(metrics());
        while (m.find()) {
            String labels = m.group(1);
            out.put(label(labels, "kind") + "/" + label(labels, "outcome"), Double.parseDouble(m.group(2)));
        }
        return out;
    }

    private static double delta(Map<String, Double> before, Map<String, Double> after, String kind, String outcome) {
        String key = kind + "/" + outcome;
        return after.getOrDefault(key, 0.0) - before.getOrDefault(key, 0.0);
    }

    private static String label(String labels, String name) {
        Matcher m = Pattern.compile(name + "=\"([^\"]*)\"").matcher(labels);
        return m.find() ? m.group(1) : "";
    }

    /** The value of the first line of {@code metric} that has all the given labels. */
    private static double count(String text, String metric, String... labels) {
        for (String line : text.split("\n")) {
            if (line.startsWith(metric + "{")) {
                boolean all = true;
                for (String l : labels) {
                    all &= line.contains(l);
                }
                if (all) {
                    return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
        }
        return 0;
    }

    private static Set<String> names(JsonNode object) {
        Set<String> out = new TreeSet<>();
        object.fieldNames().forEachRemaining(out::add);
        return out;
    }
}
