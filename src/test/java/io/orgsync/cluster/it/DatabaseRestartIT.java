package io.orgsync.cluster.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.orgsync.testing.Waiting;
import io.orgsync.testing.cluster.Cluster;
import io.orgsync.testing.cluster.LookupProbe;
import io.orgsync.testing.cluster.MariaDbServer;
import io.orgsync.testing.cluster.NodeSpec;
import io.orgsync.testing.cluster.OrgsyncNode;
import io.orgsync.testing.cluster.RunRow;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * MariaDB restarted while a sync is running: every node comes back by itself (no node restart),
 * /health answers 200 again, the interrupted run ends, scheduled (cron) and triggered runs succeed
 * afterwards, the stored org equals the simulator's, and the read-only node answers lookups
 * except during the outage itself.
 *
 * <p>The server is shared with whatever else runs on the machine, so this test is opt-in outside
 * CI: {@code -Dorgsync.it.restartDatabase=true}. Where the database tests are required
 * (ORGSYNC_TEST_REQUIRE_MYSQL=true, as .ci/run sets it, or CI=true) it is on, and a machine that
 * cannot run it fails it instead of skipping it ({@code =false} turns it off explicitly).
 * The outage is a few seconds, once, and the server is started again whatever happens.
 */
@Timeout(value = 4, unit = java.util.concurrent.TimeUnit.MINUTES)
class DatabaseRestartIT {
    private static final String SLOW = "wwdbslow";
    private static final String CRON = "wwdbcron";
    private static final String OTHER = "wwdbother";
    private static Cluster cluster;
    private static OrgsyncNode a;
    private static OrgsyncNode b;
    private static OrgsyncNode ro;

    @BeforeAll
    static void startCluster() {
        String why = MariaDbServer.whyNotRestart(); // throws where the test is required
        if (why != null) {
            System.err.println("\n!!!!! SKIPPING DatabaseRestartIT: " + why + " !!!!!\n");
            Assumptions.abort(why);
        }
        cluster = Cluster.create("it_dbrestart");
        List<OrgsyncNode> nodes =
                cluster.start(NodeSpec.scheduler("db-a"), NodeSpec.scheduler("db-b"), NodeSpec.readOnly("db-ro"));
        a = nodes.get(0);
        b = nodes.get(1);
        ro = nodes.get(2);
    }

    @AfterAll
    static void stopCluster() {
        MariaDbServer.ensureRunning();
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void nodesRecoverFromADatabaseRestartWithoutARestartOfTheirOwn() {
        cluster.enterprise(a, SLOW, 10, 200, Cluster.NEVER);
        cluster.enterprise(a, OTHER, 3, 30, Cluster.NEVER);
        cluster.syncOnce(a, OTHER, Duration.ofSeconds(60));
        String[] member = cluster.someMemberWithMobile(OTHER);
        LookupProbe probe = cluster.probe(ro, member[1], member[0]);
        // every 2 s by the schedule: shows the schedulers themselves resume after the outage
        cluster.enterprise(b, CRON, 3, 30, "*/2 * * * * ?");
        cluster.awaitRun(
                CRON, "a scheduled run of " + CRON, Duration.ofSeconds(30), r -> "SUCCEEDED".equals(r.status()));

        // about 6 s of fetching: 10 departments at 600 ms each
        cluster.sim.fault(Map.of("path", "/cgi-bin/user/list", "corpId", SLOW, "latencyMs", 600));
        cluster.triggerAccepted(a, SLOW, Duration.ofSeconds(30));
        RunRow interrupted = cluster.awaitRun(
                SLOW, "the slow run to start", Duration.ofSeconds(30), r -> "RUNNING".equals(r.status()));
        // inside the fetch: its first department asked for, nine more to go
        Waiting.until(
                Duration.ofSeconds(30),
                "the slow run to ask for its first department",
                () -> cluster.sim.calls("/cgi-bin/user/list", SLOW) >= 1);

        long down;
        long up;
        try {
            down = System.currentTimeMillis();
            MariaDbServer.shutdown(Duration.ofSeconds(60));
            long stopped = System.currentTimeMillis();
            Waiting.sleep(Duration.ofSeconds(2));
            MariaDbServer.start(Duration.ofSeconds(90));
            up = System.currentTimeMillis();
            Cluster.report(String.format(
                    "DatabaseRestartIT: MariaDB down for %.1f s (shutdown took %.1f s), during run %d of %s on %s",
                    (up - down) / 1000.0, (stopped - down) / 1000.0, interrupted.id(), SLOW, interrupted.instanceId()));
        } finally {
            MariaDbServer.ensureRunning();
        }
        cluster.sim.clearFaults();

        // no node was restarted: the same processes answer /health with 200 again
        for (OrgsyncNode n : List.of(a, b, ro)) {
            Waiting.until(
                    Duration.ofSeconds(60),
                    n.name() + " healthy again after the restart",
                    () -> n.health().status() == 200);
            assertTrue(n.alive(), n.name() + " died");
        }
        long healthy = System.currentTimeMillis();
        // the interrupted run ends one way or the other
        RunRow ended = cluster.awaitRun(
                SLOW,
                "the interrupted run to end",
                Duration.ofSeconds(60),
                r -> r.id() == interrupted.id() && r.finished());
        // the schedules fire again by themselves
        RunRow scheduled = cluster.awaitRun(
                CRON,
                "a scheduled run after the restart",
                Duration.ofSeconds(60),
                r -> r.startedAt() > up && "SUCCEEDED".equals(r.status()));
        // and triggered runs succeed on both nodes' say-so
        RunRow slowAgain = cluster.syncOnce(b, SLOW, Duration.ofSeconds(60));
        RunRow otherAgain = cluster.syncOnce(a, OTHER, Duration.ofSeconds(60));
        Cluster.report(String.format(
                "DatabaseRestartIT: nodes healthy %.1f s after MariaDB was back; interrupted run ended %s; "
                        + "scheduled run %d %.1f s after; triggered runs %s and %s",
                (healthy - up) / 1000.0,
                ended.status(),
                scheduled.id(),
                (scheduled.startedAt() - up) / 1000.0,
                slowAgain.status(),
                otherAgain.status()));
        assertEquals(cluster.truth(SLOW), cluster.db.members(SLOW));
        assertEquals(cluster.truth(OTHER), cluster.db.members(OTHER));

        // lookups failed at most while the server was down (and the pool noticed it was back)
        Waiting.until(Duration.ofSeconds(30), "lookups answered again", () -> probe.successesAfter(up) >= 5);
        Cluster.report("DatabaseRestartIT: " + probe.summary() + "; failures outside the outage: "
                + probe.failuresOutside(down, up + 15_000).size());
        assertEquals(List.of(), probe.failuresOutside(down, up + 15_000), probe.summary());
        // once answering again, it kept answering
        List<LookupProbe.Sample> after =
                probe.samples().stream().filter(x -> x.at() > up).toList();
        int firstOk = 0;
        while (firstOk < after.size() && !after.get(firstOk).ok()) {
            firstOk++;
        }
        List<LookupProbe.Sample> later = after.subList(firstOk, after.size());
        assertTrue(
                later.stream().allMatch(LookupProbe.Sample::ok),
                "lookups failed after the node answered again: " + later);
        // and while the database was away, it said so: 503 unavailable (retry), not a 500
        for (LookupProbe.Sample failed : probe.failures()) {
            assertEquals(503, failed.status(), "a lookup during the outage answered " + failed);
        }
    }
}
