package io.orgsync.api;

import static io.orgsync.testing.ApiAssertions.assertClean;
import static io.orgsync.testing.ApiAssertions.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.orgsync.enterprise.EnterpriseChange;
import io.orgsync.sync.RunStatus;
import io.orgsync.testing.ApiNode;
import io.orgsync.testing.MemberShape;
import io.orgsync.testing.MutableClock;
import io.orgsync.testing.SimulatorControl;
import io.orgsync.testing.TestDatabases;
import io.orgsync.testing.TestNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code POST /api/v1/members/resolve} over real HTTP against the simulator, on H2 and MariaDB:
 * a number WeCom hides from user/list is resolved, stored, served by lookup and kept by the next
 * sync; "not found" is remembered; concurrent resolves share one call; the daily budget stops
 * resolves before WeCom would block the enterprise, with an alert.
 */
class ResolveApiTest {
    private static final String HIDDEN = "ww-resolve-hidden";
    private static final String SECRET = "resolve-secret-0123456789";
    private static final String GETUSERID = "/cgi-bin/user/getuserid";
    private static final String USER_GET = "/cgi-bin/user/get";
    private static final String LOOKUP = "/api/v1/members/by-mobile/";
    private static SimulatorControl sim;
    private static JsonNode truth;
    private static final Map<String, ApiNode> nodes = new HashMap<>();

    @BeforeAll
    static void start() {
        sim = new SimulatorControl();
        // an app created after 2022-06-20: user/list and user/get show no mobile
        sim.createCorp(HIDDEN, SECRET, 4, 40, false);
        truth = sim.export(HIDDEN);
    }

    @AfterAll
    static void stop() {
        nodes.values().forEach(ApiNode::close);
        sim.close();
    }

    @AfterEach
    void clearFaults() {
        sim.clearFaults();
    }

    /** One node per database kind with the hidden-mobile enterprise synced; no resolve rate in the way. */
    private static ApiNode node(String dialect) throws Exception {
        ApiNode node = nodes.get(dialect);
        if (node == null) {
            node = ApiNode.start(
                    "resolve-" + dialect,
                    TestDatabases.url(dialect, "resolve_api"),
                    sim,
                    Map.of("ORGSYNC_RESOLVE_RATE", "1000"));
            nodes.put(dialect, node);
            node.enterprise(HIDDEN, SECRET);
            assertEquals(RunStatus.SUCCEEDED, node.sync(HIDDEN).status());
        }
        return node;
    }

