package io.orgsync.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.orgsync.Node;
import io.orgsync.NodeInternals;
import io.orgsync.http.Json;
import io.orgsync.testing.OrgDump;
import io.orgsync.testing.OrgTruth;
import io.orgsync.testing.SimulatorControl;
import io.orgsync.testing.TestDatabases;
import io.orgsync.testing.TestNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * After a sync the database equals the simulator's export (departments, members, memberships,
 * normalised mobiles, e-mails, positions, aliases, telephones, direct leaders, leader flags), and
 * the department tree's leaders its department_leader lists, and again after every kind of change
 * made through the simulator's control routes: adds, moves, renames, departures, mobile and
 * status changes, new aliases, telephones, direct leaders and leaders, new, renamed, moved and
 * deleted departments. Departed members stay as rows marked departed; a sync without changes
 * writes nothing.
 */
class SyncMatchesExportTest {
    private static final String SECRET = "match-secret-0123456789";

    @RegisterExtension
    static final SimulatorControl sim = new SimulatorControl();

    @RegisterExtension
    final SyncingNode syncing = new SyncingNode();

    private Node node;

    @ParameterizedTest
    @ValueSource(strings = {"h2", "mariadb"})
    void theStoredOrgEqualsTheExportAfterEveryKindOfChange(String dialect) throws Exception {
        String corp = "ww-match-" + dialect;
        sim.createCorp(corp, SECRET, 30, 400, true);
        node = syncing.start(TestNode.on(TestDatabases.url(dialect, "sync_match"), sim.baseUrl()));
        syncing.enterprise(corp, SECRET);

        Run first = run(corp);
        assertEquals(RunStatus.SUCCEEDED, first.status(), first.error());
        assertEquals(400, first.membersAdded());
        assertEquals(30, first.departments());
        assertStoredEqualsExport(corp);

        JsonNode export = sim.export(corp);
        List<String> userids = new ArrayList<>();
        export.path("members").forEach(m -> userids.add(m.path("userid").asText()));
        int leaf = leafDepartment(export);
        int renamedDept = 2;
        String base = "/__sim/corps/" + corp;

        // members: one added in two departments with an international mobile, one moved, one renamed,
        // one with a new mobile, one disabled, two gone
        sim.post(
                base + "/members",
                Map.of(
                        "userid",
                        "newcomer01",
                        "name",
                        "新同事",
                        "department",
                        List.of(leaf, 1),
                        "mobile",
                        "+852 6123 4567",
                        "status",
                        1));
        sim.send(
                "PATCH",
                base + "/members/" + userids.get(0),
                Map.of("department", List.of(leaf), "main_department", leaf));
        sim.send("PATCH", base + "/members/" + userids.get(1), Map.of("name", "改名字"));
        sim.send("PATCH", base + "/members/" + userids.get(2), Map.of("mobile", "+86 139-0000-0002"));
        sim.send("PATCH", base + "/members/" + userids.get(3), Map.of("status", 2));
        // the fields users ask for: alias, telephone and direct leader changed; a leader made, one unmade
        sim.send(
                "PATCH",
                base + "/members/" + userids.get(6),
                Map.of("alias", "新别名", "telephone", "010-62345678", "direct_leader", List.of(userids.get(7))));
        sim.send(
                "PATCH",
                base + "/members/" + userids.get(8),
                Map.of("department", List.of(leaf, 1), "is_leader_in_dept", List.of(1, 0)));
        JsonNode leader = leaderOfSomething(export, userids.subList(0, 9));
        List<Integer> none = new ArrayList<>();
        leader.path("department").forEach(d -> none.add(0));
        sim.send("PATCH", base + "/members/" + leader.path("userid").asText(), Map.of("is_leader_in_dept", none));
        String oldMobileOfLeaver = export.path("members").get(4).path("mobile").asText();
        sim.send("DELETE", base + "/members/" + userids.get(4), null);
        sim.send("DELETE", base + "/members/" + userids.get(5), null);
        // departments: one renamed, one new with a member, one leaf moved to the root, one leaf deleted
        sim.send("PATCH", base + "/departments/" + renamedDept, Map.of("name", "改名的部门"));
        sim.post(base + "/departments", Map.of("id", 5000, "name", "新部门", "parentid", renamedDept));
        sim.post(
                base + "/members",
                Map.of("userid", "newcomer02", "name", "新部门的人", "department", List.of(5000), "mobile", "13900000005"));
        sim.send("PATCH", base + "/departments/" + leaf, Map.of("parentid", 1));
        int deletedLeaf = otherLeaf(sim.export(corp), leaf);
        sim.send("DELETE", base + "/departments/" + deletedLeaf, null);

        Run second = run(corp);
        assertEquals(RunStatus.SUCCEEDED, second.status(), second.error());
        assertEquals(2, second.membersAdded());
        assertEquals(2, second.membersRemoved());
        assertTrue(second.membersUpdated() >= 4, "moved, renamed, new mobile, disabled: " + second.membersUpdated());
        assertStoredEqualsExport(corp);
        assertEquals(
                new TreeSet<>(Set.of(userids.get(4), userids.get(5))),
                OrgTruth.departed(node.dataSource(), corp),
                "members gone upstream stay as rows marked departed");

        // lookups see the new numbers and never a departed member
        assertEquals(List.of("newcomer01"), syncing.owners("+85261234567", corp));
        assertEquals(List.of(userids.get(2)), syncing.owners("13900000002", corp));
        String leaverMobile =
                io.orgsync.member.Mobile.normalise(oldMobileOfLeaver).orElseThrow();
        assertTrue(
                NodeInternals.members(node).byMobile(leaverMobile, corp).isEmpty(),
                "a departed member is not found by mobile");

        // nothing changed upstream: nothing written, not even updated_at
        OrgDump before = OrgDump.of(node.dataSource(), corp);
        Run idle = run(corp);
        assertEquals(RunStatus.SUCCEEDED, idle.status(), idle.error());
        assertEquals(List.of(0, 0, 0), List.of(idle.membersAdded(), idle.membersUpdated(), idle.membersRemoved()));
        assertEquals(before, OrgDump.of(node.dataSource(), corp));

        // a departed member who comes back is current again
        sim.post(
                base + "/members",
                Map.of("userid", userids.get(4), "name", "回来了", "department", List.of(1), "mobile", "13900000004"));
        Run third = run(corp);
        assertEquals(RunStatus.SUCCEEDED, third.status(), third.error());
        assertStoredEqualsExport(corp);
        assertEquals(Set.of(userids.get(5)), OrgTruth.departed(node.dataSource(), corp));
    }

