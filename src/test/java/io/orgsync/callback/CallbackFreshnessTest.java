package io.orgsync.callback;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.orgsync.NodeInternals;
import io.orgsync.sync.RunStatus;
import io.orgsync.testing.ApiNode;
import io.orgsync.testing.SimulatorControl;
import io.orgsync.testing.TestDatabases;
import io.orgsync.testing.Waiting;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What callbacks are for, end to end over real servers: a change made in the simulator, posted
 * to node A, is answered by a lookup on node B (another pool on the same MariaDB) within
 * seconds, with no sync in between: a new member's mobile is found, a changed mobile moves, a
 * departed member's mobile stops answering. The bound is generous for a loaded machine; the
 * scheduler is off, so without the callbacks nothing would change the copy at all.
 */
class CallbackFreshnessTest {
    private static final String SECRET = "callback-fresh-secret-01";
    private static final Duration BOUND = Duration.ofSeconds(20);

    @RegisterExtension
    static final SimulatorControl sim = new SimulatorControl();

    private ApiNode a;
    private ApiNode b;

    @AfterEach
    void close() {
        if (a != null) {
            a.close();
        }
        if (b != null) {
            b.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"full", "ids"})
    void aChangeInWecomIsAnsweredByALookupOnAnotherNode(String style) throws Exception {
        String corp = "ww-cb-fresh-" + style;
        sim.createCorp(corp, SECRET, 4, 20, true);
        String db = TestDatabases.mariadb("callback_fresh");
        Map<String, String> settings = Map.of("ORGSYNC_ADMIN_TOKEN", CallbackFixture.ADMIN_TOKEN);
        a = ApiNode.start("fresh-a-" + style, db, sim, settings);
        b = ApiNode.start("fresh-b-" + style, db, sim, settings);
        a.enterprise(corp, SECRET);
        assertEquals(RunStatus.SUCCEEDED, a.sync(corp).status());
        CallbackFixture.connect(sim, a, corp, Map.of("style", style));
        JsonNode members = sim.export(corp).path("members");
        String moving = members.get(0).path("userid").asText();
        String oldMobile = members.get(0).path("mobile").asText().replace(" ", "");
        String leaving = members.get(1).path("userid").asText();
        String leavingMobile = members.get(1).path("mobile").asText().replace(" ", "");
        // node B learns of A's sync within its cache's staleness bound
        Waiting.until(
                Duration.ofSeconds(20),
                "node B answering the synced mobiles",
                () -> lookup(b, corp, oldMobile) == 200 && lookup(b, corp, leavingMobile) == 200);
        String newcomer = "13900008" + (style.equals("full") ? "001" : "002");
        String moved = "13900008" + (style.equals("full") ? "101" : "102");
        assertEquals(404, lookup(b, corp, newcomer));

        String base = "/__sim/corps/" + corp;
        sim.post(
                base + "/members",
                Map.of("userid", "fresh01", "name", "新来的", "department", List.of(1), "mobile", newcomer));
        sim.send("PATCH", base + "/members/" + moving, Map.of("mobile", moved));
        sim.send("DELETE", base + "/members/" + leaving, null);

        awaitStatus(corp, newcomer, 200, "the new member's mobile");
        awaitStatus(corp, moved, 200, "the changed mobile");
        awaitStatus(corp, oldMobile, 404, "the mobile given up");
        awaitStatus(corp, leavingMobile, 404, "the departed member's mobile");
        assertEquals(
                "fresh01",
                b.get("/api/v1/members/by-mobile/" + newcomer + "?corpId=" + corp)
                        .json()
                        .path("members")
                        .get(0)
                        .path("userid")
                        .asText());
        assertEquals(1, NodeInternals.runs(a.node).list(corp, 10).size(), "answered without another sync");
    }

    private void awaitStatus(String corp, String mobile, int status, String what) {
        Waiting.until(BOUND, what + " answers " + status + " on node B", () -> lookup(b, corp, mobile) == status);
    }

    private static int lookup(ApiNode node, String corp, String mobile) throws Exception {
        return node.get("/api/v1/members/by-mobile/" + mobile + "?corpId=" + corp)
                .status();
    }
}
