package io.orgsync.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.orgsync.Node;
import io.orgsync.NodeInternals;
import io.orgsync.enterprise.EnterpriseChange;
import io.orgsync.member.Member;
import io.orgsync.member.Mobile;
import io.orgsync.testing.MutableClock;
import io.orgsync.testing.OrgDump;
import io.orgsync.testing.OrgTruth;
import io.orgsync.testing.SimulatorControl;
import io.orgsync.testing.TestDatabases;
import io.orgsync.testing.TestNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The sync's guards: a removal above ORGSYNC_MAX_REMOVAL_RATIO is refused, changes nothing and is
 * alerted; mobiles an app created after 2022-06-20 cannot see are kept from earlier resolves or
 * syncs, never blanked; a department that vanishes mid-sync (60123 on its user/list) neither
 * empties nor departs its members.
 */
class SyncGuardsTest {
    private static final String SECRET = "guards-secret-0123456789";
    private static final AtomicInteger CORPS = new AtomicInteger();
    private static final Map<String, String> DATABASES = new HashMap<>();

    @RegisterExtension
    static final SimulatorControl sim = new SimulatorControl();

    private final MutableClock clock = new MutableClock();
    private Node node;

    @AfterEach
    void closeNode() {
        sim.clearFaults();
        if (node != null) {
            node.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "mariadb"})
    void aRemovalAboveTheRatioIsRefusedChangesNothingAndIsAlerted(String dialect) throws Exception {
        String corp = corp();
        String robot = corp + "-alerts";
        node = node(dialect, robot, "0.2");
        List<String> userids = synced(corp, 10, 100, true);
        for (int i = 0; i < 21; i++) {
            sim.send("DELETE", "/__sim/corps/" + corp + "/members/" + userids.get(i), null);
        }
        sim.send("PATCH", "/__sim/corps/" + corp + "/members/" + userids.get(50), Map.of("name", "不该写入"));
        OrgDump before = OrgDump.of(node.dataSource(), corp);

        Run refused = run(corp);

        assertEquals(RunStatus.REFUSED, refused.status());
        assertTrue(refused.error().contains("21 of 100"), refused.error());
        assertEquals(before, OrgDump.of(node.dataSource(), corp), "a refused run changed stored rows");
        String alert = SyncFaultsTest.awaitAlert(sim, robot, corp);
        assertTrue(alert.contains("sync_refused") && alert.contains("ORGSYNC_MAX_REMOVAL_RATIO"), alert);

        // the removal is real: one run with a higher ratio applies it
        node.close();
        node = node(dialect, robot, "0.25");
        Run applied = run(corp);
        assertEquals(RunStatus.SUCCEEDED, applied.status(), applied.error());
        assertEquals(21, applied.membersRemoved());
        assertEquals(21, OrgTruth.departed(node.dataSource(), corp).size());
        assertStoredEqualsExport(corp, Map.of());
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "mariadb"})
    void mobilesTheAppCannotSeeAreKeptFromResolvesAndOlderSyncs(String dialect) throws Exception {
        String corp = corp();
        node = node(dialect, corp + "-alerts", "0.2");
        List<String> userids = synced(corp, 8, 80, false);
        assertTrue(
                NodeInternals.members(node).activeCount(corp) == 80 && mobilesStored(corp) == 0,
                "a post-2022 app sees no mobiles");

        JsonNode export = sim.export(corp);
        String resolvedUser = userids.get(3);
        String resolvedMobile = Mobile.normalise(
                        memberOf(export, resolvedUser).path("mobile").asText())
                .orElseThrow();
        Member resolved = NodeInternals.resolver(node).resolve(corp, resolvedMobile);
        assertEquals(resolvedUser, resolved.userid());
        // a mobile an older sync stored, back when the app still saw mobiles
        String olderUser = userids.get(7);
        String olderMobile = Mobile.normalise(
                        memberOf(export, olderUser).path("mobile").asText())
                .orElseThrow();
        try (Connection c = node.dataSource().getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "UPDATE member SET mobile = ?, mobile_source = 'sync' WHERE corp_id = ? AND userid = ?")) {
            ps.setString(1, olderMobile);
            ps.setString(2, corp);
            ps.setString(3, olderUser);
            assertEquals(1, ps.executeUpdate());
        }
        // both members change upstream, so the sync rewrites their rows (a new name would be another
        // matter: the userid may have passed to someone else, LearnedMobileTest)
        sim.send("PATCH", "/__sim/corps/" + corp + "/members/" + resolvedUser, Map.of("position", "改了职位"));
        sim.send(
                "PATCH",
                "/__sim/corps/" + corp + "/members/" + olderUser,
                Map.of("position", "新职位", "department", List.of(1)));

        Run run = run(corp);

        assertEquals(RunStatus.SUCCEEDED, run.status(), run.error());
        assertTrue(run.membersUpdated() >= 2, "both rows rewritten: " + run.membersUpdated());
        assertStoredEqualsExport(corp, Map.of(resolvedUser, resolvedMobile, olderUser, olderMobile));
        assertEquals(
                List.of(resolvedUser),
                NodeInternals.members(node).byMobile(resolvedMobile, corp).stream()
                        .map(Member::userid)
                        .toList());
        assertEquals(
                "改了职位",
                NodeInternals.members(node)
                        .byMobile(resolvedMobile, corp)
                        .get(0)
                        .position());
        assertEquals(
                List.of(olderUser),
                NodeInternals.members(node).byMobile(olderMobile, corp).stream()
                        .map(Member::userid)
                        .toList());
        assertEquals(2, mobilesStored(corp));
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "mariadb"})
    void aDepartmentThatVanishesMidSyncKeepsItsMembers(String dialect) throws Exception {
        String corp = corp();
        node = node(dialect, corp + "-alerts", "0.2");
        String base = "/__sim/corps/" + corp;
        sim.createCorp(corp, SECRET, 8, 60, true);
        // department 900 right below the root: three members only in it, one also elsewhere
        sim.post(base + "/departments", Map.of("id", 900, "name", "将被撤销", "parentid", 1));
        for (int i = 1; i <= 3; i++) {
            sim.post(
                    base + "/members",
                    Map.of(
                            "userid",
                            "only900-" + i,
                            "name",
                            "只在900",
                            "department",
                            List.of(900),
                            "mobile",
                            "1390000090" + i));
        }
        sim.post(
                base + "/members",
                Map.of("userid", "also900", "name", "也在900", "department", List.of(900, 2), "mobile", "13900000910"));
        node.enterprises().put(corp, new EnterpriseChange(corp, SECRET, TestNode.NEVER, true, null));
        assertEquals(RunStatus.SUCCEEDED, run(corp).status());
        OrgDump before = OrgDump.of(node.dataSource(), corp);

        // the root's members are fetched first; then 900 is deleted (WeCom moves its members up to
        // the root, already fetched), so its own user/list answers 60123
        clock.advance(Duration.ofSeconds(1));
        sim.resetStats();
        Run run = node.sync(corp, (c, done, total) -> {
            if (done == 1) {
                sim.send("DELETE", base + "/departments/900", null);
            }
        });

        assertEquals(RunStatus.SUCCEEDED, run.status(), run.error());
        assertEquals(
                1,
                sim.stats().path("errors").path("60123").asInt(),
                "user/list of the vanished department answered 60123");
        assertEquals(0, run.membersRemoved(), "members of a vanished department are unknown, not gone");
        assertEquals(Set.of(), OrgTruth.departed(node.dataSource(), corp));
        OrgTruth stored = OrgTruth.fromDatabase(node.dataSource(), corp);
        for (int i = 1; i <= 3; i++) {
            assertEquals(Set.of(900L), stored.members.get("only900-" + i).departments(), "membership kept as it was");
        }
        assertEquals(Set.of(2L), stored.members.get("also900").departments(), "seen through its other department");
        assertTrue(stored.departments.containsKey(900L), "the department stays until a run sees the tree without it");
        assertEquals(
                before.departments().size(),
                OrgDump.of(node.dataSource(), corp).departments().size());

        Run after = run(corp);
        assertEquals(RunStatus.SUCCEEDED, after.status(), after.error());
        assertStoredEqualsExport(corp, Map.of());
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "mariadb"})
    void aMemberMissingBehindA60123IsNotDeparted(String dialect) throws Exception {
        String corp = corp();
        node = node(dialect, corp + "-alerts", "0.2");
        synced(corp, 8, 60, true);
        JsonNode export = sim.export(corp);
        // the second department fetched is the root's first child; one of its members leaves
        int second = 1_000_000;
        for (JsonNode d : export.path("departments")) {
            if (d.path("parentid").asInt() == 1) {
                second = Math.min(second, d.path("id").asInt());
            }
        }
        String leaver = null;
        for (JsonNode m : export.path("members")) {
            if (m.path("department").size() == 1 && m.path("department").get(0).asInt() == second) {
                leaver = m.path("userid").asText();
            }
        }
        assertTrue(leaver != null, "a member only in department " + second);
        sim.send("DELETE", "/__sim/corps/" + corp + "/members/" + leaver, null);

        clock.advance(Duration.ofSeconds(1));
        Run run = node.sync(corp, (c, done, total) -> {
            if (done == 1) {
                sim.fault(Map.of("path", "/cgi-bin/user/list", "corpId", corp, "errcode", 60123, "count", 1));
            }
        });

        assertEquals(RunStatus.SUCCEEDED, run.status(), run.error());
        assertEquals(0, run.membersRemoved());
        assertEquals(Set.of(), OrgTruth.departed(node.dataSource(), corp), "unknown is not gone");
        sim.clearFaults();
        Run next = run(corp);
        assertEquals(1, next.membersRemoved(), "a complete fetch departs the member");
        assertEquals(Set.of(leaver), OrgTruth.departed(node.dataSource(), corp));
    }

    private String corp() {
        return "ww-guard-" + CORPS.incrementAndGet();
    }

    private Node node(String dialect, String robot, String removalRatio) throws Exception {
        String db = DATABASES.computeIfAbsent(dialect, d -> TestDatabases.url(d, "sync_guards"));
        return TestNode.on(db, sim.baseUrl())
                .with("ORGSYNC_DEPT_RATE", 200)
                .with("ORGSYNC_MAX_REMOVAL_RATIO", removalRatio)
                .alertsTo(sim.baseUrl(), robot)
                .start(clock);
    }

    private List<String> synced(String corp, int departments, int members, boolean mobileVisible) throws Exception {
        sim.createCorp(corp, SECRET, departments, members, mobileVisible);
        node.enterprises().put(corp, new EnterpriseChange(corp, SECRET, TestNode.NEVER, true, null));
        Run first = run(corp);
        assertEquals(RunStatus.SUCCEEDED, first.status(), first.error());
        assertStoredEqualsExport(corp, Map.of());
        List<String> userids = new ArrayList<>();
        sim.export(corp)
                .path("members")
                .forEach(m -> userids.add(m.path("userid").asText()));
        return userids;
    }

    /** One run, the clock first moved past the quiet second between runs. */
    private Run run(String corp) throws Exception {
        clock.advance(Duration.ofSeconds(1));
        return node.sync(corp, SyncProgress.NONE);
    }

    private void assertStoredEqualsExport(String corp, Map<String, String> learnedMobiles) throws Exception {
        List<String> differences = OrgTruth.fromExport(sim.export(corp), learnedMobiles)
                .diff(OrgTruth.fromDatabase(node.dataSource(), corp));
        assertTrue(differences.isEmpty(), OrgTruth.describe(differences));
    }

    private int mobilesStored(String corp) throws Exception {
        return (int) OrgTruth.fromDatabase(node.dataSource(), corp).members.values().stream()
                .filter(p -> p.mobile() != null)
                .count();
    }

    private static JsonNode memberOf(JsonNode export, String userid) {
        for (JsonNode m : export.path("members")) {
            if (m.path("userid").asText().equals(userid)) {
                return m;
            }
        }
        assertNull(userid, "no member " + userid + " in the export");
        return null;
    }
}
