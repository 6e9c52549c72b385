package io.orgsync.read;

import static io.orgsync.testing.ApiAssertions.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.orgsync.NodeInternals;
import io.orgsync.member.Mobile;
import io.orgsync.sync.RunStatus;
import io.orgsync.testing.ApiNode;
import io.orgsync.testing.Scrape;
import io.orgsync.testing.SimulatorControl;
import io.orgsync.testing.cluster.ClusterDb;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The read cache across a cluster on MariaDB: writer nodes A and B and a read-only node R (its
 * own SELECT-only account), one JVM, separate pools. Each node first shows that it serves the
 * answer from its cache (its hit counter moves, its miss counter does not); then a write commits
 * on A, A answers the new data at once (the very next request), and B and R within the staleness
 * bound (250 ms by default; the tests allow 10 s, for a loaded machine, and print the lag).
 */
class CacheInvalidationTest {
    private static final String SECRET = "invalidate-secret-0123456789";
    private static final Duration BOUND = Duration.ofSeconds(10);
    private static SimulatorControl sim;
    private static ClusterDb db;
    private static ApiNode a;
    private static ApiNode b;
    private static ApiNode r;

    @BeforeAll
    static void start() throws Exception {
        sim = new SimulatorControl();
        db = ClusterDb.create("read_invalidate");
        a = ApiNode.start("inv-a", db.url, sim, Map.of());
        b = ApiNode.start("inv-b", db.url, sim, Map.of());
        r = ApiNode.start(
                "inv-r",
                db.url,
                sim,
                Map.of(
                        "ORGSYNC_READ_ONLY",
                        "true",
                        "ORGSYNC_DB_USER",
                        db.readOnlyUser,
                        "ORGSYNC_DB_PASSWORD",
                        db.readOnlyPassword));
    }

    @AfterAll
    static void stop() {
        for (ApiNode n : new ApiNode[] {r, b, a}) {
            if (n != null) {
                n.close();
            }
        }
        if (db != null) {
            db.dropReadOnlyAccount();
        }
        sim.close();
    }

    @Test
    void aSyncIsServedAtOnceByTheNodeThatAppliedItAndWithinTheBoundByTheOthersReadOnlyIncluded() throws Exception {
        String corp = corp("ww-inv-sync", 4, 40);
        JsonNode m = mainland(sim.export(corp));
        String userid = m.path("userid").asText();
        String byMobile = "/api/v1/members/by-mobile/" + m.path("mobile").asText();
        String byUserid = "/api/v1/corps/" + corp + "/members/" + userid;
        String name = m.path("name").asText();
        for (ApiNode n : List.of(a, b, r)) {
            assertServedFromCache(n, byMobile);
            assertServedFromCache(n, byUserid);
            assertEquals(name, firstName(n.get(byMobile)));
        }

        sim.send("PATCH", "/__sim/corps/" + corp + "/members/" + userid, Map.of("name", "改名一号"));
        assertEquals(RunStatus.SUCCEEDED, a.sync(corp).status());
        long committed = System.nanoTime();
        assertEquals("改名一号", firstName(a.get(byMobile)), "the applying node, at once");
        assertEquals("改名一号", a.get(byUserid).json().path("name").asText(), "the applying node, at once");
        for (ApiNode n : List.of(b, r)) {
            long lag = awaitNanos(() -> "改名一号".equals(firstName(n.get(byMobile)))
                    && "改名一号".equals(n.get(byUserid).json().path("name").asText()));
            System.out.printf(
                    "%s served the sync's change %.0f ms after its commit%n",
                    n.webhookKey, (System.nanoTime() - committed) / 1e6);
            assertTrue(lag >= 0, n.webhookKey + " serves the change within " + BOUND);
        }
        // and from the cache again, now with the new data
        assertServedFromCache(r, byMobile);
        assertEquals("改名一号", firstName(r.get(byMobile)));
    }

