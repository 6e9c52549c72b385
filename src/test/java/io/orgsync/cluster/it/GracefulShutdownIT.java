package io.orgsync.cluster.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.orgsync.testing.cluster.Cluster;
import io.orgsync.testing.cluster.NodeSpec;
import io.orgsync.testing.cluster.OrgsyncNode;
import io.orgsync.testing.cluster.RunRow;
import io.orgsync.testing.cluster.Waits;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SIGTERM of the node running a sync (a routine deploy), two {@code serve} processes on MariaDB
 * with an 8 s shutdown grace: a sync that ends within the grace SUCCEEDS on the stopping node; a
 * longer one is handed over when the grace is up: its run ends ABANDONED, the other node runs
 * the enterprise again within a minute and succeeds. No FAILED run, no sync_failed alert (the
 * simulator's robot receives the alerts), and the stopped node exits 0.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 4, unit = java.util.concurrent.TimeUnit.MINUTES)
class GracefulShutdownIT {
    private static final int GRACE_SECONDS = 8;
    private static final String QUICK = "wwgracequick";
    private static final String SLOW = "wwgraceslow";
    private static final String ROBOT = "graceful";
    private static Cluster cluster;
    private static OrgsyncNode a;
    private static OrgsyncNode b;

    @BeforeAll
    static void startCluster() {
        cluster = Cluster.create("it_graceful");
        String webhook = cluster.sim.baseUrl() + "/cgi-bin/webhook/send?key=" + ROBOT;
        List<OrgsyncNode> nodes = cluster.start(spec("grace-a", webhook), spec("grace-b", webhook));
        a = nodes.get(0);
        b = nodes.get(1);
        cluster.enterprise(a, QUICK, 4, 30, Cluster.NEVER);
        cluster.enterprise(a, SLOW, 24, 120, Cluster.NEVER);
    }

    private static NodeSpec spec(String name, String webhook) {
        return NodeSpec.scheduler(name).set("ORGSYNC_SHUTDOWN_GRACE_SECONDS", String.valueOf(GRACE_SECONDS))
                .set("ORGSYNC_ALERT_WEBHOOK", webhook);
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void aSyncThatEndsWithinTheGraceSucceedsOnTheStoppingNode() {
        // about 2.5 s of fetching: 4 departments at 600 ms each, well inside the grace
        cluster.sim.fault(Map.of("path", "/cgi-bin/user/list", "corpId", QUICK, "latencyMs", 600));
        cluster.triggerAccepted(a, QUICK, Duration.ofSeconds(30));
        RunRow run = cluster.awaitRun(QUICK, "the quick run to start", Duration.ofSeconds(30), r -> "RUNNING".equals(r.status()));
        OrgsyncNode victim = nodeOf(run);
        long signalledAt = System.currentTimeMillis();
        victim.terminate();
        Integer exit = victim.awaitExit(Duration.ofSeconds(30));
        cluster.sim.clearFaults();
        RunRow ended = cluster.db.runs(QUICK).stream().filter(r -> r.id() == run.id()).findFirst().orElseThrow();
        Cluster.report(String.format("GracefulShutdownIT: SIGTERM of %s during a %s-long sync: run %d %s after %.1f s, exit code %s",
                victim.name(), "2.5 s", run.id(), ended.status(), ((ended.finishedAt() == null ? System.currentTimeMillis() : ended.finishedAt())
                        - signalledAt) / 1000.0, exit));
        assertEquals("SUCCEEDED", ended.status(), ended.toString());
        assertTrue(ended.finishedAt() > signalledAt, "the run had ended before the signal: the test proves nothing " + ended);
        assertEquals(Integer.valueOf(0), exit, victim.name() + " exit code:\n" + victim.logTail(30));
        assertEquals(cluster.truth(QUICK).keySet(), cluster.db.members(QUICK).keySet());

        victim.start().awaitHealthy(Cluster.START_TIMEOUT);
    }

    @Test
    @Order(2)
    void aSyncStillRunningWhenTheGraceIsUpIsHandedOverAndRunsAgainElsewhere() {
        // about 15 s of fetching: 24 departments at 600 ms each, longer than the grace
        cluster.sim.fault(Map.of("path", "/cgi-bin/user/list", "corpId", SLOW, "latencyMs", 600));
        cluster.triggerAccepted(b, SLOW, Duration.ofSeconds(30));
        RunRow doomed = cluster.awaitRun(SLOW, "the slow run to start", Duration.ofSeconds(30), r -> "RUNNING".equals(r.status()));
        OrgsyncNode victim = nodeOf(doomed);
        OrgsyncNode survivor = victim == a ? b : a;
        Waits.sleep(Duration.ofSeconds(1)); // inside the fetch
        long signalledAt = System.currentTimeMillis();
        victim.terminate();

        RunRow handedOver = cluster.awaitRun(SLOW, "the stopping node's run to end", Duration.ofSeconds(60),
                r -> r.id() == doomed.id() && r.finished());
        cluster.sim.clearFaults(); // the run elsewhere goes at full speed
        Integer exit = victim.awaitExit(Duration.ofSeconds(30));
        RunRow rerun = cluster.awaitRun(SLOW, "a run of " + SLOW + " after the hand-over", Duration.ofSeconds(75),
                r -> r.id() > doomed.id() && r.finished());

        Map<String, Integer> statuses = new TreeMap<>();
        cluster.db.allRuns().stream().filter(r -> r.startedAt() >= signalledAt || r.id() == doomed.id())
                .forEach(r -> statuses.merge(r.status(), 1, Integer::sum));
        long failedAlerts = syncFailedAlerts();
        Cluster.report(String.format("GracefulShutdownIT: SIGTERM of %s %.1f s into a 15 s sync (grace %d s): its run %s after %.1f s (%s); "
                        + "%s started run %d %.1f s after that, %s; runs per status since the signal %s; sync_failed alerts %d; exit code %s",
                victim.name(), (signalledAt - doomed.startedAt()) / 1000.0, GRACE_SECONDS, handedOver.status(),
                (handedOver.finishedAt() - signalledAt) / 1000.0, handedOver.error(), rerun.instanceId(), rerun.id(),
                (rerun.startedAt() - handedOver.finishedAt()) / 1000.0, rerun.status(), statuses, failedAlerts, exit));

        assertEquals("ABANDONED", handedOver.status(), handedOver.toString());
        assertEquals("handed over: node stopping", handedOver.error());
        assertTrue(handedOver.finishedAt() - signalledAt >= (GRACE_SECONDS - 1) * 1000L, "the grace was not given: " + handedOver);
        assertEquals(survivor.name(), rerun.instanceId());
        assertTrue(rerun.startedAt() - handedOver.finishedAt() < 60_000, "the enterprise ran again only after a minute: " + rerun);
        assertEquals("SUCCEEDED", rerun.status(), rerun.toString());
        assertEquals(cluster.truth(SLOW).keySet(), cluster.db.members(SLOW).keySet());
        assertNotNull(exit, victim.name() + " still running 30 s after its run was handed over");
        assertEquals(0, exit.intValue(), victim.name() + " exit code:\n" + victim.logTail(30));
    }

    @Test
    @Order(3)
    void noPlannedStopFailedARunOrRaisedSyncFailed() {
        Map<String, Integer> statuses = new TreeMap<>();
        cluster.db.allRuns().forEach(r -> statuses.merge(r.status(), 1, Integer::sum));
        Cluster.report("GracefulShutdownIT: all runs per status " + statuses + "; sync_failed alerts " + syncFailedAlerts());
        assertEquals(0, cluster.db.allRuns().stream().filter(r -> "FAILED".equals(r.status())).count(), statuses.toString());
        assertEquals(0, syncFailedAlerts());
        // the quick sync ended within its grace: nothing was handed over, it ran once
        assertEquals(1, cluster.db.runs(QUICK).size(), cluster.db.runs(QUICK).toString());
    }

    private static OrgsyncNode nodeOf(RunRow run) {
        return run.instanceId().equals(a.name()) ? a : b;
    }

    private static long syncFailedAlerts() {
        long n = 0;
        for (JsonNode m : cluster.sim.webhookMessages(ROBOT)) {
            if (m.toString().contains("sync_failed")) {
                n++;
            }
        }
        return n;
    }
}