    private Run run(String corp) throws Exception {
        return syncing.run(corp);
    }

    private void assertStoredEqualsExport(String corp) throws Exception {
        JsonNode export = sim.export(corp);
        List<String> differences = OrgTruth.fromExport(export).diff(OrgTruth.fromDatabase(node.dataSource(), corp));
        assertTrue(differences.isEmpty(), OrgTruth.describe(differences));
        // the tree's leaders are WeCom's department_leader
        Map<Long, List<String>> expected = new TreeMap<>();
        for (JsonNode d : export.path("departments")) {
            List<String> leaders = new ArrayList<>();
            d.path("department_leader").forEach(l -> leaders.add(l.asText()));
            expected.put(d.path("id").asLong(), leaders.stream().sorted().toList());
        }
        Map<Long, List<String>> answered = new TreeMap<>();
        for (JsonNode d : Json.MAPPER.readTree(
                NodeInternals.reads(node).departments(corp, false).body())) {
            List<String> leaders = new ArrayList<>();
            d.path("leaders").forEach(l -> leaders.add(l.asText()));
            answered.put(d.path("id").asLong(), leaders);
        }
        assertEquals(expected, answered, "each department's leaders");
        assertTrue(expected.values().stream().anyMatch(l -> !l.isEmpty()), "the org has leaders to compare");
    }

    /** A member marked leader in one of its departments, other than {@code not}. */
    private static JsonNode leaderOfSomething(JsonNode export, List<String> not) {
        for (JsonNode m : export.path("members")) {
            for (JsonNode flag : m.path("is_leader_in_dept")) {
                if (flag.asInt() == 1 && !not.contains(m.path("userid").asText())) {
                    return m;
                }
            }
        }
        throw new IllegalStateException("the generated org has no leader");
    }

    /** A department without sub-departments (not the root). */
    private static int leafDepartment(JsonNode export) {
        return otherLeaf(export, -1);
    }

    private static int otherLeaf(JsonNode export, int not) {
        Set<Integer> parents = new HashSet<>();
        export.path("departments").forEach(d -> parents.add(d.path("parentid").asInt()));
        for (JsonNode d : export.path("departments")) {
            int id = d.path("id").asInt();
            if (id != 1 && id != not && !parents.contains(id)) {
                return id;
            }
        }
        throw new IllegalStateException("no leaf department");
    }
}
