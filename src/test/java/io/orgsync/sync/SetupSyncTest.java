package io.orgsync.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.orgsync.Node;
import io.orgsync.enterprise.Access;
import io.orgsync.enterprise.EnterpriseChange;
import io.orgsync.testing.AdminClient;
import io.orgsync.testing.ExportPicks;
import io.orgsync.testing.LogCapture;
import io.orgsync.testing.MutableClock;
import io.orgsync.testing.OrgTruth;
import io.orgsync.testing.SimulatorControl;
import io.orgsync.testing.TestDatabases;
import io.orgsync.testing.TestNode;
import io.orgsync.token.TokenKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each set-up an enterprise has today (docs/setups.md) against the simulator: an app secret with a
 * partial visible range, a contact-sync secret on a new IP (ids only, 48009 asked once a day), both
 * together, and a contact-sync secret on an old IP; each with a first sync, a member added, moved
 * and departed, a department renamed, and what the set-up reads as the admin API shows it.
 */
class SetupSyncTest {
    private static final String APP = "setup-app-secret-0123456789";
    private static final String CONTACT = "setup-contact-secret-0123456789";
    private static final String ADMIN_TOKEN = "setup-admin-token-0123456789";
    private static final AtomicInteger CORPS = new AtomicInteger();
    private static final Map<String, String> DATABASES = new HashMap<>();

    @RegisterExtension
    static final SimulatorControl sim = new SimulatorControl();

    private final MutableClock clock = new MutableClock();
    private Node node;

