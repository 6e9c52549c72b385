package io.orgsync.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.orgsync.Node;
import io.orgsync.enterprise.EnterpriseChange;
import io.orgsync.testing.SimulatorControl;
import io.orgsync.testing.TestDatabases;
import io.orgsync.testing.TestNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Department calls of one enterprise never go above ORGSYNC_DEPT_RATE per second and are never
 * concurrent, as the simulator counts them (it also answers 45009 to any call over that rate, so
 * a client going faster fails its run): within a run, across back-to-back runs, and with two
 * enterprises syncing at once on one node.
 */
class SyncRateTest {
    private static final int RATE = 10;
    private static final String SECRET = "rate-secret-0123456789";
    private static SimulatorControl sim;
    private Node node;

    @BeforeAll
    static void startSimulator() {
        sim = new SimulatorControl();
        sim.createCorp("ww-rate-a", SECRET, 25, 300, true);
        sim.createCorp("ww-rate-b", SECRET, 25, 300, false);
        sim.createCorp("ww-rate-slow", SECRET, 30, 300, true);
        sim.limits(Map.of("deptCallsPerSecond", RATE));
    }

    @AfterAll
    static void stopSimulator() {
        sim.close();
    }

    @BeforeEach
    void startNode() throws Exception {
        node = TestNode.on(TestDatabases.h2("sync_rate"), sim.baseUrl())
                .with("ORGSYNC_DEPT_RATE", RATE)
                .start();
        for (String corp : List.of("ww-rate-a", "ww-rate-b", "ww-rate-slow")) {
            node.enterprises().put(corp, new EnterpriseChange(corp, SECRET, TestNode.NEVER, true, null));
        }
        sim.resetStats();
    }

    @AfterEach
    void closeNode() {
        node.close();
    }

    @Test
    void twoEnterprisesSyncingAtOnceAndBackToBackEachStayUnderTheRateAndSerial() throws Exception {
        // each enterprise runs three times in a row: the end of one run and the start of the next
        // must not add up to more than the rate in one second either
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<List<Run>>> runs = new ArrayList<>();
            for (String corp : List.of("ww-rate-a", "ww-rate-b")) {
                runs.add(pool.submit(() -> {
                    List<Run> out = new ArrayList<>();
                    for (int i = 0; i < 3; i++) {
                        out.add(node.sync(corp, SyncProgress.NONE));
                    }
                    return out;
                }));
            }
            for (Future<List<Run>> f : runs) {
                for (Run run : f.get()) {
                    assertEquals(RunStatus.SUCCEEDED, run.status(), run.error());
                }
            }
        } finally {
            pool.shutdown();
        }
        JsonNode stats = sim.stats();
        for (String corp : List.of("ww-rate-a", "ww-rate-b")) {
            assertEquals(
                    3,
                    stats.path("calls")
                            .path("/cgi-bin/department/list")
                            .path(corp)
                            .asInt(),
                    "one tree per run");
            assertEquals(
                    3 * 25,
                    stats.path("calls").path("/cgi-bin/user/list").path(corp).asInt(),
                    "each department once per run");
            assertDepartmentCallsWithinRate(stats, corp);
        }
    }

    @Test
    void callsSlowerThanTheirSlotAreMadeUpForWithoutGoingAboveTheRate() throws Exception {
        // every fourth member list takes a quarter of a second: the calls after it catch up
        sim.fault(Map.of("path", "/cgi-bin/user/list", "corpId", "ww-rate-slow", "latencyMs", 250, "rate", 0.25));
        try {
            Run run = node.sync("ww-rate-slow", SyncProgress.NONE);
            assertEquals(RunStatus.SUCCEEDED, run.status(), run.error());
        } finally {
            sim.clearFaults();
        }
        assertDepartmentCallsWithinRate(sim.stats(), "ww-rate-slow");
    }

    static void assertDepartmentCallsWithinRate(JsonNode stats, String corp) {
        int peak = stats.path("peakDeptCallsPerSecond").path(corp).asInt(-1);
        assertTrue(
                peak > 0 && peak <= RATE,
                corp + ": " + peak + " department calls in one second, rate " + RATE + "; " + stats);
        assertEquals(
                1,
                stats.path("peakDeptConcurrency").path(corp).asInt(),
                corp + ": department calls overlapped; " + stats);
        assertEquals(
                0,
                stats.path("errors").path("45009").asInt(0),
                "the simulator answered 45009: " + stats.path("errors"));
    }
}
