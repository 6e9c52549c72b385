package io.orgsync.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.orgsync.Node;
import io.orgsync.enterprise.EnterpriseChange;
import io.orgsync.sync.Run;
import io.orgsync.sync.RunStatus;
import io.orgsync.sync.SyncProgress;
import io.orgsync.testing.MutableClock;
import io.orgsync.testing.SimulatorControl;
import io.orgsync.testing.TestDatabases;
import io.orgsync.testing.TestNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A 45009 on gettoken: the block's length travels with the failure, the token holder refuses
 * locally (and, through the token row, on every node) until it ends, and a sync run whose
 * deadline the block outlasts fails at once, saying when to retry, instead of looping at the
 * department rate until its deadline.
 */
class GettokenBlockTest {
    private static final String CORP = "ww-gettoken-block";
    private static final String SECRET = "block-secret-0123456789";
    private static final String GETTOKEN = "/cgi-bin/gettoken";
    private static final Pattern RETRY_AFTER = Pattern.compile("Retry after (\\S+?)\\.?$");
    /** Longer than a run may take here by far; shorter than the minute a 45009 block lasts. */
    private static final int DEADLINE_SECONDS = 30;

    @RegisterExtension
    static final SimulatorControl sim = new SimulatorControl();

    private final MutableClock clock = new MutableClock();
    private final List<Node> nodes = new ArrayList<>();

    @AfterEach
    void stopNodes() {
        nodes.forEach(Node::close);
    }

    private Node node(String dbUrl, String name) throws Exception {
        Node node = TestNode.on(dbUrl, sim.baseUrl())
                .with("ORGSYNC_INSTANCE_ID", name)
                .with("ORGSYNC_SYNC_DEADLINE_SECONDS", DEADLINE_SECONDS)
                .start(clock);
        nodes.add(node);
        return node;
    }

    /** A run, its wall-clock duration in ms and the retry time its error names. */
    private record Timed(Run run, long millis, Instant retryAfter) {}

    private Timed run(Node node) throws Exception {
        clock.advance(Duration.ofSeconds(1));
        long start = System.nanoTime();
        Run run = node.sync(CORP, SyncProgress.NONE);
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(RunStatus.FAILED, run.status(), run.error());
        Matcher m = RETRY_AFTER.matcher(run.error());
        assertTrue(m.find(), "the error says when to retry: " + run.error());
        return new Timed(run, millis, Instant.parse(m.group(1)));
    }

    @Test
    void aBlockedGettokenFailsTheRunAtOnceSayingWhenToRetry() throws Exception {
        String dbUrl = TestDatabases.mariadb("gettoken_block");
        sim.createCorp(CORP, SECRET, 5, 30, true);
        Node a = node(dbUrl, "node-a");
        a.enterprises().put(CORP, new EnterpriseChange(CORP, SECRET, TestNode.NEVER, true, null));
        sim.fault(Map.of("path", GETTOKEN, "corpId", CORP, "errcode", 45009));
        sim.resetStats();

        Timed first = run(a);
        assertTrue(
                first.millis() < 10_000,
                "the run failed after " + first.millis() + " ms, not at once: "
                        + first.run().error());
        assertTrue(first.run().error().contains("45009"), first.run().error());
        long ahead = first.retryAfter().toEpochMilli() - clock.millis();
        assertTrue(
                ahead > DEADLINE_SECONDS * 1000L && ahead <= 61_000,
                "retry after the minute's block: " + first.retryAfter());
        assertEquals(1, sim.calls(GETTOKEN, CORP), "gettoken calls");
        assertEquals(0, sim.calls("/cgi-bin/department/list", CORP), "no department call without a token");

        // within the block neither this node nor another one asks again
        Timed again = run(a);
        Timed elsewhere = run(node(dbUrl, "node-b"));
        assertTrue(
                again.millis() < 10_000 && elsewhere.millis() < 10_000,
                again.millis() + " ms, " + elsewhere.millis() + " ms");
        assertEquals(1, sim.calls(GETTOKEN, CORP), "gettoken calls after two more runs");
        assertTrue(
                Math.abs(elsewhere.retryAfter().toEpochMilli()
                                - first.retryAfter().toEpochMilli())
                        <= 2_000,
                "the other node names the same end of the block: " + elsewhere.retryAfter() + " vs "
                        + first.retryAfter());

        // once the block has ended the next run fetches a token and succeeds
        sim.clearFaults();
        clock.advance(Duration.ofSeconds(61));
        sim.advanceClock(61);
        Run after = a.sync(CORP, SyncProgress.NONE);
        assertEquals(RunStatus.SUCCEEDED, after.status(), after.error());
        assertEquals(2, sim.calls(GETTOKEN, CORP));
    }
}
