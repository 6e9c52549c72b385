package io.orgsync.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.orgsync.Node;
import io.orgsync.enterprise.EnterpriseChange;
import io.orgsync.testing.OrgDump;
import io.orgsync.testing.OrgTruth;
import io.orgsync.testing.SimulatorControl;
import io.orgsync.testing.TestDatabases;
import io.orgsync.testing.TestNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * ORGSYNC_DEPT_CONCURRENCY over the simulator with a slow user/list: serial calls are capped by
 * the upstream's latency, several in flight by the rate, which holds as the simulator counts it
 * (any 1000 ms, clock seconds, 45009 above it) however many are in flight.
 */
class SyncConcurrencyTest {
    private static final int RATE = 20;
    private static final int DEPARTMENTS = 40;
    private static final int LATENCY_MS = 100;
    private static final String SECRET = "concurrency-secret-0123456789";

    @RegisterExtension
    static final SimulatorControl sim = new SimulatorControl();

    private Node node;

    @AfterEach
    void closeNode() {
        if (node != null) {
            node.close();
            node = null;
        }
        sim.send("DELETE", "/__sim/limits", null);
    }

    @Test
    void fourInFlightStayWithinTheRateAndBeatTheSerialRun() throws Exception {
        String corp = "ww-concurrency";
        sim.createCorp(corp, SECRET, DEPARTMENTS, 400, true);
        sim.limits(Map.of("deptCallsPerSecond", RATE));
        sim.fault(Map.of("path", "/cgi-bin/user/list", "corpId", corp, "latencyMs", LATENCY_MS));

        Timed serial = sync(corp, "sync_concurrency_serial", 1);
        assertEquals(1, serial.stats.path("peakDeptConcurrency").path(corp).asInt(), "default: strictly serial");
        assertTrue(
                serial.millis >= DEPARTMENTS * LATENCY_MS,
                "serial calls add up their latencies: " + serial.millis + " ms");

        Timed four = sync(corp, "sync_concurrency_four", 4);
        int concurrency = four.stats.path("peakDeptConcurrency").path(corp).asInt();
        System.out.printf(
                "[concurrency] %d departments at %d/s, %d ms each: serial %d ms, 4 in flight %d ms (peak %d in flight, "
                        + "%d in any 1000 ms)%n",
                DEPARTMENTS,
                RATE,
                LATENCY_MS,
                serial.millis,
                four.millis,
                concurrency,
                four.stats.path("peakDeptCallsPerSlidingSecond").path(corp).asInt());
        assertTrue(concurrency > 1 && concurrency <= 4, "peak department calls in flight: " + concurrency);
        assertTrue(
                four.millis < serial.millis,
                "4 in flight took " + four.millis + " ms, serial " + serial.millis + " ms");
        List<String> differences =
                OrgTruth.fromExport(sim.export(corp)).diff(OrgTruth.fromDatabase(node.dataSource(), corp));
        assertTrue(differences.isEmpty(), OrgTruth.describe(differences));
    }

    @Test
    void oneFailedCallFailsTheRunAndStopsTheOtherLanes() throws Exception {
        String corp = "ww-concurrency-fail";
        sim.createCorp(corp, SECRET, DEPARTMENTS, 400, true);
        sim.limits(Map.of("deptCallsPerSecond", RATE));
        // the tenth member list is refused for good (not a retryable errcode); the first fault that matches applies
        sim.fault(Map.of("path", "/cgi-bin/user/list", "corpId", corp, "errcode", 40003, "rate", 0.1, "count", 1));
        sim.fault(Map.of("path", "/cgi-bin/user/list", "corpId", corp, "latencyMs", LATENCY_MS));
        node = TestNode.on(TestDatabases.h2("sync_concurrency_fail"), sim.baseUrl())
                .with("ORGSYNC_DEPT_RATE", RATE)
                .with("ORGSYNC_DEPT_CONCURRENCY", 4)
                .start();
        node.enterprises().put(corp, new EnterpriseChange(corp, SECRET, TestNode.NEVER, true, null));
        sim.resetStats();

        Run run = node.sync(corp, SyncProgress.NONE);

        assertEquals(RunStatus.FAILED, run.status());
        assertTrue(run.error().contains("/cgi-bin/user/list") && run.error().contains("40003"), run.error());
        long calls = sim.calls("/cgi-bin/user/list", corp);
        assertTrue(calls < DEPARTMENTS, "the other lanes stopped: " + calls + " member lists of " + DEPARTMENTS);
        Thread.sleep(1_000);
        assertEquals(calls, sim.calls("/cgi-bin/user/list", corp), "no call of the run outlives it");
        assertEquals(0, OrgDump.of(node.dataSource(), corp).size(), "nothing was applied");
    }

    private Timed sync(String corp, String db, int concurrency) throws Exception {
        closeNode();
        sim.limits(Map.of("deptCallsPerSecond", RATE));
        node = TestNode.on(TestDatabases.h2(db), sim.baseUrl())
                .with("ORGSYNC_DEPT_RATE", RATE)
                .with("ORGSYNC_DEPT_CONCURRENCY", concurrency)
                .start();
        node.enterprises().put(corp, new EnterpriseChange(corp, SECRET, TestNode.NEVER, true, null));
        sim.resetStats();
        long start = System.nanoTime();
        Run run = node.sync(corp, SyncProgress.NONE);
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(RunStatus.SUCCEEDED, run.status(), run.error());
        JsonNode stats = sim.stats();
        assertEquals(
                DEPARTMENTS,
                stats.path("calls").path("/cgi-bin/user/list").path(corp).asInt(),
                "each department once");
        int sliding = stats.path("peakDeptCallsPerSlidingSecond").path(corp).asInt(-1);
        int clockSecond = stats.path("peakDeptCallsPerSecond").path(corp).asInt(-1);
        assertTrue(
                sliding > 0 && sliding <= RATE,
                concurrency + " in flight: " + sliding + " department calls within 1000 ms; " + stats);
        assertTrue(
                clockSecond <= RATE,
                concurrency + " in flight: " + clockSecond + " department calls in a clock second");
        assertEquals(
                0,
                stats.path("errors").path("45009").asInt(0),
                "the simulator answered 45009: " + stats.path("errors"));
        return new Timed(millis, stats);
    }

    private record Timed(long millis, JsonNode stats) {}
}
