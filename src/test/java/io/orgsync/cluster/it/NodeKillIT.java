package io.orgsync.cluster.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.orgsync.testing.Waiting;
import io.orgsync.testing.cluster.Cluster;
import io.orgsync.testing.cluster.HttpResult;
import io.orgsync.testing.cluster.LookupProbe;
import io.orgsync.testing.cluster.NodeSpec;
import io.orgsync.testing.cluster.OrgsyncNode;
import io.orgsync.testing.cluster.RunRow;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * kill -9 of the node running a sync: another node runs the enterprise again within 30 s, the
 * dead node's run ends ABANDONED, the stored org equals the simulator's, the killed node comes
 * back on restart, and the read-only node (SELECT-only account) answers lookups throughout.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 4, unit = java.util.concurrent.TimeUnit.MINUTES)
class NodeKillIT {
    private static final String SLOW = "wwkill";
    private static final String PROBE = "wwkillprobe";
    private static Cluster cluster;
    private static OrgsyncNode a;
    private static OrgsyncNode b;
    private static OrgsyncNode ro;
    private static LookupProbe probe;

    @BeforeAll
    static void startCluster() {
        cluster = Cluster.create("it_nodekill");
        List<OrgsyncNode> nodes =
                cluster.start(NodeSpec.scheduler("kill-a"), NodeSpec.scheduler("kill-b"), NodeSpec.readOnly("kill-ro"));
        a = nodes.get(0);
        b = nodes.get(1);
        ro = nodes.get(2);
        cluster.enterprise(a, PROBE, 3, 30, Cluster.NEVER);
        cluster.enterprise(a, SLOW, 12, 240, Cluster.NEVER);
        cluster.syncOnce(a, PROBE, Duration.ofSeconds(60));
        String[] member = cluster.someMemberWithMobile(PROBE);
        probe = cluster.probe(ro, member[1], member[0]);
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(2)
    void aKilledNodesSyncRunsAgainElsewhereAndEndsAbandoned() {
        // about 9 s of fetching: 12 departments at 700 ms each
        cluster.sim.fault(Map.of("path", "/cgi-bin/user/list", "corpId", SLOW, "latencyMs", 700));
        cluster.triggerAccepted(b, SLOW, Duration.ofSeconds(30));
        RunRow doomed = cluster.awaitRun(
                SLOW, "the slow run to start", Duration.ofSeconds(30), r -> "RUNNING".equals(r.status()));
        OrgsyncNode victim = doomed.instanceId().equals(a.name()) ? a : b;
        OrgsyncNode survivor = victim == a ? b : a;
        // well inside the fetch: a department fetched, the next one asked for, ten more to go
        Waiting.until(
                Duration.ofSeconds(30),
                "the slow run to ask for its second department",
                () -> cluster.sim.calls("/cgi-bin/user/list", SLOW) >= 2);
        assertEquals(
                "RUNNING",
                cluster.db.runs(SLOW).stream()
                        .filter(r -> r.id() == doomed.id())
                        .findFirst()
                        .orElseThrow()
                        .status());

        long killedAt = System.currentTimeMillis();
        victim.kill();
        assertTrue(!victim.alive(), victim.name() + " still alive after SIGKILL");
        cluster.sim.clearFaults(); // the run elsewhere goes at full speed

        RunRow rerun = cluster.awaitRun(
                SLOW,
                "a run of " + SLOW + " on " + survivor.name() + " after the kill",
                Duration.ofSeconds(45),
                r -> r.id() > doomed.id());
        long takeover = rerun.startedAt() - killedAt;
        Cluster.report(String.format(
                "NodeKillIT: killed %s at run %d; %s started run %d %.1f s later",
                victim.name(), doomed.id(), rerun.instanceId(), rerun.id(), takeover / 1000.0));
        assertEquals(survivor.name(), rerun.instanceId());
        assertTrue(
                takeover < 30_000, "the enterprise ran again only " + takeover + " ms after the kill (target < 30 s)");

        RunRow finished = cluster.awaitRun(
                SLOW, "the re-run to finish", Duration.ofSeconds(60), r -> r.id() == rerun.id() && r.finished());
        assertEquals("SUCCEEDED", finished.status(), finished.toString());
        RunRow dead = cluster.db.runs(SLOW).stream()
                .filter(r -> r.id() == doomed.id())
                .findFirst()
                .orElseThrow();
        assertEquals("ABANDONED", dead.status(), dead.toString());
        assertEquals(victim.name(), dead.instanceId());
        // ended by the next run's start or, if the cluster noticed the dead node first, by the run watch
        assertTrue(dead.finishedAt() != null && dead.finishedAt() >= killedAt, dead.toString());

        // the stored org is the simulator's truth: the same members with the same mobiles
        Map<String, String> truth = cluster.truth(SLOW);
        assertEquals(truth, cluster.db.members(SLOW));
        // and the read-only node answers lookups of them
        int asked = 0;
        for (Map.Entry<String, String> e : truth.entrySet()) {
            if (e.getValue() == null || asked >= 5) {
                continue;
            }
            HttpResult r = ro.send("GET", "/api/v1/members/by-mobile/" + e.getValue() + "?corpId=" + SLOW, null, false);
            assertEquals(200, r.status(), r.body());
            assertEquals(
                    e.getKey(), r.json().path("members").path(0).path("userid").asText());
            asked++;
        }
        assertEquals(5, asked);

        // the killed node comes back under its own name and syncs again
        victim.start().awaitHealthy(Cluster.START_TIMEOUT);
        HttpResult cluster0 = a.get("/admin/api/cluster");
        assertTrue(
                cluster0.expectOk("cluster view").findValuesAsText("instanceId").contains(victim.name()));
        RunRow again = cluster.syncOnce(victim, SLOW, Duration.ofSeconds(60));
        assertEquals(
                0,
                cluster.db.runs(SLOW).stream()
                        .filter(r -> "RUNNING".equals(r.status()))
                        .count());
        assertEquals(truth, cluster.db.members(SLOW));
        Cluster.report(
                "NodeKillIT: after restart, run " + again.id() + " on " + again.instanceId() + " " + again.status());
    }

    @Test
    @Order(1)
    void theReadOnlyNodeWritesNothingAndKeepsAnswering() throws SQLException {
        HttpResult write = ro.put("/admin/api/enterprises/wwnope", Map.of("secret", "s", "cron", Cluster.NEVER));
        assertEquals(503, write.status(), write.body());
        assertEquals("read_only", write.errorCode());
        HttpResult trigger = ro.trigger(PROBE);
        assertEquals(503, trigger.status(), trigger.body());
        // its account really is SELECT-only
        try (Connection c = cluster.db.connectReadOnly();
                Statement s = c.createStatement()) {
            assertTrue(s.executeQuery("SELECT COUNT(*) FROM member").next());
            assertThrows(SQLException.class, () -> s.executeUpdate("UPDATE member SET name = 'x' WHERE 1 = 0"));
        }
    }

    @Test
    @Order(3)
    void theReadOnlyNodeAnsweredEveryLookup() {
        Cluster.report("NodeKillIT: " + probe.summary());
        assertTrue(probe.samples().size() > 20, probe.summary());
        assertEquals(List.of(), probe.failures(), "the read-only node failed lookups: " + probe.summary());
    }
}
