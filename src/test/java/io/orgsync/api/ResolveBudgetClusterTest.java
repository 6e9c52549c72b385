package io.orgsync.api;

import static io.orgsync.testing.ApiAssertions.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.orgsync.NodeInternals;
import io.orgsync.sync.RunStatus;
import io.orgsync.testing.ApiNode;
import io.orgsync.testing.MutableClock;
import io.orgsync.testing.SimulatorControl;
import io.orgsync.testing.TestDatabases;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The resolve budget is reserved atomically, cluster-wide, before getuserid is called: two nodes
 * on MariaDB (separate pools) resolving many different unknown numbers at once never get more
 * "not found" answers from WeCom than the budget, and a reservation left by a node that died
 * mid-resolve is freed once it expires.
 */
class ResolveBudgetClusterTest {
    private static final String SECRET = "budget-cluster-secret-0123456789";
    private static final String GETUSERID = "/cgi-bin/user/getuserid";
    /** The codes WeCom counts as getuserid failures, and user/get's "no such member" (docs/upstream.md). */
    private static final List<String> NOT_FOUND_CODES = List.of("46004", "60103", "60111");

    @RegisterExtension
    static final SimulatorControl sim = new SimulatorControl();

    private final List<ApiNode> nodes = new ArrayList<>();
    private ExecutorService pool;

    @AfterEach
    void stop() {
        if (pool != null) {
            pool.shutdownNow();
        }
        nodes.forEach(ApiNode::close);
    }

    private ApiNode node(String name, String url, MutableClock clock) throws Exception {
        ApiNode node = ApiNode.start(
                name, url, sim, Map.of("ORGSYNC_RESOLVE_RATE", "1000", "ORGSYNC_RESOLVE_BUDGET_RATIO", "0.1"), clock);
        nodes.add(node);
        return node;
    }

    @Test
    void sixteenConcurrentUnknownNumbersOnTwoNodesNeverPassTheBudget() throws Exception {
        String corp = "ww-budget-cluster";
        sim.createCorp(corp, SECRET, 4, 40, false);
        String url = TestDatabases.mariadb("resolve_budget_cluster");
        MutableClock clock = new MutableClock();
        ApiNode a = node("budget-a", url, clock);
        ApiNode b = node("budget-b", url, clock);
        a.enterprise(corp, SECRET);
        assertEquals(RunStatus.SUCCEEDED, a.sync(corp).status());
        int budget = (int) Math.floor(0.1 * NodeInternals.members(a.node).activeCount(corp));
        assertTrue(budget >= 2 && budget < 8, "a small budget: " + budget);

        // a slow getuserid keeps every resolve in flight at once, as a burst of callers would
        sim.fault(Map.of("path", GETUSERID, "latencyMs", 500));
        sim.resetStats();
        int callers = 16;
        pool = Executors.newFixedThreadPool(callers);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<ApiNode.Response>> answers = new ArrayList<>();
        for (int i = 0; i < callers; i++) {
            ApiNode node = i % 2 == 0 ? a : b;
            String unknown = "1970000" + String.format("%04d", i);
            answers.add(pool.submit(() -> {
                go.await();
                return node.resolve(corp, unknown);
            }));
        }
        go.countDown();
        List<ApiNode.Response> answered = new ArrayList<>();
        for (Future<ApiNode.Response> f : answers) {
            answered.add(f.get(60, TimeUnit.SECONDS));
        }
        long failures = upstreamFailures();
        long notFound = answered.stream().filter(r -> r.status() == 404).count();
        long exhausted = answered.stream()
                .filter(r -> "budget_exhausted".equals(r.code()))
                .count();
        System.out.printf(
                "resolve budget %d: %d callers on 2 nodes, %d getuserid calls, %d upstream failures, %d not_found, "
                        + "%d budget_exhausted, %d other%n",
                budget,
                callers,
                sim.calls(GETUSERID, corp),
                failures,
                notFound,
                exhausted,
                callers - notFound - exhausted);
        assertTrue(failures <= budget, "WeCom saw " + failures + " 'not found' failures against a budget of " + budget);
        for (ApiNode.Response r : answered) {
            if (r.status() == 404) {
                assertError(r, 404, "not_found", SECRET);
            } else {
                assertError(r, 429, "budget_exhausted", SECRET);
                assertTrue(Long.parseLong(r.header("Retry-After")) >= 1, r::toString);
            }
        }
        assertEquals(failures, notFound, "each upstream failure is one caller's not_found");
        assertEquals(budget, notFound, "the budget is used in full, not refused early");

        // spent for the day on both nodes: refused before calling WeCom
        sim.resetStats();
        assertError(b.resolve(corp, "19700009999"), 429, "budget_exhausted", SECRET);
        assertError(a.resolve(corp, "19700009998"), 429, "budget_exhausted", SECRET);
        assertEquals(0, sim.calls(GETUSERID, corp));
    }

