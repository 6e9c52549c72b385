package io.orgsync.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.orgsync.miniapp.MiniProgramClient;
import io.orgsync.miniapp.WxaCode;
import io.orgsync.miniapp.WxaCodeRequest;
import io.orgsync.store.Database;
import io.orgsync.testing.MutableClock;
import io.orgsync.testing.SimulatorControl;
import io.orgsync.testing.TestDatabases;
import io.orgsync.testing.UpstreamNode;
import io.orgsync.testing.Waiting;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A token fetch that outlasts the fetch lease (a slow upstream, retries, the node-rate wait)
 * must not let a second node fetch too: for a classic mini-program token the second fetch
 * invalidates the first. The holder renews its lease while the fetch runs.
 */
class TokenLeaseTest {
    private static final String APP = "wx-lease";
    private static final String APP_SECRET = "lease-app-secret-0123456789";
    /**
     * Short, so that the test is; the slow fetch below takes three times as long (and stays
     * under the 5 s call time-out). Renewed every 500 ms, it has a second to spare on a loaded machine.
     */
    private static final Duration LEASE = Duration.ofMillis(1_500);

    @RegisterExtension
    static final SimulatorControl sim = new SimulatorControl();

    private final MutableClock clock = new MutableClock();
    private final List<UpstreamNode> nodes = new ArrayList<>();

    @AfterEach
    void stopNodes() throws Exception {
        for (UpstreamNode n : nodes) {
            n.close();
        }
    }

    private MiniProgramClient app(String name, String dbUrl) {
        UpstreamNode node = new UpstreamNode(name, dbUrl, clock, null, Duration.ofSeconds(30), 10_000, LEASE);
        nodes.add(node);
        return new MiniProgramClient(node.client, sim.baseUrl(), APP, APP_SECRET, false);
    }

    private static WxaCode code(MiniProgramClient app, String scene) {
        return app.unlimitedCode(new WxaCodeRequest(scene, null, null, null, null, null));
    }

    @Test
    void aClassicTokenFetchSlowerThanTheLeaseIsTheOnlyFetch() throws Exception {
        String dbUrl = TestDatabases.mariadb("token_lease");
        try (Database db =
                Database.open(dbUrl, TestDatabases.user(dbUrl), TestDatabases.password(dbUrl), false, "migrate", 1)) {
            db.migrate();
            try (var c = db.connection();
                    var s = c.createStatement()) {
                s.execute("DELETE FROM upstream_token");
            }
        }
        sim.createApp(APP, APP_SECRET);
        MiniProgramClient a = app("a", dbUrl);
        MiniProgramClient b = app("b", dbUrl);
        sim.fault(Map.of("path", "/cgi-bin/token", "appId", APP, "latencyMs", 3 * LEASE.toMillis(), "count", 1));

        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<WxaCode> first = pool.submit(() -> code(a, "node=a"));
            Waiting.until(
                    Duration.ofSeconds(10),
                    "node a's token fetch reached the simulator",
                    () -> sim.calls("/cgi-bin/token", APP) == 1);
            // node b asks once a's lease would have run out, while a's fetch still has seconds to go
            Thread.sleep(2 * LEASE.toMillis());
            Future<WxaCode> second = pool.submit(() -> code(b, "node=b"));
            assertTrue(first.get(30, TimeUnit.SECONDS).bytes().length > 100);
            assertTrue(second.get(30, TimeUnit.SECONDS).bytes().length > 100);
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, sim.calls("/cgi-bin/token", APP), "token calls: node b waited for node a's fetch");
        assertEquals(1, sim.tokensIssued(APP + "/classic"), "classic tokens issued");

        // past the 5-minute overlap a second classic fetch would have ended the first token: both nodes still work
        clock.advance(Duration.ofSeconds(301));
        sim.advanceClock(301);
        code(a, "later=a");
        code(b, "later=b");
        assertEquals(0, sim.stats().path("errors").path("40001").asLong(0), "no call was made with a superseded token");
        assertEquals(1, sim.tokensIssued(APP + "/classic"));
    }
}