    @AfterEach
    void closeNode() {
        if (node != null) {
            node.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "mariadb"})
    void aContactSyncSecretOnANewIpListsEveryIdAndAsksFor48009OnceADay(String dialect) throws Exception {
        String corp = corp();
        node = node(dialect, "0.2");
        create(corp, true);
        node.enterprises().put(corp, new EnterpriseChange(corp, null, TestNode.NEVER, true, null, CONTACT));
        long refused = errors(48009);

        assertSucceeded(run(corp));
        assertEquals(ids(sim.export(corp)), ids(stored(corp)), "every member with its departments");
        assertEquals(tree(sim.export(corp)), tree(stored(corp)), "the whole tree, ids and parents");
        assertTrue(
                stored(corp).members.values().stream().allMatch(p -> p.name() == null),
                "no names: none invented (null: not known)");
        assertEquals(1, errors(48009) - refused, "department/list is refused once");
        assertEquals(0, sim.calls("/cgi-bin/user/list", corp), "no member list is asked after a 48009");
        assertAccess(corp, false, false, true, true);
        String alert = node.alerts().recent(50).stream()
                .filter(a -> a.subject().equals(corp) && a.type().equals("upstream_config"))
                .map(a -> a.message())
                .findFirst()
                .orElse("no upstream_config alert");
        assertTrue(
                alert.contains("can only list ids") && alert.contains("app secret") && !alert.contains(CONTACT),
                "the alert says what is true: " + alert);

        Changes changes = change(corp, null, true);
        Run second = run(corp);
        assertSucceeded(second);
        assertEquals(1, second.membersAdded());
        assertEquals(1, second.membersRemoved());
        assertEquals(1, second.membersUpdated(), "the move");
        assertEquals(ids(sim.export(corp)), ids(stored(corp)));
        assertEquals(Set.of(changes.left), OrgTruth.departed(node.dataSource(), corp));
        assertEquals(1, errors(48009) - refused, "a known 48009 is not asked again the next run");
        assertEquals(1, sim.calls("/cgi-bin/department/list", corp));

        // the removal guard compares like with like: every id against every id
        List<String> userids = new ArrayList<>(ids(sim.export(corp)).keySet());
        for (int i = 0; i < userids.size() / 4; i++) {
            sim.send("DELETE", "/__sim/corps/" + corp + "/members/" + userids.get(i), null);
        }
        Run guarded = run(corp);
        assertEquals(RunStatus.REFUSED, guarded.status(), guarded.error());

        // a new contact-sync secret is asked at once; still on a new IP, it is known again
        sim.send("PATCH", "/__sim/corps/" + corp + "/setup", Map.of("contactSecret", CONTACT + "-2"));
        node.enterprises().put(corp, new EnterpriseChange(null, null, null, null, null, CONTACT + "-2"));
        assertEquals(RunStatus.REFUSED, run(corp).status());
        assertEquals(2, sim.calls("/cgi-bin/department/list", corp));
        assertEquals(RunStatus.REFUSED, run(corp).status());
        assertEquals(2, sim.calls("/cgi-bin/department/list", corp));

        // a day later the secret is asked for details again (the IP may have been trusted meanwhile)
        clock.advance(Duration.ofHours(25));
        sim.send("PATCH", "/__sim/corps/" + corp + "/setup", Map.of("newIp", false));
        node.close();
        node = node(dialect, "0.5");
        assertSucceeded(run(corp));
        assertEquals(3, sim.calls("/cgi-bin/department/list", corp));
        assertEquals(names(OrgTruth.fromExport(sim.export(corp))), names(stored(corp)), "full reads again");
        assertAccess(corp, true, true, true, true);
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "mariadb"})
    void aContactSyncSecretOnANewIpFollowsEveryListIdPage(String dialect) throws Exception {
        String corp = corp();
        node = node(dialect, "0.2");
        create(corp, true);
        node.enterprises().put(corp, new EnterpriseChange(corp, null, TestNode.NEVER, true, null, CONTACT));
        int rows = 0;
        for (JsonNode m : sim.export(corp).path("members")) {
            rows += m.path("department").size();
        }
        // user/list_id answers at most 25 rows a page, whatever the limit asked: the cursor must be followed
        sim.limits(Map.of("listIdPageRows", 25));
        try {
            assertSucceeded(run(corp));
        } finally {
            sim.send("DELETE", "/__sim/limits", null);
        }
        assertTrue(rows > 75, rows + " memberships: more than three pages");
        assertEquals((rows + 24) / 25, sim.calls("/cgi-bin/user/list_id", corp), "one call a page, every page");
        assertEquals(ids(sim.export(corp)), ids(stored(corp)), "every member from every page, with its departments");
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "mariadb"})
    void anAppWithAPartialRangeDepartsNoneOutsideIt(String dialect) throws Exception {
        String corp = corp();
        node = node(dialect, "0.2");
        int range = create(corp, false);
        node.enterprises().put(corp, new EnterpriseChange(corp, APP, TestNode.NEVER, true, null));
        assertSucceeded(run(corp));
        assertAccess(corp, true, false, false, true);
        Map<String, Set<Long>> everyone = ids(sim.export(corp));
        assertEquals(everyone, ids(stored(corp)));

        // the admin narrows the app's range: whom it no longer sees has not left the company
        sim.send("PATCH", "/__sim/corps/" + corp + "/setup", Map.of("appRange", Map.of("departments", List.of(range))));
        Run narrowed = run(corp);
        assertSucceeded(narrowed);
        assertEquals(0, narrowed.membersRemoved());
        assertEquals(everyone, ids(stored(corp)), "members outside the range are kept as they were");
        assertEquals(tree(sim.export(corp)), tree(stored(corp)), "departments outside the range are kept");
        assertAccess(corp, true, false, false, false);

        Set<Long> inRange = ExportPicks.subtree(sim.export(corp), range);
        String outsider = everyone.entrySet().stream()
                .filter(e -> e.getValue().stream().noneMatch(inRange::contains))
                .map(Map.Entry::getKey)
                .findFirst()
                .orElseThrow();
        sim.send("DELETE", "/__sim/corps/" + corp + "/members/" + outsider, null);
        Changes changes = change(corp, inRange, true);
        Run second = run(corp);
        assertSucceeded(second);
        assertEquals(Set.of(changes.left), OrgTruth.departed(node.dataSource(), corp), "only the member in range");
        assertEquals(
                inRange(ids(sim.export(corp)), inRange),
                inRange(ids(stored(corp)), inRange),
                "the range as the app sees it");
        assertEquals(everyone.get(outsider), ids(stored(corp)).get(outsider), "kept: the app cannot know");
        assertEquals(
                changes.newName, stored(corp).departments.get(changes.renamed).name());
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "mariadb"})
    void aRangedAppsRemovalGuardCountsTheMembersItCanSee(String dialect) throws Exception {
        String corp = corp();
        node = node(dialect, "0.2");
        int range = create(corp, false);
        node.enterprises().put(corp, new EnterpriseChange(corp, APP, TestNode.NEVER, true, null));
        assertSucceeded(run(corp));
        sim.send("PATCH", "/__sim/corps/" + corp + "/setup", Map.of("appRange", Map.of("departments", List.of(range))));
        assertSucceeded(run(corp));

        // more than a fifth of the members the app sees leave, far less than a fifth of all those stored
        Set<Long> inRange = ExportPicks.subtree(sim.export(corp), range);
        List<String> seen =
                new ArrayList<>(inRange(ids(sim.export(corp)), inRange).keySet());
        int stored = ids(stored(corp)).size();
        int leaving = seen.size() / 5 + 1;
        assertTrue(leaving <= stored / 5, leaving + " of " + seen.size() + " seen, " + stored + " stored");
        for (String userid : seen.subList(0, leaving)) {
            sim.send("DELETE", "/__sim/corps/" + corp + "/members/" + userid, null);
        }
        Run guarded = run(corp);
        assertEquals(RunStatus.REFUSED, guarded.status(), guarded.error());
        assertTrue(
                guarded.error().contains(leaving + " of " + seen.size() + " members"),
                "like with like: " + guarded.error());
        assertTrue(OrgTruth.departed(node.dataSource(), corp).isEmpty(), "nothing applied");
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "mariadb"})
    void aDepartmentOutsideTheAppsRangeIsSkippedNotAFailure(String dialect) throws Exception {
        String corp = corp();
        node = node(dialect, "0.2");
        create(corp, false);
        node.enterprises().put(corp, new EnterpriseChange(corp, APP, TestNode.NEVER, true, null));
        assertSucceeded(run(corp));
        Map<String, Set<Long>> before = ids(stored(corp));
        sim.fault(Map.of("path", "/cgi-bin/user/list", "corpId", corp, "errcode", 60011, "count", 1));

        Run ranged = run(corp);
        sim.clearFaults();
        assertSucceeded(ranged);
        assertEquals(0, ranged.membersRemoved(), "its members are unknown, not departed");
        assertEquals(before, ids(stored(corp)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "mariadb"})
    void anAppAndAContactSyncSecretOnANewIpReadDetailsInRangeAndEveryIdOutside(String dialect) throws Exception {
        String corp = corp();
        node = node(dialect, "0.2");
        int range = create(corp, true);
        sim.send("PATCH", "/__sim/corps/" + corp + "/setup", Map.of("appRange", Map.of("departments", List.of(range))));
        node.enterprises().put(corp, new EnterpriseChange(corp, APP, TestNode.NEVER, true, null, CONTACT));

        long refused = errors(48009);
        assertSucceeded(run(corp));
        JsonNode export = sim.export(corp);
        Set<Long> inRange = ExportPicks.subtree(export, range);
        assertEquals(ids(export), ids(stored(corp)), "every member, in range or not");
        assertEquals(tree(export), tree(stored(corp)));
        OrgTruth truth = OrgTruth.fromExport(export);
        stored(corp).members.values().forEach(p -> {
            boolean seen = p.departments().stream().anyMatch(inRange::contains);
            assertEquals(seen ? truth.members.get(p.userid()).name() : null, p.name(), p.userid());
        });
        assertAccess(corp, true, false, true, false);

        // an outsider leaves: the id lists tell it, though the app could never see it
        Changes changes = change(corp, inRange, false);
        assertSucceeded(run(corp));
        assertEquals(Set.of(changes.left), OrgTruth.departed(node.dataSource(), corp));
        assertEquals(ids(sim.export(corp)), ids(stored(corp)));
        assertEquals(1, errors(48009) - refused, "a known 48009 is not asked again");
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "mariadb"})
    void aContactSyncSecretOnAnOldIpReadsEverything(String dialect) throws Exception {
        String corp = corp();
        node = node(dialect, "0.2");
        create(corp, false);
        node.enterprises().put(corp, new EnterpriseChange(corp, null, TestNode.NEVER, true, null, CONTACT));
        assertSucceeded(run(corp));
        assertEquals(names(OrgTruth.fromExport(sim.export(corp))), names(stored(corp)));
        assertAccess(corp, true, true, true, true);

        // it reads everything, so the copy follows every change: added, moved, departed, renamed
        Changes changes = change(corp, null, true);
        Run second = run(corp);
        assertSucceeded(second);
        assertEquals(
                List.of(1, 1, 1),
                List.of(second.membersAdded(), second.membersUpdated(), second.membersRemoved()),
                "added, moved, departed");
        assertEquals(names(OrgTruth.fromExport(sim.export(corp))), names(stored(corp)));
        assertEquals(Set.of(changes.left), OrgTruth.departed(node.dataSource(), corp));
        assertEquals(
                changes.newName, stored(corp).departments.get(changes.renamed).name());
        assertEquals(0, sim.calls("/cgi-bin/user/list_id", corp), "full reads need no id lists");
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "mariadb"})
    void theAdminApiTakesEitherSecretAloneOrBothEachWithItsOwnToken(String dialect) throws Exception {
        node = node(dialect, "0.2");
        List<String> answers = AdminClient.newLog();
        AdminClient admin = new AdminClient("http://127.0.0.1:" + node.port(), ADMIN_TOKEN, answers);
        try (LogCapture logs = LogCapture.start()) {
            // the contact-sync secret alone
            String alone = corp();
            create(alone, true);
            JsonNode put = ok(admin.put(
                    "/admin/api/enterprises/" + alone,
                    Map.of("name", "Contact only", "contactSecret", CONTACT, "cron", TestNode.NEVER)));
            assertEquals(
                    "{\"app\":false,\"contactSync\":true}", put.path("secrets").toString(), put.toString());
            assertEquals(
                    "{\"app\":false,\"contactSync\":true}",
                    listed(admin, alone).path("secrets").toString());
            assertSucceeded(run(alone));
            assertEquals(1, sim.tokensIssued(alone + "/contact"), "the contact-sync secret's own token");
            assertEquals(0, sim.tokensIssued(alone), "no app token without an app secret");

            // the app secret added: both held, each with a token of its own
            put = ok(admin.put("/admin/api/enterprises/" + alone, Map.of("secret", APP)));
            assertEquals(
                    "{\"app\":true,\"contactSync\":true}", put.path("secrets").toString(), put.toString());
            assertSucceeded(run(alone));
            assertEquals(1, sim.tokensIssued(alone), "the app secret's own token");
            assertEquals(1, sim.tokensIssued(alone + "/contact"), "the contact-sync token kept");

            // both in one PUT
            String both = corp();
            create(both, true);
            put = ok(admin.put(
                    "/admin/api/enterprises/" + both,
                    Map.of("secret", APP, "contactSecret", CONTACT, "cron", TestNode.NEVER)));
            assertEquals(
                    "{\"app\":true,\"contactSync\":true}", put.path("secrets").toString(), put.toString());
            assertSucceeded(run(both));
            assertEquals(1, sim.tokensIssued(both));
            assertEquals(1, sim.tokensIssued(both + "/contact"));
            assertEquals(
                    Set.of(
                            TokenKey.wecom(both, APP).id(),
                            TokenKey.wecom(both, CONTACT).id()),
                    tokenRows(both),
                    "a stored token per secret, keyed by the secret's fingerprint");

            for (String secret : List.of(APP, CONTACT)) {
                assertTrue(answers.stream().noneMatch(a -> a.contains(secret)), "never answered: " + answers);
                assertTrue(
                        logs.lines().stream()
                                .noneMatch(l -> l.rendered().contains(secret)
                                        || l.written().contains(secret)),
                        "never logged");
            }
        }
    }

    private static JsonNode ok(AdminClient.Reply reply) {
        assertEquals(200, reply.status(), reply.toString());
        return reply.json();
    }

    /** The keys of the stored tokens of {@code corp}. */
    private Set<String> tokenRows(String corp) throws Exception {
        Set<String> out = new TreeSet<>();
        try (Connection c = node.dataSource().getConnection();
                PreparedStatement q = c.prepareStatement("SELECT token_key FROM upstream_token "
                        + "WHERE token_key LIKE ? AND access_token IS NOT NULL")) {
            q.setString(1, "wecom:" + corp + ":%");
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    private static JsonNode listed(AdminClient admin, String corp) {
        for (JsonNode e : ok(admin.get("/admin/api/enterprises"))) {
            if (e.path("corpId").asText().equals(corp)) {
                return e;
            }
        }
        throw new AssertionError(corp + " is not listed");
    }

    /** What one round of upstream changes did. */
    private record Changes(String left, long renamed, String newName) {}

    /**
     * A member added, one moved and one departed, a department renamed: all within {@code range}
     * ({@code inside}) or all outside it, anywhere when it is null.
     */
    private Changes change(String corp, Set<Long> range, boolean inside) {
        JsonNode export = sim.export(corp);
        List<String> candidates = new ArrayList<>();
        List<Long> departments = new ArrayList<>();
        export.path("departments").forEach(d -> {
            if (range == null || range.contains(d.path("id").asLong()) == inside) {
                departments.add(d.path("id").asLong());
            }
        });
        long target = departments.get(departments.size() - 1);
        export.path("members").forEach(m -> {
            Set<Long> ds = new TreeSet<>();
            m.path("department").forEach(d -> ds.add(d.asLong()));
            // one already in the target alone would not move
            if ((range == null || (inside ? range.containsAll(ds) : ds.stream().noneMatch(range::contains)))
                    && !ds.equals(Set.of(target))) {
                candidates.add(m.path("userid").asText());
            }
        });
        sim.post(
                "/__sim/corps/" + corp + "/members",
                Map.of("userid", "newcomer-" + corp, "name", "新同事", "department", List.of(target)));
        sim.send(
                "PATCH",
                "/__sim/corps/" + corp + "/members/" + candidates.get(0),
                Map.of("department", List.of(target)));
        String left = candidates.get(1);
        sim.send("DELETE", "/__sim/corps/" + corp + "/members/" + left, null);
        long renamed = departments.get(departments.size() / 2);
        String newName = "改名部门" + renamed;
        sim.send("PATCH", "/__sim/corps/" + corp + "/departments/" + renamed, Map.of("name", newName));
        return new Changes(left, renamed, newName);
    }

    /** Creates the corp; answers the child of the root with the most departments below it. */
    private int create(String corp, boolean newIp) {
        Map<String, Object> body = new HashMap<>();
        body.put("corpId", corp);
        body.put("secret", APP);
        body.put("departments", 25);
        body.put("members", 120);
        body.put("mobileVisible", false);
        body.put("seed", corp.hashCode());
        body.put("contactSecret", CONTACT);
        body.put("newIp", newIp);
        sim.post("/__sim/corps", body);
        JsonNode export = sim.export(corp);
        // the largest subtree of at most half the company: a range that leaves some departments out
        return ExportPicks.partialRange(export, export.path("departments").size() / 2);
    }

    private static Map<String, Set<Long>> ids(JsonNode export) {
        Map<String, Set<Long>> out = new TreeMap<>();
        OrgTruth.fromExport(export).members.values().forEach(p -> out.put(p.userid(), p.departments()));
        return out;
    }

    private static Map<String, Set<Long>> ids(OrgTruth truth) {
        Map<String, Set<Long>> out = new TreeMap<>();
        truth.members.values().forEach(p -> out.put(p.userid(), Set.copyOf(p.departments())));
        return out;
    }

    /** Each member's name and departments (the contact-sync secret reads mobiles an app would not). */
    private static Map<String, String> names(OrgTruth truth) {
        Map<String, String> out = new TreeMap<>();
        truth.members.values().forEach(p -> out.put(p.userid(), p.name() + " " + new TreeSet<>(p.departments())));
        return out;
    }

    private static Map<String, Set<Long>> inRange(Map<String, Set<Long>> all, Set<Long> range) {
        Map<String, Set<Long>> out = new TreeMap<>();
        all.forEach((u, ds) -> {
            if (ds.stream().anyMatch(range::contains)) {
                out.put(u, ds);
            }
        });
        return out;
    }

    private static Map<Long, Long> tree(JsonNode export) {
        Map<Long, Long> out = new TreeMap<>();
        OrgTruth.fromExport(export).departments.values().forEach(d -> out.put(d.id(), d.parentId()));
        return out;
    }

    private static Map<Long, Long> tree(OrgTruth truth) {
        Map<Long, Long> out = new TreeMap<>();
        truth.departments.values().forEach(d -> out.put(d.id(), d.parentId()));
        return out;
    }

    private OrgTruth stored(String corp) throws Exception {
        return OrgTruth.fromDatabase(node.dataSource(), corp);
    }

    private void assertAccess(String corp, boolean names, boolean mobiles, boolean complete, boolean whole)
            throws Exception {
        Access a = node.enterprises().listing(corp).access();
        assertEquals(
                List.of(names, mobiles, complete, whole),
                List.of(a.names(), a.mobilesVisible(), a.complete(), a.wholeRange()),
                "names, mobiles visible, complete, whole range");
        assertFalse(a.checkedAt() <= 0);
    }

    private static void assertSucceeded(Run run) {
        assertEquals(RunStatus.SUCCEEDED, run.status(), run.error());
    }

    private long errors(int code) {
        return sim.stats().path("errors").path(String.valueOf(code)).asLong(0);
    }

    private String corp() {
        return "ww-setup-" + CORPS.incrementAndGet();
    }

    private Node node(String dialect, String removalRatio) throws Exception {
        String db = DATABASES.computeIfAbsent(dialect, d -> TestDatabases.url(d, "setup_sync"));
        return TestNode.on(db, sim.baseUrl())
                .with("ORGSYNC_DEPT_RATE", 200)
                .with("ORGSYNC_MAX_REMOVAL_RATIO", removalRatio)
                .with("ORGSYNC_ADMIN_TOKEN", ADMIN_TOKEN)
                .start(clock);
    }

    /** One run, the clock first moved past the quiet second between runs. */
    private Run run(String corp) throws Exception {
        clock.advance(Duration.ofSeconds(1));
        return node.sync(corp, SyncProgress.NONE);
    }
}
