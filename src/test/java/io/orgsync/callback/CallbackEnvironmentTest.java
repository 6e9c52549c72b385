package io.orgsync.callback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.orgsync.NodeInternals;
import io.orgsync.cluster.NodeRegistry;
import io.orgsync.simulator.EventSealer;
import io.orgsync.sync.RunStatus;
import io.orgsync.testing.AdminClient;
import io.orgsync.testing.ApiNode;
import io.orgsync.testing.MutableClock;
import io.orgsync.testing.SimulatorControl;
import io.orgsync.testing.TestDatabases;
import io.orgsync.testing.Waiting;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Environments sharing one MariaDB database: a node of another environment neither replaces nor
 * removes an enterprise's callback settings (409, as for the enterprise itself), drains none of
 * its events and lists none of them; and a fenced node (a stale build) applies no event.
 */
class CallbackEnvironmentTest {
    private static final String SECRET = "callback-env-secret-01";
    private static final String PROD = "ww-env-prod";
    private static final String STAGING = "ww-env-staging";
    private static final String FENCED = "ww-env-fenced";
    private static final String OTHER_KEY = "kWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";

    @RegisterExtension
    static final SimulatorControl sim = new SimulatorControl();

    private final List<ApiNode> nodes = new ArrayList<>();

    @AfterEach
    void close() {
        for (int i = nodes.size() - 1; i >= 0; i--) {
            nodes.get(i).close();
        }
    }

    private ApiNode start(String name, String db, Map<String, String> settings, Clock clock) throws Exception {
        Map<String, String> all = new java.util.HashMap<>(settings);
        all.put("ORGSYNC_ADMIN_TOKEN", CallbackFixture.ADMIN_TOKEN);
        ApiNode node = ApiNode.start(name, db, sim, all, clock);
        nodes.add(node);
        return node;
    }

    /** The enterprise synced and its callbacks turned on through {@code via}'s admin API; answers a member's userid. */
    private static String enterprise(ApiNode via, String corp) throws Exception {
        sim.createCorp(corp, SECRET, 2, 5, true);
        via.enterprise(corp, SECRET);
        assertEquals(RunStatus.SUCCEEDED, via.sync(corp).status());
        AdminClient.Reply put = CallbackFixture.admin(via)
                .put(
                        "/admin/api/enterprises/" + corp + "/callback",
                        Map.of("token", CallbackFixture.TOKEN, "aesKey", CallbackFixture.AES_KEY));
        assertEquals(200, put.status(), put.toString());
        return sim.export(corp).path("members").get(0).path("userid").asText();
    }

    private static ApiNode.Response rename(ApiNode to, String corp, String userid, Clock clock, String nonce)
            throws Exception {
        long now = clock.millis() / 1000;
        return CallbackFixture.post(
                to,
                new EventSealer(CallbackFixture.TOKEN, CallbackFixture.AES_KEY, corp),
                corp,
                now,
                nonce,
                CallbackFixture.rename(corp, userid, now, "改名" + nonce));
    }

    private static EventStatus status(ApiNode node, String corp) throws Exception {
        return node.node.events().recent(corp, 1).get(0).status();
    }

    @Test
    void anotherEnvironmentNeitherTakesOverNorDrainsNorListsTheCallbacks() throws Exception {
        String db = TestDatabases.mariadb("callback_env");
        ApiNode prod = start("env-prod", db, Map.of("ORGSYNC_ENV", "prod"), Clock.systemUTC());
        ApiNode staging = start("env-staging", db, Map.of("ORGSYNC_ENV", "staging"), Clock.systemUTC());
        String prodUser = enterprise(prod, PROD);
        String stagingUser = enterprise(staging, STAGING);

        String path = "/admin/api/enterprises/" + PROD + "/callback";
        AdminClient.Reply steal =
                CallbackFixture.admin(staging).put(path, Map.of("token", "Stolen1", "aesKey", OTHER_KEY));
        assertEquals(409, steal.status(), steal.toString());
        assertEquals("conflict", steal.errorCode());
        assertTrue(steal.errorMessage().contains("'prod'"), steal.toString());
        AdminClient.Reply off = CallbackFixture.admin(staging).delete(path);
        assertEquals(409, off.status(), off.toString());
        assertEquals("conflict", off.errorCode());
        // production's own keys still open its callbacks
        ApiNode.Response event = rename(prod, PROD, prodUser, Clock.systemUTC(), "p1");
        assertEquals(200, event.status(), event.toString());

        // Test device: production's applier stops, so that only staging could apply the event above
        NodeInternals.eventDrainer(prod.node).close();
        ApiNode.Response own = rename(staging, STAGING, stagingUser, Clock.systemUTC(), "s1");
        assertEquals(200, own.status(), own.toString());
        Waiting.until(
                Duration.ofSeconds(20),
                "staging applies its own event",
                () -> status(staging, STAGING) == EventStatus.APPLIED);
        assertEquals(EventStatus.PENDING, status(prod, PROD), "staging drained production's queue");

        AdminClient.Reply stagingList = CallbackFixture.admin(staging).get("/admin/api/events");
        assertEquals(200, stagingList.status(), stagingList.toString());
        assertEquals(List.of(STAGING), stagingList.json().findValuesAsText("corpId"), stagingList.toString());
        AdminClient.Reply prodList = CallbackFixture.admin(prod).get("/admin/api/events");
        assertEquals(List.of(PROD), prodList.json().findValuesAsText("corpId"), prodList.toString());
        AdminClient.Reply foreign = CallbackFixture.admin(staging).get("/admin/api/events?corpId=" + PROD);
        assertEquals(409, foreign.status(), foreign.toString());
        assertEquals("conflict", foreign.errorCode());
    }

    @Test
    void aFencedNodeAppliesNoEvent() throws Exception {
        String db = TestDatabases.mariadb("callback_fence");
        MutableClock clock = new MutableClock();
        ApiNode old = start(
                "fence-old", db, Map.of("ORGSYNC_SCHEDULER_ENABLED", "true", "ORGSYNC_BUILD_VERSION", "1.0.0"), clock);
        String userid = enterprise(old, FENCED);
        ApiNode newer = start(
                "fence-new",
                db,
                Map.of("ORGSYNC_SCHEDULER_ENABLED", "true", "ORGSYNC_BUILD_VERSION", "2.0.0"),
                new MutableClock());
        // Test device: the newer node applies nothing either, so that an applied event could only come from the old one
        NodeInternals.eventDrainer(newer.node).close();
        NodeInternals.nodeRegistry(old.node).tick();
        assertTrue(NodeInternals.nodeRegistry(old.node).fenced());

        ApiNode.Response event = rename(old, FENCED, userid, clock, "f1");
        assertEquals(200, event.status(), event.toString());
        // the event woke the applier at once, and it polls every 200 ms: a second is several passes
        Waiting.sleep(Duration.ofSeconds(1));
        assertEquals(EventStatus.PENDING, status(old, FENCED), "a fenced node applied an event");

        newer.close();
        nodes.remove(newer);
        clock.advance(NodeRegistry.ALIVE_WINDOW.plusSeconds(1));
        NodeInternals.nodeRegistry(old.node).tick();
        assertFalse(NodeInternals.nodeRegistry(old.node).fenced());
        Waiting.until(
                Duration.ofSeconds(20),
                "the event applied once the fence lifted",
                () -> status(old, FENCED) == EventStatus.APPLIED);
    }
}
