package io.orgsync.callback;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.orgsync.NodeInternals;
import io.orgsync.simulator.EventSealer;
import io.orgsync.testing.AdminClient;
import io.orgsync.testing.ApiNode;
import io.orgsync.testing.MutableClock;
import io.orgsync.testing.Scrape;
import io.orgsync.testing.SimulatorControl;
import io.orgsync.testing.TestDatabases;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The callback endpoint keeps each enterprise's settings in a small cache: a burst of requests
 * that fail verification reads the database at most once a second per corp (the loads counter on
 * /metrics counts every read), and settings changed on one node are honoured at once on another.
 */
class CallbackSettingsCacheTest {
    private static final String SECRET = "callback-cache-secret-01";
    private static final String CORP = "ww-cb-cache";
    private static final String SHARED = "ww-cb-cache-shared";
    private static final String LOADS = "orgsync_callback_settings_loads_total";
    private static final String NEW_TOKEN = "NewToken7";
    private static final String NEW_KEY = "kWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";

    @RegisterExtension
    static final SimulatorControl sim = new SimulatorControl();

    private final List<ApiNode> nodes = new ArrayList<>();

    @AfterEach
    void close() {
        for (int i = nodes.size() - 1; i >= 0; i--) {
            nodes.get(i).close();
        }
    }

    private ApiNode start(String name, String db, MutableClock clock) throws Exception {
        ApiNode node = ApiNode.start(name, db, sim, Map.of("ORGSYNC_ADMIN_TOKEN", CallbackFixture.ADMIN_TOKEN), clock);
        nodes.add(node);
        return node;
    }

    private static ApiNode.Response send(
            ApiNode to, String corp, String token, String aesKey, MutableClock clock, String nonce) throws Exception {
        long now = clock.millis() / 1000;
        return CallbackFixture.post(
                to,
                new EventSealer(token, aesKey, corp),
                corp,
                now,
                nonce,
                CallbackFixture.rename(corp, "nobody", now, "名" + nonce));
    }

    private static void burst(ApiNode to, String corp, MutableClock clock, String prefix) throws Exception {
        for (int i = 0; i < 50; i++) {
            ApiNode.Response r = send(to, corp, "WrongToken", CallbackFixture.AES_KEY, clock, prefix + i);
            assertEquals(400, r.status(), r.toString());
        }
    }

    @Test
    void aBurstOfBadSignaturesDoesNotReadTheDatabasePerRequest() throws Exception {
        MutableClock clock = new MutableClock();
        ApiNode node = start("cb-cache", TestDatabases.h2("callback_cache"), clock);
        sim.createCorp(CORP, SECRET, 2, 5, true);
        node.enterprise(CORP, SECRET);
        NodeInternals.callbacks(node.node).put(CORP, CallbackFixture.TOKEN, CallbackFixture.AES_KEY);
        ApiNode.Response good = send(node, CORP, CallbackFixture.TOKEN, CallbackFixture.AES_KEY, clock, "ok1");
        assertEquals(200, good.status(), good.toString());
        double loaded = Scrape.value(node, LOADS);
        assertEquals(1, loaded, "the first request loads the settings");

        burst(node, CORP, clock, "bad");
        assertEquals(loaded, Scrape.value(node, LOADS), "50 bad signatures within a second: no read");
        clock.advance(Duration.ofMillis(1500));
        burst(node, CORP, clock, "later");
        assertEquals(loaded + 1, Scrape.value(node, LOADS), "a second later: one read, for the first failure");
        burst(node, "ww-nobody", clock, "probe");
        assertEquals(loaded + 2, Scrape.value(node, LOADS), "an unknown corp is remembered too");
    }

    @Test
    void settingsChangedOnOneNodeAreHonouredOnAnother() throws Exception {
        String db = TestDatabases.mariadb("callback_cache");
        MutableClock clock = new MutableClock();
        ApiNode a = start("cb-cache-a", db, clock);
        ApiNode b = start("cb-cache-b", db, clock);
        sim.createCorp(SHARED, SECRET, 2, 5, true);
        a.enterprise(SHARED, SECRET);
        AdminClient admin = CallbackFixture.admin(a);
        String path = "/admin/api/enterprises/" + SHARED + "/callback";
        assertEquals(
                200,
                admin.put(path, Map.of("token", CallbackFixture.TOKEN, "aesKey", CallbackFixture.AES_KEY))
                        .status());
        // B caches the first keys
        assertEquals(
                200,
                send(b, SHARED, CallbackFixture.TOKEN, CallbackFixture.AES_KEY, clock, "b1")
                        .status());

        assertEquals(
                200,
                admin.put(path, Map.of("token", NEW_TOKEN, "aesKey", NEW_KEY)).status());
        ApiNode.Response onA = send(a, SHARED, NEW_TOKEN, NEW_KEY, clock, "a2");
        assertEquals(200, onA.status(), "the changing node at once: " + onA);
        clock.advance(Duration.ofSeconds(1));
        ApiNode.Response onB = send(b, SHARED, NEW_TOKEN, NEW_KEY, clock, "b2");
        assertEquals(200, onB.status(), "the new keys on the other node: " + onB);
        ApiNode.Response oldOnB = send(b, SHARED, CallbackFixture.TOKEN, CallbackFixture.AES_KEY, clock, "b3");
        assertEquals(400, oldOnB.status(), "the old keys no longer: " + oldOnB);

        assertEquals(200, CallbackFixture.admin(a).delete(path).status());
        assertEquals(400, send(a, SHARED, NEW_TOKEN, NEW_KEY, clock, "a4").status(), "turned off on the changing node");
        clock.advance(CallbackKeyCache.EXPIRY.plusSeconds(1));
        assertEquals(
                400,
                send(b, SHARED, NEW_TOKEN, NEW_KEY, clock, "b4").status(),
                "turned off on the other node once its entry expired");
    }
}
