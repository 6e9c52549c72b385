package io.orgsync.api;

import static io.orgsync.testing.ApiAssertions.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.orgsync.sync.RunStatus;
import io.orgsync.testing.ApiNode;
import io.orgsync.testing.MutableClock;
import io.orgsync.testing.SimulatorControl;
import io.orgsync.testing.TestDatabases;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A mobile a resolve learned (the app hides mobiles) belongs to the person it was learned for:
 * it does not pass to a newcomer who gets the same userid after a departure, and a pair older
 * than ORGSYNC_RESOLVE_RECHECK_DAYS is confirmed with getuserid before it answers a resolve, so a
 * number that moved to someone else stops naming its old holder. Over HTTP, on H2 and MariaDB.
 */
class LearnedMobileTest {
    private static final String SECRET = "learned-secret-0123456789";
    private static final String GETUSERID = "/cgi-bin/user/getuserid";
    private static final String USER_GET = "/cgi-bin/user/get";
    private static final String LOOKUP = "/api/v1/members/by-mobile/";
    private static SimulatorControl sim;
    private static final Map<String, ApiNode> nodes = new HashMap<>();
    private static final Map<String, MutableClock> clocks = new HashMap<>();

    @BeforeAll
    static void start() {
        sim = new SimulatorControl();
    }

    @AfterAll
    static void stop() {
        nodes.values().forEach(ApiNode::close);
        sim.close();
    }

    private static ApiNode node(String dialect) throws Exception {
        ApiNode node = nodes.get(dialect);
        if (node == null) {
            MutableClock clock = new MutableClock();
            node = ApiNode.start(
                    "learned-" + dialect,
                    TestDatabases.url(dialect, "learned_mobile"),
                    sim,
                    Map.of("ORGSYNC_RESOLVE_RATE", "1000"),
                    clock);
            nodes.put(dialect, node);
            clocks.put(dialect, clock);
        }
        return node;
    }

