package io.orgsync.cluster.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.orgsync.testing.Waiting;
import io.orgsync.testing.cluster.Cluster;
import io.orgsync.testing.cluster.ClusterDb;
import io.orgsync.testing.cluster.HttpResult;
import io.orgsync.testing.cluster.LookupProbe;
import io.orgsync.testing.cluster.NodeSpec;
import io.orgsync.testing.cluster.OrgsyncNode;
import io.orgsync.testing.cluster.RunRow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Environments and builds sharing one database. A node of another environment ("other", older
 * build) never runs this environment's jobs, and runs its own. A stale node of the same
 * environment (older ORGSYNC_BUILD_VERSION), started while runs are queued up, is fenced
 * (/admin/api/cluster says so), takes no run while fenced, still serves the admin API, and takes
 * runs again once the newer nodes have gone. The read-only node answers lookups throughout.
 */
@Timeout(value = 4, unit = java.util.concurrent.TimeUnit.MINUTES)
class EnvironmentFencingIT {
    private static final String NEW = "2.0.0";
    private static final String OLD = "1.9.3";
    private static final String OTHER_CORP = "wwfenother";
    private static Cluster cluster;
    private static OrgsyncNode a;
    private static OrgsyncNode b;
    private static OrgsyncNode other;
    private static OrgsyncNode ro;

    @BeforeAll
    static void startCluster() {
        cluster = Cluster.create("it_fencing");
        List<OrgsyncNode> nodes = cluster.start(
                NodeSpec.scheduler("fen-a").version(NEW).set("ORGSYNC_SYNC_THREADS", "2"),
                NodeSpec.scheduler("fen-b").version(NEW).set("ORGSYNC_SYNC_THREADS", "2"),
                NodeSpec.scheduler("fen-other").env("other").version(OLD),
                NodeSpec.readOnly("fen-ro"));
        a = nodes.get(0);
        b = nodes.get(1);
        other = nodes.get(2);
        ro = nodes.get(3);
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void otherEnvironmentsAndStaleBuildsNeverRunTheJobs() {
        List<String> corps = new ArrayList<>();
        for (int i = 1; i <= 8; i++) {
            corps.add("wwfen" + i);
            cluster.enterprise(a, "wwfen" + i, 4, 40, Cluster.NEVER);
        }
        cluster.enterprise(other, OTHER_CORP, 3, 30, Cluster.NEVER);
        // an enterprise belongs to the environment that created it
        HttpResult steal = a.put("/admin/api/enterprises/" + OTHER_CORP, Map.of("cron", Cluster.NEVER));
        assertEquals(409, steal.status(), steal.body());
        assertEquals(
                List.of(OTHER_CORP),
                other.get("/admin/api/jobs").expectOk("jobs of other").findValuesAsText("corpId"));
        assertEquals(8, a.get("/admin/api/jobs").expectOk("jobs of it").size());

        cluster.syncOnce(a, "wwfen1", Duration.ofSeconds(60));
        String[] member = cluster.someMemberWithMobile("wwfen1");
        LookupProbe probe = cluster.probe(ro, member[1], member[0]);

        // a backlog: 8 enterprises of ~1.5 s each queued on 4 threads, so that triggers are due
        // at the moment the stale node starts (a node that took one before fencing would show)
        cluster.sim.fault(Map.of("path", "/cgi-bin/user/list", "latencyMs", 300));
        for (String corpId : corps) {
            cluster.triggerAccepted(b, corpId, Duration.ofSeconds(30));
        }
        OrgsyncNode stale = cluster.node(NodeSpec.scheduler("fen-stale").version(OLD));
        stale.start().awaitHealthy(Cluster.START_TIMEOUT);
        JsonNode staleView = Waiting.await(
                Duration.ofSeconds(20),
                "the cluster view to show fen-stale fenced",
                () -> node(
                        a.get("/admin/api/cluster").expectOk("cluster"),
                        "fen-stale",
                        n -> n.path("fenced").asBoolean()));
        assertEquals(OLD, staleView.path("version").asText());
        JsonNode otherView = node(a.get("/admin/api/cluster").expectOk("cluster"), "fen-other", n -> true);
        assertEquals("other", otherView.path("env").asText());
        assertFalse(
                otherView.path("fenced").asBoolean(),
                "a node of another environment is not fenced by this one: " + otherView);
        assertFalse(
                stale.health().json().path("scheduler").path("started").asBoolean(),
                "a fenced node's scheduler is in standby");
        assertTrue(stale.logContains("ALERT node_fenced"), "the fenced node alerts");

        // more rounds while the stale node is fenced, some sent through it: its admin API still works
        List<OrgsyncNode> via = List.of(a, b, stale);
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < corps.size(); i++) {
                cluster.triggerAccepted(via.get((round + i) % 3), corps.get(i), Duration.ofSeconds(60));
            }
            cluster.triggerAccepted(other, OTHER_CORP, Duration.ofSeconds(60));
        }
        Waiting.until(
                Duration.ofSeconds(120),
                "every queued run to finish",
                () -> cluster.db.allRuns().size() >= 1 + 8 + 3 * 8 + 3
                        && cluster.db.allRuns().stream().allMatch(RunRow::finished));
        cluster.sim.clearFaults();
        List<RunRow> whileFenced = cluster.db.allRuns();
        assertTrue(node(a.get("/admin/api/cluster").expectOk("cluster"), "fen-stale", n -> true)
                .path("fenced")
                .asBoolean());
        Cluster.report(
                "EnvironmentFencingIT: runs per node while fen-stale was fenced " + ClusterDb.perNode(whileFenced));
        for (RunRow r : whileFenced) {
            assertEquals("SUCCEEDED", r.status(), r.toString());
            assertTrue(!r.instanceId().equals("fen-stale"), "the fenced node ran " + r);
            if (r.corpId().equals(OTHER_CORP)) {
                assertEquals("fen-other", r.instanceId(), "only environment 'other' runs its enterprise: " + r);
            } else {
                assertTrue(
                        r.instanceId().equals("fen-a") || r.instanceId().equals("fen-b"),
                        "another environment ran " + r);
            }
        }
        assertEquals(
                3,
                whileFenced.stream().filter(r -> r.corpId().equals(OTHER_CORP)).count());

