package io.orgsync.callback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.orgsync.sync.Run;
import io.orgsync.sync.RunStatus;
import io.orgsync.testing.ApiNode;
import io.orgsync.testing.OrgTruth;
import io.orgsync.testing.SimulatorControl;
import io.orgsync.testing.StartedNodes;
import io.orgsync.testing.TestDatabases;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Repeated, reordered and lost deliveries: each delivered event is applied once (repeats end
 * SKIPPED), what was lost differs until the next reconcile, which corrects it and counts exactly
 * the lost changes as its drift.
 */
class CallbackFaultsTest {
    private static final String SECRET = "callback-faults-secret-01";

    @RegisterExtension
    static final SimulatorControl sim = new SimulatorControl();

    @RegisterExtension
    final StartedNodes nodes = new StartedNodes();

    private ApiNode node;

    @Test
    void duplicatesApplyOnceAndTheReconcileCountsTheDrops() throws Exception {
        String corp = "ww-cb-faults";
        sim.createCorp(corp, SECRET, 6, 60, true);
        node = nodes.start(
                "cb-faults",
                TestDatabases.mariadb("callback_faults"),
                sim,
                Map.of("ORGSYNC_ADMIN_TOKEN", CallbackFixture.ADMIN_TOKEN));
        CallbackFixture.synced(node, corp, SECRET);
        CallbackFixture.connect(
                sim,
                node,
                corp,
                Map.of("style", "full", "duplicateRate", 0.3, "reorderRate", 0.3, "dropRate", 0.2, "seed", 42));
        List<String> userids = new ArrayList<>();
        sim.export(corp)
                .path("members")
                .forEach(m -> userids.add(m.path("userid").asText()));
        // one change per member: every event has a subject of its own, so a loss is one member to correct
        int changes = 40;
        for (int i = 0; i < changes; i++) {
            sim.send("PATCH", "/__sim/corps/" + corp + "/members/" + userids.get(i), Map.of("name", "改名 " + i));
        }
        JsonNode deliveries = CallbackFixture.settle(sim, node, corp, changes);
        long dropped = count(deliveries, "dropped");
        long repeated = count(deliveries, "duplicate");
        assertTrue(
                dropped > 0 && repeated > 0 && count(deliveries, "reordered") > 0,
                "the seed injects every fault: " + deliveries);

        List<StoredEvent> events = node.node.events().recent(corp, 1000);
        assertEquals(changes - dropped + repeated, events.size(), "every delivery stored");
        assertEquals(
                changes - dropped,
                events.stream().filter(e -> e.status() == EventStatus.APPLIED).count(),
                "each event applied once");
        assertEquals(
                repeated,
                events.stream().filter(e -> e.status() == EventStatus.SKIPPED).count(),
                "repeats skipped");
        assertEquals(
                dropped, CallbackFixture.differences(sim, node, corp).size(), "the lost changes are all that differ");

        Run reconcile = node.sync(corp);
        assertEquals(RunStatus.SUCCEEDED, reconcile.status(), reconcile.error());
        assertEquals((int) dropped, reconcile.drift(), "drift counts the lost events");
        List<String> differences = CallbackFixture.differences(sim, node, corp);
        assertTrue(differences.isEmpty(), OrgTruth.describe(differences));
        JsonNode runs = CallbackFixture.admin(node)
                .get("/admin/api/runs?corpId=" + corp + "&limit=1")
                .json();
        assertEquals(dropped, runs.get(0).path("drift").asLong(), runs.toString());
    }

    private static long count(JsonNode deliveries, String kind) {
        return StreamSupport.stream(deliveries.spliterator(), false)
                .filter(d -> kind.equals(d.path("delivery").asText()))
                .count();
    }
}