    /** An enterprise whose app hides mobiles, registered and synced. */
    private static String corp(ApiNode node, String corpId) throws Exception {
        sim.createCorp(corpId, SECRET, 2, 20, false);
        node.enterprise(corpId, SECRET);
        assertEquals(RunStatus.SUCCEEDED, node.sync(corpId).status());
        return corpId;
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "mariadb"})
    void aLearnedMobileDoesNotPassToTheNextHolderOfTheUserid(String dialect) throws Exception {
        ApiNode node = node(dialect);
        String corp = corp(node, "ww-learned-leave-" + dialect);
        JsonNode a = active(corp).get(0);
        String userid = a.path("userid").asText();
        String mobile = a.path("mobile").asText();
        assertEquals(userid, resolved(node, corp, mobile));

        sim.send("DELETE", "/__sim/corps/" + corp + "/members/" + userid, null);
        assertEquals(RunStatus.SUCCEEDED, node.sync(corp).status());
        assertError(node.get(LOOKUP + mobile), 404, "not_found", SECRET);
        // a newcomer gets the userid (WeCom lets an administrator reuse it), with a number of their own
        sim.post(
                "/__sim/corps/" + corp + "/members",
                Map.of("userid", userid, "name", "新同事", "mobile", "13700007001", "department", List.of(1)));
        assertEquals(RunStatus.SUCCEEDED, node.sync(corp).status());

        assertError(node.get(LOOKUP + mobile), 404, "not_found", SECRET);
        JsonNode newcomer =
                node.get("/api/v1/corps/" + corp + "/members/" + userid).json();
        assertEquals("新同事", newcomer.path("name").asText());
        assertTrue(newcomer.path("mobile").isNull(), "the newcomer starts without a number: " + newcomer);
        // the newcomer's own number is learned as any other
        assertEquals(userid, resolved(node, corp, "13700007001"));
    }

    /**
     * The same, when no sync sees the departure: the userid is deleted and given to a newcomer
     * between two syncs, so the next sync finds a member of another name under it.
     */
    @ParameterizedTest
    @ValueSource(strings = {"h2", "mariadb"})
    void aUseridReusedBetweenTwoSyncsDoesNotTakeTheLearnedMobile(String dialect) throws Exception {
        ApiNode node = node(dialect);
        String corp = corp(node, "ww-learned-reuse-" + dialect);
        List<JsonNode> members = active(corp);
        String userid = members.get(0).path("userid").asText();
        String mobile = members.get(0).path("mobile").asText();
        String other = members.get(1).path("userid").asText();
        String otherMobile = members.get(1).path("mobile").asText();
        assertEquals(userid, resolved(node, corp, mobile));
        assertEquals(other, resolved(node, corp, otherMobile));

        sim.send("DELETE", "/__sim/corps/" + corp + "/members/" + userid, null);
        sim.post(
                "/__sim/corps/" + corp + "/members",
                Map.of("userid", userid, "name", "新同事乙", "mobile", "13700007004", "department", List.of(1)));
        assertEquals(RunStatus.SUCCEEDED, node.sync(corp).status());

        assertError(node.get(LOOKUP + mobile), 404, "not_found", SECRET);
        assertTrue(node.get("/api/v1/corps/" + corp + "/members/" + userid)
                .json()
                .path("mobile")
                .isNull());
        sim.resetStats();
        assertError(node.resolve(corp, mobile), 404, "not_found", SECRET);
        assertEquals(1, sim.calls(GETUSERID, corp), "asked WeCom, which knows nobody with the number now");
        // a member whose name did not change keeps what was learned for them
        JsonNode kept = node.get(LOOKUP + otherMobile).json().path("members");
        assertEquals(1, kept.size(), kept::toString);
        assertEquals(other, kept.get(0).path("userid").asText());
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "mariadb"})
    void anOldLearnedPairIsConfirmedBeforeItAnswersAResolve(String dialect) throws Exception {
        ApiNode node = node(dialect);
        String corp = corp(node, "ww-learned-recheck-" + dialect);
        List<JsonNode> members = active(corp);
        String a = members.get(0).path("userid").asText();
        String b = members.get(1).path("userid").asText();
        String c = members.get(2).path("userid").asText();
        String d = members.get(3).path("userid").asText();
        String moved = members.get(0).path("mobile").asText();
        String kept = members.get(2).path("mobile").asText();
        String dropped = members.get(3).path("mobile").asText();
        assertEquals(a, resolved(node, corp, moved));
        assertEquals(c, resolved(node, corp, kept));
        assertEquals(d, resolved(node, corp, dropped));

        // in WeCom the number moves from a to b, and d's number is given up
        String base = "/__sim/corps/" + corp + "/members/";
        sim.send("PATCH", base + a, Map.of("mobile", "13700007002"));
        sim.send("PATCH", base + b, Map.of("mobile", moved));
        sim.send("PATCH", base + d, Map.of("mobile", "13700007003"));
        sim.resetStats();
        assertEquals(a, resolved(node, corp, moved), "a young pair answers from the copy");
        assertEquals(0, sim.calls(GETUSERID, corp));

        clocks.get(dialect).advance(Duration.ofDays(31));
        long failures = notFoundToday(node, corp);
        assertEquals(b, resolved(node, corp, moved), "confirmed with WeCom: the number is b's now");
        assertEquals(1, sim.calls(GETUSERID, corp));
        JsonNode lookup = node.get(LOOKUP + moved).json().path("members");
        assertEquals(1, lookup.size(), lookup::toString);
        assertEquals(b, lookup.get(0).path("userid").asText(), "a no longer answers for the number");
        assertTrue(node.get("/api/v1/corps/" + corp + "/members/" + a)
                .json()
                .path("mobile")
                .isNull());

        long userGets = sim.calls(USER_GET, corp);
        assertEquals(c, resolved(node, corp, kept), "still c's: confirmed");
        assertEquals(2, sim.calls(GETUSERID, corp));
        assertEquals(userGets, sim.calls(USER_GET, corp), "a confirmed pair needs no user/get");
        assertEquals(c, resolved(node, corp, kept), "confirmed again for another recheck period");
        assertEquals(2, sim.calls(GETUSERID, corp));

        assertEquals(failures, notFoundToday(node, corp), "confirmations that WeCom answered cost no budget");

        assertError(node.resolve(corp, dropped), 404, "not_found", SECRET);
        assertEquals(3, sim.calls(GETUSERID, corp));
        assertEquals(failures + 1, notFoundToday(node, corp), "a number nobody has now costs one unit");
        assertError(node.get(LOOKUP + dropped), 404, "not_found", SECRET);
    }

    /** The enterprise's "not found" answers counted against its budgets, all days together. */
    private static long notFoundToday(ApiNode node, String corp) throws Exception {
        try (Connection c = node.node.dataSource().getConnection();
                PreparedStatement s =
                        c.prepareStatement("SELECT COALESCE(SUM(failures), 0) FROM resolve_budget WHERE corp_id = ?")) {
            s.setString(1, corp);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    private static String resolved(ApiNode node, String corp, String mobile) throws Exception {
        ApiNode.Response r = node.resolve(corp, mobile);
        assertEquals(200, r.status(), r::toString);
        return r.json().path("userid").asText();
    }

    private static List<JsonNode> active(String corp) {
        List<JsonNode> out = new ArrayList<>();
        sim.export(corp).path("members").forEach(m -> {
            if (m.path("mobile").asText().matches("1[3-9]\\d{9}")
                    && m.path("status").asInt() == 1) {
                out.add(m);
            }
        });
        return out;
    }
}
