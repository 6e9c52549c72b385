package io.orgsync.callback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.orgsync.NodeInternals;
import io.orgsync.sync.Run;
import io.orgsync.sync.RunStatus;
import io.orgsync.testing.ApiNode;
import io.orgsync.testing.OrgTruth;
import io.orgsync.testing.SimulatorControl;
import io.orgsync.testing.TestDatabases;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every kind of org change made in the simulator reaches the stored copy through its callback
 * alone (no sync), in both payload styles: members added, renamed, given a new mobile, moved,
 * disabled, deleted, their userid changed, given an alias, a telephone, a direct leader, made a
 * department's leader; departments added, moved, deleted (and renamed, which
 * only the full style reports: an ids-style enterprise gets it from the reconcile, counted as drift).
 */
class CallbackChangesTest {
    private static final String SECRET = "callback-changes-secret-01";

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
    @ValueSource(strings = {"full", "ids"})
    void eachChangeEndsEqualToTheExport(String style) throws Exception {
        String corp = "ww-cb-" + style;
        sim.createCorp(corp, SECRET, 12, 80, true);
        node = ApiNode.start(
                "cb-" + style,
                TestDatabases.mariadb("callback_changes"),
                sim,
                Map.of("ORGSYNC_ADMIN_TOKEN", CallbackFixture.ADMIN_TOKEN));
        node.enterprise(corp, SECRET);
        Run first = node.sync(corp);
        assertEquals(RunStatus.SUCCEEDED, first.status(), first.error());
        assertEquals(null, first.drift(), "no drift recorded before callbacks are on");
        CallbackFixture.connect(sim, node, corp, Map.of("style", style));

        JsonNode export = sim.export(corp);
        List<String> userids = new ArrayList<>();
        export.path("members").forEach(m -> userids.add(m.path("userid").asText()));
        int leaf = leaf(export, -1);
        String base = "/__sim/corps/" + corp;
        sim.post(base + "/departments", Map.of("id", 7000, "name", "回调部门", "parentid", 1));
        sim.post(
                base + "/members",
                Map.of("userid", "cbnew01", "name", "新人", "department", List.of(7000, 1), "mobile", "13900007001"));
        sim.send("PATCH", base + "/members/" + userids.get(0), Map.of("name", "改了名"));
        sim.send("PATCH", base + "/members/" + userids.get(1), Map.of("mobile", "+86 139-0000-7002"));
        sim.send(
                "PATCH",
                base + "/members/" + userids.get(2),
                Map.of("department", List.of(7000), "main_department", 7000));
        sim.send("PATCH", base + "/members/" + userids.get(3), Map.of("status", 2));
        sim.send("DELETE", base + "/members/" + userids.get(4), null);
        sim.post(base + "/members/" + userids.get(5) + "/rename", Map.of("userid", "renamed05"));
        sim.send(
                "PATCH",
                base + "/members/" + userids.get(6),
                Map.of("alias", "回调别名", "telephone", "021-61234567", "direct_leader", List.of(userids.get(7))));
        sim.send(
                "PATCH",
                base + "/members/" + userids.get(7),
                Map.of("department", List.of(leaf, 1), "is_leader_in_dept", List.of(1, 0)));
        sim.send("PATCH", base + "/departments/" + leaf, Map.of("parentid", 7000));
        sim.send("PATCH", base + "/departments/1", Map.of("name", "改名的总部"));
        int doomed = leaf(sim.export(corp), leaf);
        sim.send("DELETE", base + "/departments/" + doomed, null);

        // counted as made, not as delivered: the simulator posts them in the background
        int events = sim.send("GET", "/__sim/corps/" + corp + "/callback", null)
                .path("generated")
                .asInt();
        CallbackFixture.settle(sim, node, corp, events);
        List<String> differences = CallbackFixture.differences(sim, node, corp);
        if (style.equals("full")) {
            assertTrue(differences.isEmpty(), OrgTruth.describe(differences));
        } else {
            // the one change WeCom does not call back since 2022-08-15: a department's rename
            assertEquals(1, differences.size(), OrgTruth.describe(differences));
            assertTrue(differences.get(0).startsWith("department 1:"), differences.get(0));
        }
        assertTrue(
                NodeInternals.members(node.node).byMobile("13900007001", corp).stream()
                        .anyMatch(m -> m.userid().equals("cbnew01")),
                "the new member answers a lookup");
        assertTrue(node.node.events().recent(corp, 1000).stream().noneMatch(e -> e.status() == EventStatus.FAILED));

        Run reconcile = node.sync(corp);
        assertEquals(RunStatus.SUCCEEDED, reconcile.status(), reconcile.error());
        assertEquals(style.equals("full") ? 0 : 1, reconcile.drift(), "what the reconcile had to correct");
        differences = CallbackFixture.differences(sim, node, corp);
        assertTrue(differences.isEmpty(), OrgTruth.describe(differences));
    }

    /** A department without sub-departments, not the root, not {@code not}. */
    static int leaf(JsonNode export, int not) {
        return CallbackFixture.leafDepartments(export).stream()
                .filter(id -> id != not)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no leaf department"));
    }
}