    /** The i-th active mainland member of the simulated org (each test takes its own). */
    private static JsonNode member(int i) {
        List<JsonNode> out = new ArrayList<>();
        truth.path("members").forEach(m -> {
            if (m.path("mobile").asText().matches("1[3-9]\\d{9}")
                    && m.path("status").asInt() == 1) {
                out.add(m);
            }
        });
        return out.get(i);
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "mariadb"})
    void aHiddenMobileIsResolvedStoredServedByLookupAndKeptBySync(String dialect) throws Exception {
        ApiNode node = node(dialect);
        JsonNode expected = member(0);
        String mobile = expected.path("mobile").asText();
        assertError(node.get(LOOKUP + mobile), 404, "not_found", SECRET);

        sim.resetStats();
        ApiNode.Response r = node.resolve(
                HIDDEN, "+86 " + mobile.substring(0, 3) + "-" + mobile.substring(3, 7) + "-" + mobile.substring(7));
        assertEquals(200, r.status(), r::toString);
        assertClean(r, SECRET);
        JsonNode m = r.json();
        assertEquals(MemberShape.FIELDS, fieldNames(m));
        assertEquals(HIDDEN, m.path("corpId").asText());
        assertEquals(expected.path("userid").asText(), m.path("userid").asText());
        assertEquals(mobile, m.path("mobile").asText(), "stored as 11 digits");
        assertEquals(expected.path("department").size(), m.path("departments").size());
        assertEquals(1, sim.calls(GETUSERID, HIDDEN));
        assertEquals(1, sim.calls(USER_GET, HIDDEN));

        ApiNode.Response found = node.get(LOOKUP + mobile);
        assertEquals(200, found.status(), found::toString);
        assertEquals(
                expected.path("userid").asText(),
                found.json().path("members").get(0).path("userid").asText());

        ApiNode.Response again = node.resolve(HIDDEN, mobile);
        assertEquals(200, again.status(), again::toString);
        assertEquals(1, sim.calls(GETUSERID, HIDDEN), "a stored number is answered from the database");

        // the next sync sees no mobile in user/list, and must not blank the one learned
        assertEquals(RunStatus.SUCCEEDED, node.sync(HIDDEN).status());
        ApiNode.Response afterSync = node.get(LOOKUP + mobile);
        assertEquals(200, afterSync.status(), afterSync::toString);
        assertEquals(
                mobile, afterSync.json().path("members").get(0).path("mobile").asText());
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "mariadb"})
    void notFoundIsRememberedAndNotAskedAgain(String dialect) throws Exception {
        ApiNode node = node(dialect);
        String unknown = "1990000000" + (dialect.equals("h2") ? "1" : "2");
        sim.resetStats();
        ApiNode.Response r = node.resolve(HIDDEN, unknown);
        assertError(r, 404, "not_found", SECRET);
        assertEquals(1, sim.calls(GETUSERID, HIDDEN));
        assertEquals(0, sim.calls(USER_GET, HIDDEN));

        ApiNode.Response again = node.resolve(HIDDEN, "+86" + unknown);
        assertError(again, 404, "not_found", SECRET);
        assertTrue(again.json().path("error").path("message").asText().contains("earlier"), again::toString);
        assertEquals(1, sim.calls(GETUSERID, HIDDEN), "the remembered answer, no second getuserid");
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "mariadb"})
    void fiftyConcurrentResolvesOfOneNumberMakeOneCall(String dialect) throws Exception {
        ApiNode node = node(dialect);
        String found = member(1).path("mobile").asText();
        String unknown = "1990000001" + (dialect.equals("h2") ? "1" : "2");
        // a slow getuserid keeps all 50 requests in flight together
        sim.fault(Map.of("path", GETUSERID, "latencyMs", 300, "count", 2));
        sim.resetStats();
        ExecutorService pool = Executors.newFixedThreadPool(50);
        try {
            List<ApiNode.Response> foundAnswers = concurrently(pool, 50, () -> node.resolve(HIDDEN, found));
            for (ApiNode.Response r : foundAnswers) {
                assertEquals(200, r.status(), r::toString);
                assertEquals(
                        member(1).path("userid").asText(),
                        r.json().path("userid").asText());
            }
            assertEquals(1, sim.calls(GETUSERID, HIDDEN), "one getuserid for 50 callers");
            assertEquals(1, sim.calls(USER_GET, HIDDEN));

            List<ApiNode.Response> unknownAnswers = concurrently(pool, 50, () -> node.resolve(HIDDEN, unknown));
            for (ApiNode.Response r : unknownAnswers) {
                assertError(r, 404, "not_found", SECRET);
            }
            assertEquals(2, sim.calls(GETUSERID, HIDDEN), "one more getuserid for the 50 callers of an unknown number");
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * A contact-sync secret on a new IP alone (docs/setups.md, "Resolve"): getuserid answers, user/get
     * answers 48009, so the member the sync stored answers with what is known and keeps the mobile
     * learned; a 48009 is asked once a day; a userid no sync has stored yet is 404 until one does.
     */
    @ParameterizedTest
    @ValueSource(strings = {"h2", "mariadb"})
    void aContactSyncSecretOnANewIpAnswersFromTheStoredMember(String dialect) throws Exception {
        String corp = "ww-resolve-contact-" + dialect;
        String contact = "resolve-contact-secret-0123456789";
        Map<String, Object> setup = new HashMap<>(Map.of("corpId", corp, "secret", SECRET, "departments", 3));
        setup.putAll(Map.of("members", 30, "mobileVisible", false, "contactSecret", contact, "newIp", true));
        sim.post("/__sim/corps", setup);
        List<JsonNode> members = new ArrayList<>();
        sim.export(corp).path("members").forEach(m -> {
            if (m.path("mobile").asText().matches("1[3-9]\\d{9}")) {
                members.add(m);
            }
        });
        MutableClock clock = new MutableClock();
        try (ApiNode node = ApiNode.start(
                "resolve-contact-" + dialect,
                TestDatabases.url(dialect, "resolve_contact"),
                sim,
                Map.of("ORGSYNC_RESOLVE_RATE", "1000"),
                clock)) {
            node.node.enterprises().put(corp, new EnterpriseChange(corp, null, TestNode.NEVER, true, null, contact));
            assertEquals(RunStatus.SUCCEEDED, node.sync(corp).status(), "ids only");
            // the sync's 48009 is a day old: the resolve asks user/get again, and learns it again
            clock.advance(Duration.ofHours(25));
            sim.resetStats();
            String mobile = members.get(0).path("mobile").asText();
            ApiNode.Response r = node.resolve(corp, mobile);
            assertEquals(200, r.status(), r::toString);
            assertClean(r, SECRET, contact);
            assertEquals(
                    members.get(0).path("userid").asText(),
                    r.json().path("userid").asText());
            assertEquals(mobile, r.json().path("mobile").asText());
            assertTrue(r.json().path("name").isNull(), "not known to this set-up: " + r);
            assertEquals(
                    members.get(0).path("department").size(),
                    r.json().path("departments").size());
            assertEquals(1, sim.calls(USER_GET, corp));

            ApiNode.Response next =
                    node.resolve(corp, members.get(1).path("mobile").asText());
            assertEquals(200, next.status(), next::toString);
            assertEquals(
                    members.get(1).path("userid").asText(),
                    next.json().path("userid").asText());
            assertEquals(2, sim.calls(GETUSERID, corp));
            assertEquals(1, sim.calls(USER_GET, corp), "the 48009 is remembered: no second user/get");

            // stored: lookups answer it, and the next (ids-only) sync keeps it
            assertEquals(RunStatus.SUCCEEDED, node.sync(corp).status());
            ApiNode.Response found = node.get(LOOKUP + mobile);
            assertEquals(200, found.status(), found::toString);
            assertEquals(
                    members.get(0).path("userid").asText(),
                    found.json().path("members").get(0).path("userid").asText());

            // a member added since the last sync: 404 until the next sync stores it, nothing remembered
            int department = members.get(0).path("department").get(0).asInt();
            sim.post(
                    "/__sim/corps/" + corp + "/members",
                    Map.of("userid", "newcomer", "mobile", "13912340000", "department", List.of(department)));
            ApiNode.Response unknown = node.resolve(corp, "13912340000");
            assertError(unknown, 404, "not_found", SECRET, contact);
            String message = unknown.json().path("error").path("message").asText();
            assertTrue(message.contains("newcomer") && message.contains("next sync"), message);
            assertEquals(RunStatus.SUCCEEDED, node.sync(corp).status());
            ApiNode.Response after = node.resolve(corp, "13912340000");
            assertEquals(200, after.status(), after::toString);
            assertEquals("newcomer", after.json().path("userid").asText());
            assertEquals(4, sim.calls(GETUSERID, corp), "the 404 was not remembered as a \"not found\"");
        }
    }

    @Test
    void aSpentBudgetIsA429WithRetryAfterAndAnAlert() throws Exception {
        String corp = "ww-resolve-budget";
        sim.createCorp(corp, SECRET, 2, 30, false);
        // 30 members at 0.1: three "not found" answers a day
        try (ApiNode node = ApiNode.start(
                "resolve-budget",
                TestDatabases.h2("resolve_budget"),
                sim,
                Map.of("ORGSYNC_RESOLVE_RATE", "1000", "ORGSYNC_RESOLVE_BUDGET_RATIO", "0.1"))) {
            node.enterprise(corp, SECRET);
            assertEquals(RunStatus.SUCCEEDED, node.sync(corp).status());
            sim.resetStats();
            for (int i = 0; i < 3; i++) {
                assertError(node.resolve(corp, "1980000000" + i), 404, "not_found", SECRET);
            }
            assertEquals(3, sim.calls(GETUSERID, corp));

            ApiNode.Response refused = node.resolve(corp, "19800000009");
            assertError(refused, 429, "budget_exhausted", SECRET);
            long retryAfter = Long.parseLong(refused.header("Retry-After"));
            assertTrue(retryAfter >= 1 && retryAfter <= 86_400, "until midnight China time: " + retryAfter);
            assertEquals(3, sim.calls(GETUSERID, corp), "refused before calling WeCom");

            // a real member too: the budget guards getuserid, whoever the number belongs to
            String real = sim.export(corp).path("members").get(0).path("mobile").asText();
            assertEquals(429, node.resolve(corp, real).status());
            // a number already answered is still answered, from memory
            assertError(node.resolve(corp, "19800000000"), 404, "not_found", SECRET);
            assertEquals(3, sim.calls(GETUSERID, corp));

            JsonNode alerts = node.alerts(sim, 1);
            assertEquals(1, alerts.size(), "one alert, however many refusals: " + alerts);
            String text =
                    alerts.get(0).path("message").path("text").path("content").asText();
            assertTrue(text.contains("resolve_budget") && text.contains(corp), text);
            assertTrue(!text.contains(SECRET));
        }
    }

    @Test
    void anUnknownEnterpriseAndTheRateLimitAreRefusedWithoutCalls() throws Exception {
        try (ApiNode node = ApiNode.start(
                "resolve-rate", TestDatabases.h2("resolve_rate"), sim, Map.of("ORGSYNC_RESOLVE_RATE", "0.01"))) {
            node.enterprise(HIDDEN, SECRET);
            assertEquals(RunStatus.SUCCEEDED, node.sync(HIDDEN).status());
            sim.resetStats();
            assertError(node.resolve("ww-nobody", "13800000000"), 404, "unknown_corp", SECRET);
            assertEquals(0, sim.stats().path("totalCalls").asLong());

            // one resolve per 100 s: the first goes out, the second is refused at once
            assertEquals(
                    200, node.resolve(HIDDEN, member(2).path("mobile").asText()).status());
            ApiNode.Response limited =
                    node.resolve(HIDDEN, member(3).path("mobile").asText());
            assertError(limited, 429, "rate_limited", SECRET);
            assertTrue(Long.parseLong(limited.header("Retry-After")) >= 1);
            assertEquals(1, sim.calls(GETUSERID, HIDDEN));
        }
    }

    @Test
    void upstreamErrorsOfAResolveMapToTheErrorModel() throws Exception {
        String corp = "ww-resolve-errors";
        sim.createCorp(corp, SECRET, 2, 10, false);
        try (ApiNode node = ApiNode.start(
                "resolve-errors", TestDatabases.h2("resolve_errors"), sim, Map.of("ORGSYNC_RESOLVE_RATE", "1000"))) {
            node.enterprise(corp, SECRET);
            assertEquals(RunStatus.SUCCEEDED, node.sync(corp).status());
            List<String> mobiles = new ArrayList<>();
            sim.export(corp)
                    .path("members")
                    .forEach(m -> mobiles.add(m.path("mobile").asText()));

            sim.fault(Map.of("path", GETUSERID, "errcode", 60020, "count", 1));
            assertError(node.resolve(corp, mobiles.get(0)), 502, "upstream_error", SECRET);
            sim.fault(Map.of("path", GETUSERID, "errcode", -1));
            ApiNode.Response busy = node.resolve(corp, mobiles.get(1));
            assertError(busy, 503, "unavailable", SECRET);
            assertTrue(busy.header("Retry-After") != null);
            sim.clearFaults();
            sim.fault(Map.of("path", GETUSERID, "errcode", 45009, "count", 1));
            ApiNode.Response blocked = node.resolve(corp, mobiles.get(2));
            assertError(blocked, 429, "rate_limited", SECRET);
            assertTrue(Long.parseLong(blocked.header("Retry-After")) >= 1);
            // none of these was a "not found": the budget and the miss memory are untouched
            sim.clearFaults();
            sim.resetStats();
            assertError(node.resolve(corp, mobiles.get(2)), 429, "rate_limited", SECRET);
            assertEquals(0, sim.calls(GETUSERID, corp), "no call into a block");

            // a wrong secret: the caller cannot fix it by retrying, so 502 (not 503 with Retry-After)
            String wrongCorp = "ww-resolve-wrong-secret";
            String wrong = "wrong-secret-0123456789abcdef";
            sim.createCorp(wrongCorp, SECRET, 2, 10, false);
            node.enterprise(wrongCorp, wrong);
            ApiNode.Response refused = node.resolve(wrongCorp, mobiles.get(3));
            assertError(refused, 502, "upstream_error", SECRET, wrong);
            assertTrue(refused.json().path("error").path("message").asText().contains("40001"), refused::toString);
            assertEquals(null, refused.header("Retry-After"));
        }
    }

    private interface Call {
        ApiNode.Response call() throws Exception;
    }

    /** Runs {@code n} calls released together, and returns their answers. */
    private static List<ApiNode.Response> concurrently(ExecutorService pool, int n, Call call) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<ApiNode.Response>> futures = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            futures.add(pool.submit(() -> {
                go.await();
                return call.call();
            }));
        }
        go.countDown();
        List<ApiNode.Response> out = new ArrayList<>();
        for (Future<ApiNode.Response> f : futures) {
            out.add(f.get(60, TimeUnit.SECONDS));
        }
        return out;
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> out = new java.util.TreeSet<>();
        node.fieldNames().forEachRemaining(out::add);
        return out;
    }
}
