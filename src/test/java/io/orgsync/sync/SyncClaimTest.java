package io.orgsync.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.orgsync.Node;
import io.orgsync.NodeInternals;
import io.orgsync.alert.AlertRecord;
import io.orgsync.enterprise.EnterpriseChange;
import io.orgsync.testing.AdminClient;
import io.orgsync.testing.OrgTruth;
import io.orgsync.testing.RunRows;
import io.orgsync.testing.SimulatorControl;
import io.orgsync.testing.TestDatabases;
import io.orgsync.testing.TestNode;
import io.orgsync.testing.Waiting;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One enterprise's runs on two nodes sharing MariaDB. A run started while a run of the enterprise
 * still goes on (Quartz firing one job on two nodes, #674) yields before its first upstream call,
 * saying to which run; only a claim whose run no longer goes on (its node silent or gone, no
 * progress, Quartz recovering a dead node's job) is taken over, and the run that lost it says
 * which run took over and why. A run that is no longer its enterprise's current one stops calling
 * WeCom within a second: when a second node's run takes the claim over from a node that stalled
 * past its heartbeat, and when the enterprise is deleted through the admin API of the other node,
 * also when it is re-created at once. The runs are slow (every member list takes 50 ms, at 20 a
 * second), so that a run going on to its apply would be seen calling for seconds. The nodes of
 * each test share the class's database; each test has an enterprise of its own.
 */
class SyncClaimTest {
    private static final int RATE = 20;
    private static final int DEPARTMENTS = 60;
    private static final String SECRET = "claim-secret-0123456789";
    private static final String TOKEN = "claim-admin-token-0123456789";
    private static final String USER_LIST = "/cgi-bin/user/list";
    private static final String DEPARTMENT_LIST = "/cgi-bin/department/list";
    private static final AtomicInteger CORPS = new AtomicInteger();

    @RegisterExtension
    static final SimulatorControl sim = new SimulatorControl();

    private static String db;
    private final ExecutorService pool = Executors.newCachedThreadPool();
    private Node nodeA;
    private Node nodeB;
    private String corp;

    @BeforeAll
    static void createDatabase() {
        db = TestDatabases.mariadb("sync_claim");
    }

    @BeforeEach
    void start() throws Exception {
        nodeA = node("node-a", db);
        nodeB = node("node-b", db);
        corp = "ww-claim-" + CORPS.incrementAndGet();
        sim.createCorp(corp, SECRET, DEPARTMENTS, 6 * DEPARTMENTS, true);
        nodeA.enterprises().put(corp, new EnterpriseChange(corp, SECRET, TestNode.NEVER, true, null));
        sim.fault(Map.of("path", USER_LIST, "corpId", corp, "latencyMs", 50));
        sim.resetStats();
    }

    @AfterEach
    void stop() {
        pool.shutdownNow();
        nodeA.close();
        nodeB.close();
    }

    @Test
    void aRunStartedWhileALiveRunHoldsTheClaimYieldsBeforeItsFirstUpstreamCall() throws Exception {
        SlowRun first = startSlowRun(nodeA);

        // Quartz firing the same job on a second node while the first runs (#674): node B's job runs the sync
        Run second = nodeB.sync(corp, SyncProgress.NONE);
        Ended ended = first.end(System.nanoTime());
        JsonNode stats = sim.stats();
        System.out.printf(
                "[claim] fired twice: second run %s (%s); first run %s; calls %s%n",
                second.status(), second.error(), ended, stats.path("calls"));

        assertEquals(RunStatus.ABANDONED, second.status(), String.valueOf(second.error()));
        assertTrue(
                second.error().startsWith("yielded")
                        && second.error().contains("run " + first.runId())
                        && second.error().contains("node-a"),
                second.error());
        assertEquals(0, second.upstreamCalls(), "the yielding run's own count");
        Run done = ended.run();
        assertEquals(RunStatus.SUCCEEDED, done.status(), done.error());
        // the upstream saw one run's calls: the department tree once, each department's members once
        assertEquals(1, sim.calls(DEPARTMENT_LIST, corp), "department-list calls; " + stats);
        assertEquals(DEPARTMENTS, userListCalls(), "member-list calls; " + stats);
        assertEquals(1, stats.path("peakDeptConcurrency").path(corp).asInt(), stats.toString());
        Run row = NodeInternals.runner(nodeA).runs().find(second.id()).orElseThrow();
        assertEquals(second.error(), row.error(), "the yielding run's row");
    }

    @Test
    void aRunWhoseClaimPassesToAnotherNodesRunStopsCallingWithinASecond() throws Exception {
        NodeInternals.runWatch(nodeB)
                .close(); // it would end the row first, with a reason of its own: this test is about the start
        SlowRun old = startSlowRun(nodeA);
        // node A stalls (a long GC pause, Quartz #176): its heartbeat stops and its last one ages past the window
        looksDead(nodeA, "node-a");

        long atTakeover = userListCalls();
        long takenAt = System.nanoTime();
        long newer = NodeInternals.runner(nodeB)
                .runs()
                .start(corp, "node-b", nodeB.clock().millis(), false, false)
                .runId();
        Ended ended = old.end(takenAt);
        long afterTakeover = settledCalls() - atTakeover;

        System.out.printf(
                "[claim] superseded: %d member-list calls after the takeover, run ended %.2f s after it: %s%n",
                afterTakeover, ended.seconds(), ended);
        assertTrue(
                afterTakeover <= RATE,
                afterTakeover + " member-list calls after the claim passed to run " + newer
                        + " (at most a second's worth, " + RATE + ")");
        assertTrue(ended.seconds() < 5, "the run ended " + ended.seconds() + " s after losing its claim");
        Run stopped = ended.run();
        assertEquals(RunStatus.ABANDONED, stopped.status(), stopped.error());
        Run oldRow = NodeInternals.runner(nodeB).runs().find(old.runId()).orElseThrow();
        assertEquals(RunStatus.ABANDONED, oldRow.status(), "the old run's row");
        assertTrue(
                oldRow.error().contains("run " + newer + " on node-b took over")
                        && oldRow.error().contains("node-a showed no heartbeat"),
                oldRow.error());
        assertEquals(oldRow.error(), stopped.error(), "the run answers what its row says");
        assertEquals(
                RunStatus.RUNNING,
                NodeInternals.runner(nodeB).runs().find(newer).orElseThrow().status(),
                "the newer run is untouched");
        assertEquals(0, rows("member"), "the superseded run applied nothing");
    }

    @Test
    void claimsOfRunsThatNoLongerGoOnAreTakenOverSayingWhy() throws Exception {
        // the run watches would end the rows first (with reasons of their own): this test is about the start
        NodeInternals.runWatch(nodeA).close();
        NodeInternals.runWatch(nodeB).close();
        long now = nodeA.clock().millis();
        long gone = runningRow("node-gone", now - 60_000, now - 30_000);
        long stalled = runningRow("node-a", now - 600_000, now - 180_000);

        long taking = NodeInternals.runner(nodeB)
                .runs()
                .start(corp, "node-b", nodeB.clock().millis(), false, false)
                .runId();

        Run ofGone = NodeInternals.runner(nodeB).runs().find(gone).orElseThrow();
        Run ofStalled = NodeInternals.runner(nodeB).runs().find(stalled).orElseThrow();
        System.out.printf("[claim] stale claims: %s; %s%n", ofGone.error(), ofStalled.error());
        assertEquals(
                RunStatus.RUNNING,
                NodeInternals.runner(nodeB).runs().find(taking).orElseThrow().status());
        assertEquals(RunStatus.ABANDONED, ofGone.status());
        assertEquals(
                "abandoned: run " + taking
                        + " on node-b took over the enterprise, as its node node-gone is not in the cluster any more",
                ofGone.error());
        assertEquals(RunStatus.ABANDONED, ofStalled.status());
        assertEquals(
                "abandoned: run " + taking + " on node-b took over the enterprise, as it showed no progress for 180 s",
                ofStalled.error());

        // a "recovery" of a node that beat a moment ago (Quartz on a node whose clock runs ahead) yields
        long looksAlive =
                runningRow("node-a", nodeA.clock().millis(), nodeA.clock().millis());
        // (it waits for the node's next heartbeat, which shows it alive)
        Run early = NodeInternals.runner(nodeB).run(corp, SyncProgress.NONE, true);
        assertEquals(RunStatus.ABANDONED, early.status(), early.error());
        assertTrue(early.error().startsWith("yielded: run " + looksAlive), early.error());
        assertEquals(
                RunStatus.RUNNING,
                NodeInternals.runner(nodeB)
                        .runs()
                        .find(looksAlive)
                        .orElseThrow()
                        .status());

        // Quartz recovers the job of a node its cluster found dead before the heartbeat's window ends
        silence(nodeA, "node-a", 12_000);
        long recovering = NodeInternals.runner(nodeB)
                .runs()
                .start(corp, "node-b", nodeB.clock().millis(), false, true)
                .runId();
        Run ofRecovered = NodeInternals.runner(nodeB).runs().find(looksAlive).orElseThrow();
        assertEquals(RunStatus.ABANDONED, ofRecovered.status());
        assertTrue(
                ofRecovered
                        .error()
                        .startsWith(
                                "abandoned: run " + recovering
                                        + " on node-b took over the enterprise, as the Quartz cluster found its node node-a dead"),
                ofRecovered.error());
    }

    @Test
    void deletingTheEnterpriseMidRunStopsItsCallsAndAppliesNothing() throws Exception {
        SlowRun old = startSlowRun(nodeA);
        AdminClient admin = admin(nodeB);

        long atDelete = userListCalls();
        long deletedAt = System.nanoTime();
        AdminClient.Reply deleted = admin.delete("/admin/api/enterprises/" + corp);
        assertTrue(deleted.status() / 100 == 2, deleted.toString());
        Ended ended = old.end(deletedAt);
        long afterDelete = settledCalls() - atDelete;

        System.out.printf(
                "[claim] deleted: %d member-list calls after the delete, run ended %.2f s after it: %s%n",
                afterDelete, ended.seconds(), ended);
        assertTrue(afterDelete <= 2 * RATE, afterDelete + " member-list calls after the enterprise was deleted");
        assertTrue(ended.seconds() < 5, "the run ended " + ended.seconds() + " s after the delete");
        Run stopped = ended.run();
        assertEquals(RunStatus.ABANDONED, stopped.status(), stopped.error());
        assertTrue(stopped.error().contains("deleted"), stopped.error());
        Run row = NodeInternals.runner(nodeA).runs().find(old.runId()).orElseThrow();
        assertEquals(RunStatus.ABANDONED, row.status());
        assertTrue(row.error().contains("deleted"), row.error());
        assertEquals(0, rows("member") + rows("department"), "nothing stored for the deleted enterprise");
        // a deliberate delete is no failure: no sync_failed alert, neither recorded (as the run ends) nor sent
        // (alerts leave on a thread of their own, which a closing node lets finish)
        for (AlertRecord a : nodeA.alerts().recent(100)) {
            assertFalse(a.subject().equals(corp) && a.type().equals("sync_failed"), a.toString());
        }
        nodeA.close();
        for (JsonNode m : sim.webhookMessages("node-a-alerts")) {
            String text = m.path("message").path("text").path("content").asText();
            assertFalse(text.contains(corp) && text.contains("sync_failed"), text);
        }
    }

    @Test
    void anEnterpriseReCreatedMidRunSyncsWithoutOverlappingTheDeletedOnesRun() throws Exception {
        SlowRun old = startSlowRun(nodeA);
        deleteAndReCreate(admin(nodeB));
        Future<Run> fresh = pool.submit(() -> nodeB.sync(corp, SyncProgress.NONE));

        Ended ended = old.end(System.nanoTime());
        Run next = fresh.get(60, TimeUnit.SECONDS);
        JsonNode stats = sim.stats();
        int concurrency = stats.path("peakDeptConcurrency").path(corp).asInt();
        System.out.printf(
                "[claim] re-created: old run %s; new run %s; peak department calls in flight at once %d%n",
                ended, next.status(), concurrency);
        assertEquals(1, concurrency, "the two runs' department calls overlapped; " + stats);
        Run stopped = ended.run();
        assertEquals(RunStatus.ABANDONED, stopped.status(), stopped.error());
        assertEquals(RunStatus.SUCCEEDED, next.status(), next.error());
        sim.clearFaults();
        List<String> differences =
                OrgTruth.fromExport(sim.export(corp)).diff(OrgTruth.fromDatabase(nodeB.dataSource(), corp));
        assertTrue(differences.isEmpty(), OrgTruth.describe(differences));
    }

    @Test
    void aRunWhoseEnterpriseIsReCreatedAndNotYetSyncedStopsWithoutFailing() throws Exception {
        // the re-created enterprise's row has no current run until its first sync claims it: the old run's
        // check-in reads that empty claim (it once threw a NullPointerException there: a FAILED run and an alert)
        SlowRun old = startSlowRun(nodeA);
        deleteAndReCreate(admin(nodeB));

        Run stopped = old.end(System.nanoTime()).run();
        // the delete ended the run's row; the run itself stops at its next check-in, without a failure of its own
        assertEquals(RunStatus.ABANDONED, stopped.status(), stopped.error());
        assertEquals(0, rows("member") + rows("department"), "the old run applied nothing to the new enterprise");
        for (AlertRecord a : nodeA.alerts().recent(100)) {
            assertFalse(a.subject().equals(corp) && a.type().equals("sync_failed"), a.toString());
        }
    }

    /** Deletes the enterprise and registers it again at once, through the admin API. */
    private void deleteAndReCreate(AdminClient admin) throws Exception {
        assertTrue(admin.delete("/admin/api/enterprises/" + corp).status() / 100 == 2);
        AdminClient.Reply created = admin.put(
                "/admin/api/enterprises/" + corp,
                Map.of("name", "Re-created", "secret", SECRET, "cron", TestNode.NEVER));
        assertTrue(created.status() / 100 == 2, created.toString());
    }

    /** A run on {@code node} in the background, returned once it has fetched a few departments. */
    private SlowRun startSlowRun(Node node) throws Exception {
        CountDownLatch fetching = new CountDownLatch(3);
        Future<Run> run = pool.submit(() -> node.sync(corp, (c, done, total) -> fetching.countDown()));
        assertTrue(fetching.await(30, TimeUnit.SECONDS), "the run fetches");
        return new SlowRun(
                run,
                Waiting.await(
                        Duration.ofSeconds(10),
                        "the run's row",
                        () -> NodeInternals.runner(node)
                                .runs()
                                .last(corp)
                                .filter(r -> r.status() == RunStatus.RUNNING)
                                .map(Run::id)
                                .orElse(null)));
    }

    private record SlowRun(Future<Run> run, long runId) {
        /** Waits for the run to end, however it ends; {@code since} is the System.nanoTime the seconds count from. */
        Ended end(long since) throws InterruptedException, TimeoutException {
            try {
                Run r = run.get(60, TimeUnit.SECONDS);
                return new Ended(r, null, (System.nanoTime() - since) / 1e9);
            } catch (ExecutionException e) {
                return new Ended(null, e.getCause(), (System.nanoTime() - since) / 1e9);
            }
        }
    }

    /** How a background run ended: its run, or what it threw. */
    private record Ended(Run run, Throwable thrown, double seconds) {
        @Override
        public Run run() {
            if (thrown != null) {
                throw new AssertionError("the run threw " + thrown, thrown);
            }
            return run;
        }

        @Override
        public String toString() {
            return thrown != null ? "threw " + thrown : run.status() + " (" + run.error() + ")";
        }
    }

    /** A RUNNING row of the enterprise on {@code instanceId}, made its current run, as a run that stopped leaves it. */
    private long runningRow(String instanceId, long startedAt, long progressAt) throws Exception {
        try (Connection c = nodeA.dataSource().getConnection()) {
            return RunRows.running(c, corp, instanceId, startedAt, progressAt);
        }
    }

    /** The node's heartbeat stops, and its last one is older than the window in which a node counts as alive. */
    private static void looksDead(Node node, String instanceId) throws Exception {
        silence(node, instanceId, 60_000);
    }

    /** The node's heartbeat stops, its last one {@code millis} before now. */
    private static void silence(Node node, String instanceId, long millis) throws Exception {
        NodeInternals.nodeRegistry(node).close();
        synchronized (NodeInternals.nodeRegistry(node)) {
            // a heartbeat under way when the ticker stopped has written by now
        }
        try (Connection c = node.dataSource().getConnection();
                PreparedStatement ps =
                        c.prepareStatement("UPDATE cluster_node SET last_seen = ? WHERE instance_id = ?")) {
            ps.setLong(1, node.clock().millis() - millis);
            ps.setString(2, instanceId);
            assertEquals(1, ps.executeUpdate());
        }
    }

    private long userListCalls() {
        return sim.calls(USER_LIST, corp);
    }

    /** The member-list calls of the corp once they have stopped growing for 1 s (a stopped run's in-flight call lands). */
    private long settledCalls() throws InterruptedException {
        long last = userListCalls();
        while (true) {
            Thread.sleep(1000);
            long now = userListCalls();
            if (now == last) {
                return now;
            }
            last = now;
        }
    }

    private int rows(String table) throws Exception {
        try (Connection c = nodeA.dataSource().getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM " + table + " WHERE corp_id = ?")) {
            ps.setString(1, corp);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private static AdminClient admin(Node node) {
        return new AdminClient("http://127.0.0.1:" + node.port(), TOKEN, AdminClient.newLog());
    }

    private static Node node(String name, String db) throws Exception {
        return TestNode.on(db, sim.baseUrl())
                .with("ORGSYNC_INSTANCE_ID", name)
                .with("ORGSYNC_DEPT_RATE", RATE)
                .with("ORGSYNC_ADMIN_TOKEN", TOKEN)
                // a recovering run waits for the next heartbeat of a node that looks alive: a second, not five
                .with("ORGSYNC_HEARTBEAT_MS", 1000)
                .alertsTo(sim.baseUrl(), name + "-alerts")
                .start();
    }
}
