package io.orgsync.callback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.orgsync.sync.Run;
import io.orgsync.sync.RunStatus;
import io.orgsync.sync.SyncProgress;
import io.orgsync.testing.ApiNode;
import io.orgsync.testing.OrgTruth;
import io.orgsync.testing.SimulatorControl;
import io.orgsync.testing.TestDatabases;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Department events applied while a sync fetches are not undone by that sync's apply, as member
 * events are not: a department created, renamed, moved and deleted in WeCom after the run read
 * the department tree (the run's progress callback after its last department holds it between
 * fetch and apply while the simulator's callbacks are applied) stays as the events left it.
 */
class CallbackDuringSyncTest {
    private static final String SECRET = "callback-during-sync-01";

    @RegisterExtension
    static final SimulatorControl sim = new SimulatorControl();

    private ApiNode node;

    @AfterEach
    void close() {
        if (node != null) {
            node.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "mariadb"})
    void departmentEventsDuringAFetchSurviveTheApply(String dialect) throws Exception {
        String corp = "ww-cb-during-" + dialect;
        sim.createCorp(corp, SECRET, 12, 40, true);
        node = ApiNode.start(
                "cb-during-" + dialect,
                TestDatabases.url(dialect, "callback_during_sync"),
                sim,
                Map.of("ORGSYNC_ADMIN_TOKEN", CallbackFixture.ADMIN_TOKEN));
        node.enterprise(corp, SECRET);
        assertEquals(RunStatus.SUCCEEDED, node.sync(corp).status());
        CallbackFixture.connect(sim, node, corp, Map.of("style", "full"));
        List<Integer> leaves = leaves(sim.export(corp), 3);
        String base = "/__sim/corps/" + corp + "/departments";

        boolean[] changed = {false};
        Run run = node.node.sync(corp, (SyncProgress) (c, done, total) -> {
            if (done < total || changed[0]) {
                return;
            }
            changed[0] = true;
            // the tree was read before these: without its guard the apply would put every one back
            sim.post(base, Map.of("id", 7300, "name", "同步中新建", "parentid", 1));
            sim.send("PATCH", base + "/" + leaves.get(0), Map.of("name", "同步中改名"));
            sim.send("PATCH", base + "/" + leaves.get(1), Map.of("parentid", 7300));
            sim.send("DELETE", base + "/" + leaves.get(2), null);
            int events = sim.send("GET", "/__sim/corps/" + corp + "/callback", null)
                    .path("generated")
                    .asInt();
            CallbackFixture.settle(sim, node, corp, events);
        });
        assertTrue(changed[0], "the changes were made between the fetch and the apply");
        assertEquals(RunStatus.SUCCEEDED, run.status(), run.error());
        assertTrue(
                node.node.events().recent(corp, 100).stream().noneMatch(e -> e.status() == EventStatus.FAILED),
                "every event applied");
        List<String> differences = CallbackFixture.differences(sim, node, corp);
        assertTrue(differences.isEmpty(), "the apply undid department events: " + OrgTruth.describe(differences));

        // the next run fetched after the changes: nothing to correct
        Run next = node.sync(corp);
        assertEquals(RunStatus.SUCCEEDED, next.status(), next.error());
        assertEquals(0, next.drift(), "what the reconcile had to correct");
    }

    private static List<Integer> leaves(JsonNode export, int n) {
        List<Integer> leaves = CallbackFixture.leafDepartments(export);
        assertTrue(leaves.size() >= n, "leaf departments: " + leaves);
        return leaves.subList(0, n);
    }
}