    @Test
    void aResolveIsVisibleAtOnceOnTheNodeThatMadeItThoughItsNotFoundWasCached() throws Exception {
        String corp = corp("ww-inv-resolve", 2, 10);
        String mobile = "13911112222";
        sim.post(
                "/__sim/corps/" + corp + "/members",
                Map.of("userid", "newcomer", "name", "新人", "mobile", mobile, "department", List.of(1)));
        String lookup = "/api/v1/members/by-mobile/" + mobile;
        String inCorp = lookup + "?corpId=" + corp;
        for (ApiNode n : List.of(a, b, r)) {
            assertError(n.get(lookup), 404, "not_found", SECRET);
            assertError(n.get(inCorp), 404, "not_found", SECRET);
            assertServedFromCache(n, lookup);
        }

        ApiNode.Response resolved = a.resolve(corp, mobile);
        assertEquals(200, resolved.status(), resolved::toString);
        assertEquals(
                "newcomer",
                a.get(lookup).json().path("members").get(0).path("userid").asText(),
                "at once, across enterprises");
        assertEquals(
                "newcomer",
                a.get(inCorp).json().path("members").get(0).path("userid").asText(),
                "at once, in the enterprise");
        for (ApiNode n : List.of(b, r)) {
            assertTrue(awaitNanos(
                            () -> n.get(lookup).status() == 200 && n.get(inCorp).status() == 200)
                    >= 0);
        }
    }

    @Test
    void aDepartedMemberDisappearsFromEveryAnswer() throws Exception {
        String corp = corp("ww-inv-leave", 3, 30);
        JsonNode m = mainland(sim.export(corp));
        String userid = m.path("userid").asText();
        long department = m.path("department").get(0).asLong();
        String byMobile = "/api/v1/members/by-mobile/" + m.path("mobile").asText();
        String byUserid = "/api/v1/corps/" + corp + "/members/" + userid;
        String list = "/api/v1/corps/" + corp + "/departments/" + department + "/members?limit=1000";
        for (ApiNode n : List.of(a, b, r)) {
            assertEquals(200, n.get(byMobile).status());
            assertEquals(200, n.get(byUserid).status());
            assertTrue(n.get(list).text().contains("\"" + userid + "\""));
            assertServedFromCache(n, list);
        }

        sim.send("DELETE", "/__sim/corps/" + corp + "/members/" + userid, null);
        assertEquals(RunStatus.SUCCEEDED, a.sync(corp).status());
        assertGone(a, byMobile, byUserid, list, userid);
        for (ApiNode n : List.of(b, r)) {
            assertTrue(awaitNanos(() -> n.get(byMobile).status() == 404) >= 0);
            assertGone(n, byMobile, byUserid, list, userid);
        }
        assertEquals(200, b.get(byUserid + "?includeDeparted=true").status(), "kept, marked departed");
    }

    @Test
    void aDeletedEnterpriseIsUnknownAtOnceThereAndSoonElsewhere() throws Exception {
        String corp = corp("ww-inv-delete", 2, 10);
        String tree = "/api/v1/corps/" + corp + "/departments";
        String mobile = mainland(sim.export(corp)).path("mobile").asText();
        for (ApiNode n : List.of(a, b, r)) {
            assertEquals(200, n.get(tree).status());
            assertServedFromCache(n, tree);
            assertEquals(200, n.get("/api/v1/members/by-mobile/" + mobile).status());
        }
        a.node.enterprises().delete(corp);
        assertError(a.get(tree), 404, "unknown_corp", SECRET);
        assertError(a.get("/api/v1/members/by-mobile/" + mobile), 404, "not_found", SECRET);
        for (ApiNode n : List.of(b, r)) {
            assertTrue(awaitNanos(() -> n.get(tree).status() == 404) >= 0);
            assertError(n.get(tree), 404, "unknown_corp", SECRET);
            assertError(n.get("/api/v1/members/by-mobile/" + mobile), 404, "not_found", SECRET);
        }
    }

