package io.orgsync.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.orgsync.Node;
import io.orgsync.enterprise.EnterpriseChange;
import io.orgsync.testing.SimulatorControl;
import io.orgsync.testing.TestDatabases;
import io.orgsync.testing.TestNode;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Retries inside the upstream client are department calls too: each attempt of a sync's
 * department call, the retry of a -1, a 45033, a dropped connection or a rejected token included,
 * takes its own slot of the department pacer. The simulator counts every attempt on arrival, the
 * failed ones included, so a retry squeezed into a slot already used shows in its peak calls per
 * second (and answers 45009 when it lands on a counted call above the rate).
 */
class SyncRetryRateTest {
    private static final String SECRET = "retry-rate-secret-0123456789";
    private static final AtomicInteger CORPS = new AtomicInteger();

    @RegisterExtension
    static final SimulatorControl sim = new SimulatorControl();

    private Node node;

    @AfterEach
    void closeNode() {
        if (node != null) {
            node.close();
        }
        sim.send("DELETE", "/__sim/limits", null);
    }

    /**
     * The retry backoffs differ (-1 and I/O errors 200 ms, 45033 500 ms, a rejected token none): a
     * retry that shares its slot overfills a second when its backoff is shorter than what is left
     * of that second, so 45033 runs at 2 calls a second (and is judged on any 1000 ms, which the
     * upstream's seconds may be: the simulator's clock seconds split such a burst at random). A
     * rejected token is retried at once, which overfills a second at any rate: that case runs at 20.
     * (At 20 a second, the -1 and I/O cases no longer fill their seconds and a shared slot would
     * go unseen.)
     */
    static Stream<Arguments> faults() {
        return Stream.of(
                Arguments.of(
                        "system busy (-1) on every fourth member list", 10, 40, Map.of("errcode", -1, "rate", 0.25)),
                Arguments.of(
                        "connection dropped on every fourth member list",
                        10,
                        40,
                        Map.of("dropConnection", true, "rate", 0.25)),
                Arguments.of(
                        "token rejected (40014) on three member lists",
                        20,
                        40,
                        Map.of("errcode", 40014, "rate", 0.2, "count", 3)),
                Arguments.of(
                        "too many concurrent calls (45033) on every fourth member list",
                        2,
                        12,
                        Map.of("errcode", 45033, "rate", 0.25)));
    }

    @ParameterizedTest(name = "{0} at {1} a second")
    @MethodSource("faults")
    void everyAttemptOfADepartmentCallTakesAPacerSlot(String name, int rate, int departments, Map<String, Object> fault)
            throws Exception {
        String corp = "ww-retry-rate-" + CORPS.incrementAndGet();
        sim.createCorp(corp, SECRET, departments, 10 * departments, true);
        sim.limits(Map.of("deptCallsPerSecond", rate));
        node = TestNode.on(TestDatabases.h2("sync_retry_rate"), sim.baseUrl())
                .with("ORGSYNC_DEPT_RATE", rate)
                .start();
        node.enterprises().put(corp, new EnterpriseChange(corp, SECRET, TestNode.NEVER, true, null));
        Map<String, Object> spec = new HashMap<>(fault);
        spec.put("path", "/cgi-bin/user/list");
        spec.put("corpId", corp);
        sim.fault(spec);
        sim.resetStats();

        Run run = node.sync(corp, SyncProgress.NONE);

        JsonNode stats = sim.stats();
        long attempts =
                stats.path("calls").path("/cgi-bin/user/list").path(corp).asLong();
        int peak = stats.path("peakDeptCallsPerSecond").path(corp).asInt(-1);
        int sliding = stats.path("peakDeptCallsPerSlidingSecond").path(corp).asInt(-1);
        System.out.printf(
                "[retry-rate] %s: %s, %d member-list attempts for %d departments, peak %d department calls in a clock second, "
                        + "%d within any 1000 ms (rate %d)%n",
                name, run.status(), attempts, departments, peak, sliding, rate);
        assertTrue(attempts > departments, "the fault made the client retry: " + attempts + " attempts");
        assertTrue(
                peak > 0 && peak <= rate,
                corp + ": " + peak + " department calls in one second, rate " + rate + "; " + stats);
        assertTrue(
                sliding <= rate,
                corp + ": " + sliding + " department calls within 1000 ms, rate " + rate + "; " + stats);
        assertEquals(
                0,
                stats.path("errors").path("45009").asInt(0),
                "the simulator answered 45009: " + stats.path("errors"));
        assertEquals(1, stats.path("peakDeptConcurrency").path(corp).asInt(), "department calls overlapped");
        assertEquals(RunStatus.SUCCEEDED, run.status(), run.error());
    }
}
