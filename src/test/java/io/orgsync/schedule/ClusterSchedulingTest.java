package io.orgsync.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.orgsync.Node;
import io.orgsync.NodeInternals;
import io.orgsync.enterprise.EnterpriseChange;
import io.orgsync.error.Refusal;
import io.orgsync.error.RefusedException;
import io.orgsync.sync.Run;
import io.orgsync.sync.RunStatus;
import io.orgsync.testing.MutableClock;
import io.orgsync.testing.SimulatorControl;
import io.orgsync.testing.TestDatabases;
import io.orgsync.testing.TestNode;
import io.orgsync.testing.Waiting;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Quartz clusters on MariaDB, several nodes in one JVM, each with its own pools: two started
 * schedulers of one environment never run one enterprise at once and share the runs; two
 * environments on one database never run each other's jobs; a scheduler that is never started
 * pauses, resumes and triggers jobs that a started one runs. Before a trigger, the cluster's time
 * is moved past the quiet second after the enterprise's last run (see {@link #pastQuietSecond}),
 * instead of every run waiting it out.
 */
class ClusterSchedulingTest {
    private static final String SECRET = "cluster-secret-0123456789";
    private static final int RATE = 50;
    private static SimulatorControl sim;
    private static String db;
    private final List<Node> nodes = new ArrayList<>();
    /** The cluster's time, which {@link #pastQuietSecond} moves on. */
    private final MutableClock clock = new MutableClock();