    /**
     * A restored database (or a fail-over to a lagging replica) has versions lower than the ones a
     * node cached answers for: the node drops that enterprise's answers and serves the database's
     * data within the bound, without waiting for enough new writes to pass the old version.
     */
    @Test
    void aVersionLowerThanTheCachedOneDropsTheEnterprisesAnswers() throws Exception {
        String corp = corp("ww-inv-restore", 2, 10);
        JsonNode m = mainland(sim.export(corp));
        String userid = m.path("userid").asText();
        String byMobile = "/api/v1/members/by-mobile/" + m.path("mobile").asText();
        String byUserid = "/api/v1/corps/" + corp + "/members/" + userid;
        for (ApiNode n : List.of(a, b, r)) {
            assertServedFromCache(n, byMobile);
            assertServedFromCache(n, byUserid);
            assertEquals(m.path("name").asText(), firstName(n.get(byMobile)));
        }
        long version = NodeInternals.readCache(a.node).version(corp);
        assertTrue(version >= 1, "the sync wrote version " + version);

        // what a restore of an older backup does: an older version, other data
        try (java.sql.Connection c = db.connect();
                java.sql.Statement st = c.createStatement()) {
            st.executeUpdate("UPDATE org_version SET version = " + (version - 1) + " WHERE corp_id = '" + corp + "'");
            st.executeUpdate(
                    "UPDATE member SET name = '备份里的名字' WHERE corp_id = '" + corp + "' AND userid = '" + userid + "'");
        }
        for (ApiNode n : List.of(a, b, r)) {
            // the cache follows the lower version (a node that bypasses its cache for a late poll
            // serves the restored rows a moment before its cache has followed: both are awaited)
            assertTrue(
                    awaitNanos(() -> "备份里的名字".equals(firstName(n.get(byMobile)))
                                    && "备份里的名字"
                                            .equals(n.get(byUserid)
                                                    .json()
                                                    .path("name")
                                                    .asText())
                                    && NodeInternals.readCache(n.node).version(corp) == version - 1)
                            >= 0,
                    n.webhookKey + " serves the restored data, and its cache follows the restored version, within "
                            + BOUND);
        }
        // a write after the restore moves on from the restored version, and is served at once
        sim.send("PATCH", "/__sim/corps/" + corp + "/members/" + userid, Map.of("name", "恢复后改名"));
        assertEquals(RunStatus.SUCCEEDED, a.sync(corp).status());
        assertEquals("恢复后改名", firstName(a.get(byMobile)), "the applying node, at once");
        assertEquals(version, NodeInternals.readCache(a.node).version(corp));
    }

    @Test
    void aChangeDropsTheAnswersItTouchedAndNoOther() throws Exception {
        String corp = corp("ww-inv-exact", 2, 20);
        List<JsonNode> members = mainlands(sim.export(corp));
        JsonNode changed = members.get(0);
        JsonNode kept = members.get(1);
        String changedByMobile =
                "/api/v1/members/by-mobile/" + changed.path("mobile").asText();
        List<String> keptPaths = List.of(
                "/api/v1/members/by-mobile/" + kept.path("mobile").asText(),
                "/api/v1/members/by-mobile/" + kept.path("mobile").asText() + "?corpId=" + corp,
                "/api/v1/corps/" + corp + "/members/" + kept.path("userid").asText());
        for (ApiNode n : List.of(a, b, r)) {
            assertServedFromCache(n, changedByMobile);
            for (String path : keptPaths) {
                assertServedFromCache(n, path);
            }
        }

        sim.send(
                "PATCH",
                "/__sim/corps/" + corp + "/members/" + changed.path("userid").asText(),
                Map.of("name", "只改这一位"));
        assertEquals(RunStatus.SUCCEEDED, a.sync(corp).status());
        assertEquals("只改这一位", firstName(a.get(changedByMobile)), "the applying node, at once");
        for (ApiNode n : List.of(b, r)) {
            assertTrue(
                    awaitNanos(() -> "只改这一位".equals(firstName(n.get(changedByMobile)))) >= 0,
                    n.webhookKey + " serves the change within " + BOUND);
        }
        // every node has followed the change by now: the other member's answers are still the cached ones
        for (ApiNode n : List.of(a, b, r)) {
            for (String path : keptPaths) {
                assertStillCached(n, path);
            }
        }
    }

    @Test
    void aSyncThatChangesNothingDropsNothing() throws Exception {
        String corp = corp("ww-inv-same", 2, 20);
        JsonNode m = mainland(sim.export(corp));
        List<String> paths = List.of(
                "/api/v1/members/by-mobile/" + m.path("mobile").asText(),
                "/api/v1/corps/" + corp + "/members/" + m.path("userid").asText(),
                "/api/v1/corps/" + corp + "/departments");
        Map<ApiNode, Double> dropped = new java.util.HashMap<>();
        for (ApiNode n : List.of(a, b, r)) {
            for (String path : paths) {
                assertServedFromCache(n, path);
            }
            dropped.put(n, Scrape.value(n, "orgsync_lookup_cache_invalidations_total"));
        }
        long version = NodeInternals.readCache(a.node).version(corp);

        assertEquals(RunStatus.SUCCEEDED, a.sync(corp).status());
        // two poll intervals for the others to have looked: what they would have dropped, they have dropped
        Thread.sleep(2 * b.node.settings().cacheStaleness().toMillis() + 100);
        assertEquals(
                version, NodeInternals.readCache(a.node).version(corp), "a sync that changed nothing moves no version");
        for (ApiNode n : List.of(a, b, r)) {
            for (String path : paths) {
                assertStillCached(n, path);
            }
            assertEquals(dropped.get(n), Scrape.value(n, "orgsync_lookup_cache_invalidations_total"), n.webhookKey);
        }
    }