    @Test
    void foundNumbersAndUpstreamErrorsGiveTheirReservationBack() throws Exception {
        String corp = "ww-budget-release";
        sim.createCorp(corp, SECRET, 4, 40, false);
        String url = TestDatabases.mariadb("resolve_budget_release");
        MutableClock clock = new MutableClock();
        ApiNode a = node("release-a", url, clock);
        ApiNode b = node("release-b", url, clock);
        a.enterprise(corp, SECRET);
        assertEquals(RunStatus.SUCCEEDED, a.sync(corp).status());
        int budget = (int) Math.floor(0.1 * NodeInternals.members(a.node).activeCount(corp));
        List<String> mobiles = new ArrayList<>();
        sim.export(corp).path("members").forEach(m -> {
            if (m.path("status").asInt() == 1 && m.path("mobile").asText().matches("1[3-9]\\d{9}")) {
                mobiles.add(m.path("mobile").asText());
            }
        });
        // twice as many real members as the budget, resolved at once on both nodes: all found, the
        // second half once the first half gave their units back
        int callers = 2 * budget;
        sim.fault(Map.of("path", GETUSERID, "latencyMs", 200));
        pool = Executors.newFixedThreadPool(callers);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<ApiNode.Response>> answers = new ArrayList<>();
        for (int i = 0; i < callers; i++) {
            ApiNode node = i % 2 == 0 ? a : b;
            String mobile = mobiles.get(i);
            answers.add(pool.submit(() -> {
                go.await();
                return node.resolve(corp, mobile);
            }));
        }
        go.countDown();
        for (Future<ApiNode.Response> f : answers) {
            ApiNode.Response r = f.get(60, TimeUnit.SECONDS);
            assertEquals(200, r.status(), r::toString);
        }
        sim.clearFaults();
        // an upstream error is not a "not found": its reservation is given back too
        sim.fault(Map.of("path", GETUSERID, "errcode", 60020, "count", 2 * budget));
        for (int i = 0; i < 2 * budget; i++) {
            assertError(
                    (i % 2 == 0 ? a : b).resolve(corp, "1960000" + String.format("%04d", i)),
                    502,
                    "upstream_error",
                    SECRET);
        }
        sim.clearFaults();
        // the whole budget is still there for unknown numbers
        sim.resetStats();
        for (int i = 0; i < budget; i++) {
            assertError(
                    (i % 2 == 0 ? a : b).resolve(corp, "1950000" + String.format("%04d", i)), 404, "not_found", SECRET);
        }
        assertError(a.resolve(corp, "19500009999"), 429, "budget_exhausted", SECRET);
        assertEquals(budget, upstreamFailures());
    }

    @Test
    void aReservationOfANodeThatDiedIsFreedWhenItExpires() throws Exception {
        String corp = "ww-budget-expiry";
        sim.createCorp(corp, SECRET, 4, 40, false);
        String url = TestDatabases.mariadb("resolve_budget_expiry");
        MutableClock clock = new MutableClock();
        ApiNode a = node("expiry-a", url, clock);
        a.enterprise(corp, SECRET);
        assertEquals(RunStatus.SUCCEEDED, a.sync(corp).status());
        int budget = (int) Math.floor(0.1 * NodeInternals.members(a.node).activeCount(corp));

        // a second node took the whole budget and died before its getuserid calls returned:
        // its reservations stay behind, as its process left them
        String day = LocalDate.ofInstant(Instant.ofEpochMilli(clock.millis()), ZoneId.of("Asia/Shanghai"))
                .toString();
        try (Connection c = DriverManager.getConnection(url, TestDatabases.user(url), TestDatabases.password(url));
                PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO resolve_reservation (corp_id, day_key, instance_id, expires_at) VALUES (?, ?, 'dead-node', ?)")) {
            for (int i = 0; i < budget; i++) {
                ps.setString(1, corp);
                ps.setString(2, day);
                ps.setLong(3, clock.millis() + Duration.ofMinutes(2).toMillis());
                ps.executeUpdate();
            }
        }
        sim.resetStats();
        ApiNode.Response held = a.resolve(corp, "19400000001");
        assertError(held, 429, "budget_exhausted", SECRET);
        assertEquals(0, sim.calls(GETUSERID, corp), "held reservations count against the budget");

        clock.advance(Duration.ofMinutes(3));
        assertError(a.resolve(corp, "19400000001"), 404, "not_found", SECRET);
        assertEquals(1, sim.calls(GETUSERID, corp), "an expired reservation no longer holds the budget");
        assertEquals(0, reservations(url, corp), "expired reservations are cleared");
    }

    private static int reservations(String url, String corp) throws Exception {
        try (Connection c = DriverManager.getConnection(url, TestDatabases.user(url), TestDatabases.password(url));
                PreparedStatement ps =
                        c.prepareStatement("SELECT COUNT(*) FROM resolve_reservation WHERE corp_id = ?")) {
            ps.setString(1, corp);
            try (var rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** getuserid failures WeCom counted: its "not found" errcodes, from the simulator's statistics. */
    private static long upstreamFailures() {
        JsonNode errors = sim.stats().path("errors");
        return NOT_FOUND_CODES.stream()
                .mapToLong(code -> errors.path(code).asLong(0))
                .sum();
    }
}