    @BeforeAll
    static void start() {
        db = TestDatabases.mariadb("sched_cluster");
        sim = new SimulatorControl();
        for (String corp : List.of("ww-cluster", "ww-env-a", "ww-env-b", "ww-api-only", "ww-all-paused")) {
            sim.createCorp(corp, SECRET, 6, 40, true);
        }
        // the simulator answers 45009 to department calls above the rate: a run that broke it would fail
        sim.limits(Map.of("deptCallsPerSecond", RATE));
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    @AfterEach
    void closeNodes() {
        nodes.forEach(Node::close);
    }

    @Test
    void twoSchedulersOfOneEnvironmentNeverOverlapAndBothTakeRuns() throws Exception {
        Node a = node("cluster", "cluster-a", true);
        Node b = node("cluster", "cluster-b", true);
        a.enterprises().put("ww-cluster", new EnterpriseChange("Cluster", SECRET, TestNode.NEVER, true, null));
        sim.resetStats();

        // twenty triggers, in pairs sent to both nodes at once (which node goes first alternates):
        // both schedulers then want to fire the same job at the same moment
        int accepted = 0;
        for (int round = 0; accepted < 20; round++) {
            Node first = round % 2 == 0 ? a : b;
            Node second = first == a ? b : a;
            accepted += trigger(first, "ww-cluster");
            if (accepted < 20) {
                accepted += trigger(second, "ww-cluster");
            }
        }
        List<Run> runs = Waiting.await(Duration.ofSeconds(120), "20 finished runs", () -> {
            List<Run> all = NodeInternals.runs(a).list("ww-cluster", 100);
            return all.size() == 20 && all.stream().allMatch(r -> r.finishedAt() != null) ? all : null;
        });

        runs = new ArrayList<>(runs);
        runs.sort(Comparator.comparingLong(Run::startedAt));
        Map<String, Integer> split = new TreeMap<>();
        for (int i = 0; i < runs.size(); i++) {
            Run r = runs.get(i);
            assertEquals(RunStatus.SUCCEEDED, r.status(), r.id() + ": " + r.error());
            split.merge(r.instanceId(), 1, Integer::sum);
            if (i > 0) {
                Run before = runs.get(i - 1);
                assertTrue(
                        r.startedAt() >= before.finishedAt(),
                        "run " + r.id() + " on " + r.instanceId() + " started at " + r.startedAt() + " before run "
                                + before.id() + " on " + before.instanceId() + " finished at " + before.finishedAt());
            }
        }
        System.out.println("Runs per node out of 20: " + split);
        assertEquals(2, split.size(), "both nodes took runs: " + split);

        JsonNode stats = sim.stats();
        assertEquals(
                1,
                stats.path("peakDeptConcurrency").path("ww-cluster").asInt(),
                "department calls overlapped: " + stats);
        int peak = stats.path("peakDeptCallsPerSecond").path("ww-cluster").asInt();
        assertTrue(peak <= RATE, peak + " department calls in one second, rate " + RATE);
        assertEquals(0, stats.path("errors").path("45009").asInt(0), "45009 answered: " + stats.path("errors"));
    }

    @Test
    void twoEnvironmentsOnOneDatabaseNeverRunEachOthersJobs() throws Exception {
        Node alpha = node("alpha", "alpha-1", true);
        Node beta = node("beta", "beta-1", true);
        alpha.enterprises().put("ww-env-a", new EnterpriseChange("A", SECRET, TestNode.NEVER, true, null));
        beta.enterprises().put("ww-env-b", new EnterpriseChange("B", SECRET, TestNode.NEVER, true, null));

        assertEquals(
                "ww-env-a",
                assertThrows(
                                UnknownJobException.class,
                                () -> beta.scheduler().jobs().trigger("ww-env-a", false))
                        .corpId(),
                "beta has no job for alpha's enterprise");
        assertEquals(
                Refusal.UNKNOWN_CORP,
                assertThrows(
                                UnknownJobException.class,
                                () -> alpha.scheduler().jobs().pause("ww-env-b"))
                        .reason());
        assertEquals(
                Refusal.CONFLICT,
                assertThrows(
                                RefusedException.class,
                                () -> beta.enterprises()
                                        .put("ww-env-a", new EnterpriseChange("taken", null, null, null, null)))
                        .reason());
        // a restarted beta node reconciles its jobs against its own enterprises: alpha's job survives
        nodes.remove(beta);
        beta.close();
        Node beta2 = node("beta", "beta-2", true);
        assertEquals("NORMAL", alpha.scheduler().jobs().view("ww-env-a").state());

        for (int i = 0; i < 3; i++) {
            runAndWait(alpha, "ww-env-a", i + 1);
            runAndWait(beta2, "ww-env-b", i + 1);
        }
        assertTrue(
                NodeInternals.runs(alpha).list("ww-env-a", 10).stream()
                        .allMatch(r -> r.instanceId().equals("alpha-1")),
                "alpha's enterprise ran only on alpha's scheduler");
        assertTrue(
                NodeInternals.runs(beta2).list("ww-env-b", 10).stream()
                        .allMatch(r -> r.instanceId().startsWith("beta-")),
                "beta's enterprise ran only on beta's scheduler");
    }

    @Test
    void aNeverStartedSchedulerPausesAndTriggersJobsThatAStartedOneRuns() throws Exception {
        Node api = node("gamma", "gamma-api", false);
        Node worker = node("gamma", "gamma-worker", true);
        assertFalse(api.scheduler().started());
        api.enterprises().put("ww-api-only", new EnterpriseChange("API only", SECRET, TestNode.NEVER, true, null));

        assertEquals("PAUSED", api.scheduler().jobs().pause("ww-api-only").state());
        assertEquals(
                "PAUSED", worker.scheduler().jobs().view("ww-api-only").state(), "the pause is in the shared tables");
        assertEquals(
                JobConflictException.Conflict.PAUSED,
                assertThrows(
                                JobConflictException.class,
                                () -> api.scheduler().jobs().trigger("ww-api-only", false))
                        .conflict());
        api.scheduler().jobs().trigger("ww-api-only", true);
        Run forced = awaitRuns(api, "ww-api-only", 1);
        assertEquals(
                "PAUSED", worker.scheduler().jobs().view("ww-api-only").state(), "a forced run leaves the job paused");

        assertEquals("NORMAL", api.scheduler().jobs().resume("ww-api-only").state());
        pastQuietSecond("ww-api-only");
        api.scheduler().jobs().trigger("ww-api-only", false);
        Run resumed = awaitRuns(api, "ww-api-only", 2);
        for (Run r : List.of(forced, resumed)) {
            assertEquals(RunStatus.SUCCEEDED, r.status(), r.error());
            assertEquals("gamma-worker", r.instanceId(), "the API-only node runs nothing");
        }
    }

    @Test
    void aForcedTriggerRunsWhileTheWholeEnvironmentIsPaused() throws Exception {
        Node api = node("delta", "delta-api", false);
        Node worker = node("delta", "delta-worker", true);
        api.enterprises().put("ww-all-paused", new EnterpriseChange("All paused", SECRET, TestNode.NEVER, true, null));

        api.scheduler().jobs().pauseAll();
        assertEquals("PAUSED", worker.scheduler().jobs().view("ww-all-paused").state());
        assertEquals(
                JobConflictException.Conflict.PAUSED,
                assertThrows(
                                JobConflictException.class,
                                () -> api.scheduler().jobs().trigger("ww-all-paused", false))
                        .conflict());
        api.scheduler().jobs().trigger("ww-all-paused", true);
        Run forced = awaitRuns(api, "ww-all-paused", 1);
        assertEquals(RunStatus.SUCCEEDED, forced.status(), forced.error());
        assertEquals("PAUSED", worker.scheduler().jobs().view("ww-all-paused").state(), "the environment stays paused");

        api.scheduler().jobs().resumeAll();
        assertEquals("NORMAL", worker.scheduler().jobs().view("ww-all-paused").state());
    }

    private Node node(String env, String instanceId, boolean executes) throws Exception {
        Node node = TestNode.on(db, sim.baseUrl())
                .with("ORGSYNC_ENV", env)
                .with("ORGSYNC_INSTANCE_ID", instanceId)
                .with("ORGSYNC_SCHEDULER_ENABLED", executes)
                .with("ORGSYNC_DEPT_RATE", RATE)
                .with("ORGSYNC_SYNC_THREADS", 2)
                .start(clock);
        nodes.add(node);
        return node;
    }

    /**
     * A run of the enterprise waits for a second after its last run ended (the end of one run and
     * the start of the next must not add up to more than the department rate in one second):
     * when the last run has ended, the cluster's time is moved on past that second instead, and
     * every node beats at the moved time (so that none looks silent to the others). A run that
     * starts meanwhile waits out the rest of its second as usual. The rate is not at stake here:
     * a run makes 7 department calls, at 50 a second.
     */
    private void pastQuietSecond(String corp) throws Exception {
        Node any = nodes.get(0);
        Run last = NodeInternals.runs(any).last(corp).orElse(null);
        if (last == null || last.finishedAt() == null) {
            return;
        }
        long left = last.finishedAt() + 1000 - any.clock().millis();
        if (left > 0) {
            clock.advance(Duration.ofMillis(left + 1));
            for (Node n : nodes) {
                NodeInternals.nodeRegistry(n).tick();
            }
        }
    }

    /** 1 when the trigger was accepted; 0 after waiting out a 409 for a running job (the caller tries again). */
    private int trigger(Node node, String corp) throws Exception {
        pastQuietSecond(corp);
        try {
            node.scheduler().jobs().trigger(corp, false);
            return 1;
        } catch (JobConflictException e) {
            assertEquals(Refusal.CONFLICT, e.reason(), e.getMessage());
            Waiting.until(
                    Duration.ofSeconds(30),
                    "the run of " + corp + " to end",
                    () -> !NodeInternals.runs(node).running(corp));
            return 0;
        }
    }

    private void runAndWait(Node node, String corp, int count) throws Exception {
        pastQuietSecond(corp);
        node.scheduler().jobs().trigger(corp, false);
        Run last = awaitRuns(node, corp, count);
        assertEquals(RunStatus.SUCCEEDED, last.status(), last.error());
    }

    /** The newest run once the enterprise has {@code count} finished runs. */
    private static Run awaitRuns(Node node, String corp, int count) throws Exception {
        return Waiting.await(Duration.ofSeconds(30), count + " finished runs of " + corp, () -> {
            List<Run> all = NodeInternals.runs(node).list(corp, 100);
            return all.size() == count && all.get(0).finishedAt() != null ? all.get(0) : null;
        });
    }
}