        // when the newer nodes go away, the stale node takes jobs again (fencing is live, not a broken node)
        CompletableFuture.allOf(CompletableFuture.runAsync(a::stop), CompletableFuture.runAsync(b::stop))
                .join();
        long gone = System.currentTimeMillis();
        Waiting.await(
                Duration.ofSeconds(40),
                "fen-stale to be unfenced after the newer nodes stopped",
                () -> node(
                        stale.get("/admin/api/cluster").expectOk("cluster"),
                        "fen-stale",
                        n -> !n.path("fenced").asBoolean()));
        Cluster.report(String.format(
                "EnvironmentFencingIT: fen-stale unfenced %.1f s after the newer nodes stopped",
                (System.currentTimeMillis() - gone) / 1000.0));
        RunRow mine = cluster.syncOnce(stale, "wwfen2", Duration.ofSeconds(60));
        assertEquals("fen-stale", mine.instanceId());
        // the other environment's old node never took this environment's jobs
        assertTrue(cluster.db.allRuns().stream()
                .noneMatch(
                        r -> r.instanceId().equals("fen-other") && !r.corpId().equals(OTHER_CORP)));
        Cluster.report("EnvironmentFencingIT: " + probe.summary());
        assertEquals(List.of(), probe.failures(), probe.summary());
    }

    private static JsonNode node(JsonNode view, String instanceId, java.util.function.Predicate<JsonNode> condition) {
        for (JsonNode n : view) {
            if (n.path("instanceId").asText().equals(instanceId)) {
                return condition.test(n) ? n : null;
            }
        }
        return null;
    }
}
