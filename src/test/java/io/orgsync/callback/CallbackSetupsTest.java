package io.orgsync.callback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.orgsync.enterprise.EnterpriseChange;
import io.orgsync.sync.Run;
import io.orgsync.sync.RunStatus;
import io.orgsync.testing.ApiNode;
import io.orgsync.testing.ExportPicks;
import io.orgsync.testing.OrgTruth;
import io.orgsync.testing.SimulatorControl;
import io.orgsync.testing.TestDatabases;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * ID-only callbacks under today's set-ups (docs/setups.md, "Callbacks"): a member event is re-read
 * through the secret that can read the member, never through a contact-sync secret that answers
 * 48009; without one, the event's Department list is written.
 */
class CallbackSetupsTest {
    private static final String APP = "cb-setup-app-secret-0123456789";
    private static final String CONTACT = "cb-setup-contact-secret-0123456789";

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
    void aContactSyncSecretOnANewIpWritesTheEventsDepartmentsWithoutAskingAgain(String dialect) throws Exception {
        String corp = "ww-cbs-ids-" + dialect;
        start(dialect, corp, null);
        // the admin API tells what this set-up reads, and which secrets it holds (never them)
        JsonNode listed = null;
        for (JsonNode e :
                CallbackFixture.admin(node).get("/admin/api/enterprises").json()) {
            if (e.path("corpId").asText().equals(corp)) {
                listed = e;
            }
        }
        assertEquals(
                "{\"app\":false,\"contactSync\":true}", listed.path("secrets").toString());
        JsonNode access = listed.path("access");
        assertEquals(
                "false hidden true whole",
                access.path("names").asText() + " " + access.path("mobiles").asText() + " "
                        + access.path("complete").asText() + " "
                        + access.path("range").asText(),
                access.toString());
        assertTrue(access.path("checkedAt").asText().endsWith("Z"), access.toString());
        assertTrue(!listed.toString().contains(CONTACT), "never the secret");
        long refused = errors(48009);
        JsonNode export = sim.export(corp);
        String moved = export.path("members").get(0).path("userid").asText();
        String left = export.path("members").get(1).path("userid").asText();
        int target = export.path("departments").get(3).path("id").asInt();
        String base = "/__sim/corps/" + corp;
        sim.post(base + "/members", Map.of("userid", "cbs-new", "name", "新人", "department", List.of(target)));
        sim.send("PATCH", base + "/members/" + moved, Map.of("department", List.of(target)));
        sim.send("DELETE", base + "/members/" + left, null);
        // a department created: its event carries its id and parent, and no secret can read its name
        int created = sim.post(base + "/departments", Map.of("name", "新部门", "parentid", target))
                .path("id")
                .asInt();

        settle(corp);
        assertEquals(ids(sim.export(corp)), ids(corp), "the events' Department lists, applied");
        // nothing read: a member known by id has no name (null: not known), none invented
        assertNull(stored(corp).members.get("cbs-new").name());
        JsonNode member = node.get("/api/v1/corps/" + corp + "/members/cbs-new").json();
        assertTrue(member.has("name") && member.path("name").isNull(), member.toString());
        JsonNode department = null;
        for (JsonNode d : node.get("/api/v1/corps/" + corp + "/departments").json()) {
            if (d.path("id").asInt() == created) {
                department = d;
            }
        }
        assertTrue(department != null, "the created department is stored");
        assertTrue(department.path("name").isNull(), "a name no one read is null, not \"\": " + department);
        assertTrue(department.path("path").isNull(), department.toString());
        assertEquals(target, department.path("parentId").asInt(), "the event's ParentId");
        assertEquals(0, errors(48009) - refused, "no user/get through a secret known to answer 48009");
        assertEquals(0, sim.calls("/cgi-bin/user/get", corp));

        // a rename sends no event, and the id lists carry no names: the next sync sees nothing to correct
        Map<Long, String> names = departmentNames(corp);
        sim.send("PATCH", base + "/departments/" + target, Map.of("name", "改名部门"));
        Run next = node.sync(corp);
        assertEquals(RunStatus.SUCCEEDED, next.status(), next.error());
        assertEquals(names, departmentNames(corp), "names this set-up never read stay unknown");
        assertEquals(0, next.drift(), "nothing it could see was missed: no drift");
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "mariadb"})
    void aContactSyncSecretNotYetKnownToBeRefusedIsAskedOnceForManyEvents(String dialect) throws Exception {
        String corp = "ww-cbs-fresh-" + dialect;
        start(dialect, corp, null);
        // the admin resets the contact-sync secret, still used from the new IP: nothing is known of the new one
        String fresh = CONTACT + "-reset";
        String base = "/__sim/corps/" + corp;
        sim.send("PATCH", base + "/setup", Map.of("contactSecret", fresh));
        node.node.enterprises().put(corp, new EnterpriseChange(null, null, null, null, null, fresh));
        long refused = errors(48009);
        long asked = sim.calls("/cgi-bin/user/get", corp);
        JsonNode export = sim.export(corp);
        int target = export.path("departments").get(2).path("id").asInt();
        int moved = 0;
        for (JsonNode m : export.path("members")) {
            if (moved < 6 && !m.path("department").toString().equals("[" + target + "]")) {
                sim.send(
                        "PATCH", base + "/members/" + m.path("userid").asText(), Map.of("department", List.of(target)));
                moved++;
            }
        }

        settle(corp);
        assertEquals(1, errors(48009) - refused, "the new secret's 48009 is learned at its first refusal");
        assertEquals(1, sim.calls("/cgi-bin/user/get", corp) - asked, "one user/get for six ID-only events");
        assertEquals(ids(sim.export(corp)), ids(corp), "the events' Department lists, applied");
        List<StoredEvent> events = node.node.events().recent(corp, 100);
        assertEquals(moved, events.size());
        assertTrue(events.stream().allMatch(e -> e.status() == EventStatus.APPLIED), events.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "mariadb"})
    void anAppReadsTheMembersInItsRangeAndTheEventTellsTheRest(String dialect) throws Exception {
        String corp = "ww-cbs-both-" + dialect;
        sim.createCorp(corp, APP, 25, 60, false);
        JsonNode export = sim.export(corp);
        int range = -1;
        int outside = -1;
        for (JsonNode d : export.path("departments")) {
            if (d.path("parentid").asInt() == 1) {
                if (range < 0) {
                    range = d.path("id").asInt();
                } else if (outside < 0) {
                    outside = d.path("id").asInt();
                }
            }
        }
        sim.send(
                "PATCH",
                "/__sim/corps/" + corp + "/setup",
                Map.of("contactSecret", CONTACT, "newIp", true, "appRange", Map.of("departments", List.of(range))));
        start(dialect, corp, APP);
        long refused = errors(48009);
        String base = "/__sim/corps/" + corp;
        sim.post(base + "/members", Map.of("userid", "cbs-in", "name", "范围内", "department", List.of(range)));
        sim.post(base + "/members", Map.of("userid", "cbs-out", "name", "范围外", "department", List.of(outside)));

        settle(corp);
        OrgTruth stored = stored(corp);
        assertEquals("范围内", stored.members.get("cbs-in").name(), "read through the app");
        assertNull(stored.members.get("cbs-out").name(), "outside the range: the event's departments alone");
        assertEquals(Set.of((long) outside), stored.members.get("cbs-out").departments());
        assertEquals(0, errors(48009) - refused);
        assertTrue(node.node.events().recent(corp, 100).stream().noneMatch(e -> e.status() == EventStatus.FAILED));
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "mariadb"})
    void aRangedAppReadsItsRangeAndWritesTheOthersFromTheirEventsNeverDeparted(String dialect) throws Exception {
        String corp = "ww-cbs-ranged-" + dialect;
        sim.createCorp(corp, APP, 25, 60, false);
        JsonNode export = sim.export(corp);
        // the largest subtree of at most half the company: a range that leaves some departments out
        int range = ExportPicks.partialRange(export, 12);
        // the first sync sees the whole company, then the admin narrows the app's range
        start(dialect, corp, APP, null);
        String base = "/__sim/corps/" + corp;
        sim.send("PATCH", base + "/setup", Map.of("appRange", Map.of("departments", List.of(range))));
        Set<Long> inRange = ExportPicks.subtree(export, range);
        List<Long> outside = new java.util.ArrayList<>();
        export.path("departments").forEach(d -> {
            if (!inRange.contains(d.path("id").asLong()) && d.path("id").asLong() != 1) {
                outside.add(d.path("id").asLong());
            }
        });
        String outsider = null;
        Set<Long> was = null;
        for (JsonNode m : export.path("members")) {
            Set<Long> ds = new TreeSet<>();
            m.path("department").forEach(d -> ds.add(d.asLong()));
            if (outsider == null && ds.stream().noneMatch(inRange::contains) && !ds.equals(Set.of(outside.get(0)))) {
                outsider = m.path("userid").asText();
                was = ds;
            }
        }
        String keptName = stored(corp).members.get(outsider).name();
        long outOfRange = errors(60011);
        sim.post(base + "/members", Map.of("userid", "cbs-in", "name", "范围内", "department", List.of(range)));
        sim.post(base + "/members", Map.of("userid", "cbs-out", "name", "范围外", "department", List.of(outside.get(0))));
        sim.send("PATCH", base + "/members/" + outsider, Map.of("department", List.of(outside.get(0))));

        settle(corp);
        OrgTruth stored = stored(corp);
        assertEquals("范围内", stored.members.get("cbs-in").name(), "in the range: read through the app, details");
        assertNull(stored.members.get("cbs-out").name(), "outside: the event's Department list alone");
        assertEquals(Set.of(outside.get(0)), stored.members.get("cbs-out").departments());
        assertEquals(Set.of(outside.get(0)), stored.members.get(outsider).departments(), "moved from " + was);
        assertEquals(keptName, stored.members.get(outsider).name(), "what the app read before stays");
        assertTrue(OrgTruth.departed(node.node.dataSource(), corp).isEmpty(), "no one outside the range departed");
        assertTrue(errors(60011) - outOfRange >= 2, "user/get outside the range answers 60011");
        assertTrue(node.node.events().recent(corp, 100).stream().allMatch(e -> e.status() == EventStatus.APPLIED));
    }

    /** A first sync with the contact-sync secret on a new IP (and {@code app} when given), then ids-style callbacks. */
    private void start(String dialect, String corp, String app) throws Exception {
        start(dialect, corp, app, CONTACT);
    }

    /** As above, the enterprise holding {@code contact} as its contact-sync secret (none when null). */
    private void start(String dialect, String corp, String app, String contact) throws Exception {
        if (app == null) {
            Map<String, Object> body = new HashMap<>();
            body.put("corpId", corp);
            body.put("secret", APP);
            body.put("departments", 12);
            body.put("members", 60);
            body.put("contactSecret", CONTACT);
            body.put("newIp", true);
            body.put("seed", corp.hashCode());
            sim.post("/__sim/corps", body);
        }
        node = ApiNode.start(
                "cbs-" + dialect,
                TestDatabases.url(dialect, "callback_setups"),
                sim,
                Map.of("ORGSYNC_ADMIN_TOKEN", CallbackFixture.ADMIN_TOKEN));
        node.node.enterprises().put(corp, new EnterpriseChange(corp, app, "0 0 3 1 1 ? 2099", true, null, contact));
        Run first = node.sync(corp);
        assertEquals(RunStatus.SUCCEEDED, first.status(), first.error());
        CallbackFixture.connect(sim, node, corp, Map.of("style", "ids"));
    }

    private void settle(String corp) {
        int events = sim.send("GET", "/__sim/corps/" + corp + "/callback", null)
                .path("generated")
                .asInt();
        CallbackFixture.settle(sim, node, corp, events);
    }

    private OrgTruth stored(String corp) throws Exception {
        return OrgTruth.fromDatabase(node.node.dataSource(), corp);
    }

    private Map<String, Set<Long>> ids(String corp) throws Exception {
        Map<String, Set<Long>> out = new TreeMap<>();
        stored(corp).members.values().forEach(p -> out.put(p.userid(), new TreeSet<>(p.departments())));
        return out;
    }

    private static Map<String, Set<Long>> ids(JsonNode export) {
        Map<String, Set<Long>> out = new TreeMap<>();
        OrgTruth.fromExport(export).members.values().forEach(p -> out.put(p.userid(), new TreeSet<>(p.departments())));
        return out;
    }

    private Map<Long, String> departmentNames(String corp) throws Exception {
        Map<Long, String> out = new TreeMap<>();
        stored(corp).departments.values().forEach(d -> out.put(d.id(), d.name()));
        return out;
    }

    private long errors(int code) {
        return sim.stats().path("errors").path(String.valueOf(code)).asLong(0);
    }
}
