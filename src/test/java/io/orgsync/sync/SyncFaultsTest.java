package io.orgsync.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.orgsync.Node;
import io.orgsync.enterprise.EnterpriseChange;
import io.orgsync.testing.MutableClock;
import io.orgsync.testing.OrgDump;
import io.orgsync.testing.OrgTruth;
import io.orgsync.testing.SimulatorControl;
import io.orgsync.testing.TestDatabases;
import io.orgsync.testing.TestNode;
import io.orgsync.testing.Waiting;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Faults injected by the simulator in the middle of a run (after the third department): the run
 * either ends correct (the database equals the export) or FAILED with every stored row exactly as
 * before and an alert raised; either way the next run, without the fault, is correct. Also a
 * database error in the middle of the apply step, after some rows were already written.
 */
class SyncFaultsTest {
    private static final String SECRET = "faults-secret-0123456789";
    private static final String USER_LIST = "/cgi-bin/user/list";
    private static final AtomicInteger CORPS = new AtomicInteger();
    private static final Map<String, String> DATABASES = new HashMap<>();

    @RegisterExtension
    static final SimulatorControl sim = new SimulatorControl();
    /** Moved a second ahead before each run, instead of waiting out the quiet second between runs. */
    private final MutableClock clock = new MutableClock();

    private Node node;

