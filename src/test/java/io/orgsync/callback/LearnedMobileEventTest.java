package io.orgsync.callback;

import static io.orgsync.testing.ApiAssertions.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.orgsync.sync.RunStatus;
import io.orgsync.testing.ApiNode;
import io.orgsync.testing.SimulatorControl;
import io.orgsync.testing.TestDatabases;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A delete_user event takes away the mobile a resolve learned for the member (the app hides
 * mobiles): a newcomer given the same userid, read through user/get, starts without it.
 */
class LearnedMobileEventTest {
    private static final String SECRET = "learned-event-secret-0123";

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
    void aDeleteUserEventTakesTheLearnedMobileAway(String dialect) throws Exception {
        String corp = "ww-learned-event-" + dialect;
        sim.createCorp(corp, SECRET, 2, 10, false);
        node = ApiNode.start(
                "learned-event-" + dialect,
                TestDatabases.url(dialect, "learned_event"),
                sim,
                Map.of("ORGSYNC_ADMIN_TOKEN", CallbackFixture.ADMIN_TOKEN));
        node.enterprise(corp, SECRET);
        assertEquals(RunStatus.SUCCEEDED, node.sync(corp).status());
        JsonNode a = null;
        for (JsonNode m : sim.export(corp).path("members")) {
            if (a == null && m.path("mobile").asText().matches("1[3-9]\\d{9}")) {
                a = m;
            }
        }
        String userid = a.path("userid").asText();
        String mobile = a.path("mobile").asText();
        ApiNode.Response resolved = node.resolve(corp, mobile);
        assertEquals(200, resolved.status(), resolved::toString);
        CallbackFixture.connect(sim, node, corp, Map.of("style", "ids"));

        String base = "/__sim/corps/" + corp + "/members";
        sim.send("DELETE", base + "/" + userid, null);
        sim.post(base, Map.of("userid", userid, "name", "新同事", "mobile", "13700007011", "department", List.of(1)));
        int events = sim.send("GET", "/__sim/corps/" + corp + "/callback", null)
                .path("generated")
                .asInt();
        CallbackFixture.settle(sim, node, corp, events);

        assertError(node.get("/api/v1/members/by-mobile/" + mobile), 404, "not_found", SECRET);
        JsonNode newcomer =
                node.get("/api/v1/corps/" + corp + "/members/" + userid).json();
        assertEquals("新同事", newcomer.path("name").asText(), newcomer::toString);
        assertTrue(newcomer.path("mobile").isNull(), "the newcomer starts without a number: " + newcomer);
    }
}