    // ---- helpers

    /** An enterprise in the simulator, registered on A and synced (every node learns of it from the versions). */
    private static String corp(String corpId, int departments, int members) throws Exception {
        sim.createCorp(corpId, SECRET, departments, members, true);
        a.enterprise(corpId, SECRET);
        assertEquals(RunStatus.SUCCEEDED, a.sync(corpId).status());
        for (ApiNode n : List.of(b, r)) {
            assertTrue(
                    awaitNanos(() -> n.get("/api/v1/corps/" + corpId + "/departments")
                                            .status()
                                    == 200)
                            >= 0,
                    "every node knows " + corpId);
        }
        long version = NodeInternals.readCache(a.node).version(corpId);
        for (ApiNode n : List.of(b, r)) {
            assertTrue(
                    awaitNanos(() -> NodeInternals.readCache(n.node).version(corpId) == version) >= 0,
                    n.webhookKey + " followed the sync");
        }
        return corpId;
    }

    /** Asks twice more: the node's hit counter moves by two and its miss counter not at all. */
    private static void assertServedFromCache(ApiNode n, String path) throws Exception {
        n.get(path);
        double hits = Scrape.value(n, "orgsync_lookup_cache_hits_total");
        double misses = Scrape.value(n, "orgsync_lookup_cache_misses_total");
        ApiNode.Response first = n.get(path);
        ApiNode.Response second = n.get(path);
        assertEquals(first.text(), second.text());
        assertEquals(
                hits + 2,
                Scrape.value(n, "orgsync_lookup_cache_hits_total"),
                () -> n.webhookKey + " serves " + path + " from its cache");
        assertEquals(
                misses,
                Scrape.value(n, "orgsync_lookup_cache_misses_total"),
                () -> n.webhookKey + " reads nothing for " + path);
    }

    /** One more ask is a hit: the answer stayed in the cache. */
    private static void assertStillCached(ApiNode n, String path) throws Exception {
        double hits = Scrape.value(n, "orgsync_lookup_cache_hits_total");
        double misses = Scrape.value(n, "orgsync_lookup_cache_misses_total");
        n.get(path);
        assertEquals(
                hits + 1,
                Scrape.value(n, "orgsync_lookup_cache_hits_total"),
                () -> n.webhookKey + " still has " + path);
        assertEquals(
                misses, Scrape.value(n, "orgsync_lookup_cache_misses_total"), () -> n.webhookKey + " read " + path);
    }

    private static void assertGone(ApiNode n, String byMobile, String byUserid, String list, String userid)
            throws Exception {
        assertError(n.get(byMobile), 404, "not_found", SECRET);
        assertError(n.get(byUserid), 404, "not_found", SECRET);
        assertTrue(
                !n.get(list).text().contains("\"" + userid + "\""),
                n.webhookKey + ": not among the department's members");
    }

    private interface Check {
        boolean holds() throws Exception;
    }

    /** Polls every 10 ms until the check holds and returns how long it took, or -1 after {@link #BOUND}. */
    private static long awaitNanos(Check check) throws Exception {
        long start = System.nanoTime();
        while (System.nanoTime() - start < BOUND.toNanos()) {
            if (check.holds()) {
                return System.nanoTime() - start;
            }
            Thread.sleep(10);
        }
        return -1;
    }

    private static String firstName(ApiNode.Response lookup) {
        return lookup.json().path("members").path(0).path("name").asText(null);
    }

    private static JsonNode mainland(JsonNode export) {
        return mainlands(export).get(0);
    }

    /** The members with a mainland mobile (at least two: the generated orgs have plenty). */
    private static List<JsonNode> mainlands(JsonNode export) {
        List<JsonNode> out = new java.util.ArrayList<>();
        for (JsonNode m : export.path("members")) {
            if (Mobile.normalise(m.path("mobile").asText())
                            .filter(x -> x.matches("1[3-9]\\d{9}"))
                            .isPresent()
                    && m.path("mobile").asText().matches("\\d{11}")) {
                out.add(m);
            }
        }
        assertTrue(out.size() >= 2, "mainland numbers in the generated org: " + out.size());
        return out;
    }
}