    /**
     * A fault and how the run must end under it; {@code spent}: how much of its deadline the run
     * has used when the fault starts (the node's clock is moved on by it, instead of the test
     * spending it on calls before the fault).
     */
    record Fault(String name, Map<String, Object> spec, RunStatus expected, Duration spent) {
        Fault(String name, Map<String, Object> spec, RunStatus expected) {
            this(name, spec, expected, Duration.ZERO);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> faults() {
        List<Fault> faults = List.of(
                new Fault("system busy twice, retried", Map.of("errcode", -1, "count", 2), RunStatus.SUCCEEDED),
                new Fault("system busy past the retries", Map.of("errcode", -1, "count", 4), RunStatus.FAILED),
                new Fault("token rejected once, replaced", Map.of("errcode", 40014, "count", 1), RunStatus.SUCCEEDED),
                new Fault(
                        "token rejected again after replacing", Map.of("errcode", 40014, "count", 2), RunStatus.FAILED),
                new Fault(
                        "call limit reached, block outlasts the deadline",
                        Map.of("errcode", 45009, "count", 1),
                        RunStatus.FAILED),
                new Fault(
                        "connection dropped once, retried",
                        Map.of("dropConnection", true, "count", 1),
                        RunStatus.SUCCEEDED),
                new Fault(
                        "connection dropped past the retries",
                        Map.of("dropConnection", true, "count", 4),
                        RunStatus.FAILED),
                // 8 s of the 10 s deadline gone at the fault: the first slow call takes the run past it
                new Fault(
                        "slow upstream past the run deadline",
                        Map.of("latencyMs", 2500),
                        RunStatus.FAILED,
                        Duration.ofSeconds(8)));
        List<Arguments> out = new ArrayList<>();
        for (String dialect : List.of("h2", "mariadb")) {
            for (Fault f : faults) {
                // the deadline check is before any database work: one dialect is enough for the slow case
                if (!(dialect.equals("h2") && f.spec().containsKey("latencyMs"))) {
                    out.add(Arguments.of(dialect, f));
                }
            }
        }
        return out.stream();
    }

    @AfterEach
    void closeNode() {
        sim.clearFaults();
        if (node != null) {
            node.close();
        }
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("faults")
    void aFaultMidRunEndsCorrectOrFailedWithTheDataIntact(String dialect, Fault fault) throws Exception {
        String corp = "ww-fault-" + CORPS.incrementAndGet();
        String robot = corp + "-alerts";
        String db = DATABASES.computeIfAbsent(dialect, d -> TestDatabases.url(d, "sync_faults"));
        node = startNode(db, robot);
        syncedThenChanged(corp);
        OrgDump before = OrgDump.of(node.dataSource(), corp);

        Map<String, Object> spec = new HashMap<>(fault.spec());
        spec.put("path", USER_LIST);
        spec.put("corpId", corp);
        clock.advance(Duration.ofSeconds(1));
        Run run = node.sync(corp, (c, done, total) -> {
            if (done == 3) {
                clock.advance(fault.spent());
                sim.fault(spec);
            }
        });

        assertEquals(fault.expected(), run.status(), run.error());
        if (run.status() == RunStatus.SUCCEEDED) {
            assertStoredEqualsExport(corp);
        } else {
            assertEquals(before, OrgDump.of(node.dataSource(), corp), "a failed run changed stored rows");
            assertTrue(run.error() != null && !run.error().isBlank());
            awaitAlert(sim, robot, corp);
        }
        assertEquals(1, sim.stats().path("peakDeptConcurrency").path(corp).asInt(), "department calls overlapped");

        // the fault gone, the next run (on a fresh node: a 45009 block is remembered for a minute) is correct
        sim.clearFaults();
        node.close();
        node = startNode(db, robot);
        Run next = run(corp);
        assertEquals(RunStatus.SUCCEEDED, next.status(), next.error());
        assertStoredEqualsExport(corp);
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"h2", "mariadb"})
    void aDatabaseErrorHalfwayThroughTheApplyRollsBackEveryRow(String dialect) throws Exception {
        String corp = "ww-fault-" + CORPS.incrementAndGet();
        String robot = corp + "-alerts";
        node = startNode(DATABASES.computeIfAbsent(dialect, d -> TestDatabases.url(d, "sync_faults")), robot);
        List<String> userids = syncedThenChanged(corp);
        // a position longer than the column: the departments and new members are written first,
        // then this update fails, so the transaction has something to undo
        sim.send(
                "PATCH",
                "/__sim/corps/" + corp + "/members/" + userids.get(20),
                Map.of("position", "很长的职位".repeat(60)));
        OrgDump before = OrgDump.of(node.dataSource(), corp);

        Run run = run(corp);

        assertEquals(RunStatus.FAILED, run.status());
        assertEquals(before, OrgDump.of(node.dataSource(), corp), "a failed apply left rows changed");
        assertFalse(
                run.error().toUpperCase().contains("UPDATE MEMBER")
                        || run.error().toUpperCase().contains("INSERT INTO"),
                "no SQL in the run's error (it shows in the admin API and the alert): " + run.error());
        String alert = awaitAlert(sim, robot, corp);
        assertFalse(alert.toUpperCase().contains("UPDATE MEMBER"), "no SQL in the alert: " + alert);
    }

    private Node startNode(String db, String robot) throws Exception {
        return TestNode.on(db, sim.baseUrl())
                .with("ORGSYNC_DEPT_RATE", 200)
                .with("ORGSYNC_SYNC_DEADLINE_SECONDS", 10)
                .alertsTo(sim.baseUrl(), robot)
                .start(clock);
    }

    private Run run(String corp) throws Exception {
        clock.advance(Duration.ofSeconds(1));
        return node.sync(corp, SyncProgress.NONE);
    }

    /** A synced enterprise whose upstream org then changed, so that a run that applies anything shows. */
    private List<String> syncedThenChanged(String corp) throws Exception {
        sim.createCorp(corp, SECRET, 12, 150, true);
        node.enterprises().put(corp, new EnterpriseChange(corp, SECRET, TestNode.NEVER, true, null));
        Run first = run(corp);
        assertEquals(RunStatus.SUCCEEDED, first.status(), first.error());
        assertStoredEqualsExport(corp);

        List<String> userids = new ArrayList<>();
        sim.export(corp)
                .path("members")
                .forEach(m -> userids.add(m.path("userid").asText()));
        String base = "/__sim/corps/" + corp;
        for (int i = 0; i < 10; i++) {
            sim.send("PATCH", base + "/members/" + userids.get(i), Map.of("name", "新名字" + i));
        }
        sim.send("DELETE", base + "/members/" + userids.get(10), null);
        sim.post(
                base + "/members",
                Map.of("userid", "newcomer", "name", "新人", "department", List.of(2), "mobile", "13900000009"));
        sim.send("PATCH", base + "/departments/2", Map.of("name", "新部门名"));
        return userids;
    }

    private void assertStoredEqualsExport(String corp) throws Exception {
        List<String> differences =
                OrgTruth.fromExport(sim.export(corp)).diff(OrgTruth.fromDatabase(node.dataSource(), corp));
        assertTrue(differences.isEmpty(), OrgTruth.describe(differences));
    }

    /** The text of the sync_failed or sync_refused alert the robot received for the corp (alerts go out off the sync thread). */
    static String awaitAlert(SimulatorControl sim, String robot, String corp) throws Exception {
        return Waiting.await(Duration.ofSeconds(10), "a sync alert for " + corp + " at the robot", () -> {
            for (var m : sim.webhookMessages(robot)) {
                String text = m.path("message").path("text").path("content").asText();
                if (text.contains(corp) && (text.contains("sync_failed") || text.contains("sync_refused"))) {
                    return text;
                }
            }
            return null;
        });
    }
}
