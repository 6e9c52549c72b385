package io.orgsync.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.orgsync.Node;
import io.orgsync.NodeInternals;
import io.orgsync.enterprise.EnterpriseChange;
import io.orgsync.testing.RunRows;
import io.orgsync.testing.SimulatorControl;
import io.orgsync.testing.TestDatabases;
import io.orgsync.testing.TestNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A run's start on H2 and MariaDB: it yields to a run of its enterprise that still goes on on
 * another node (alive, progressing), before any upstream call, and takes the claim over once
 * that node falls silent, saying so in the row of the run it took over from.
 */
class ClaimStartTest {
    private static final String SECRET = "claim-start-secret-0123";

    @RegisterExtension
    static final SimulatorControl sim = new SimulatorControl();

    @ParameterizedTest
    @ValueSource(strings = {"h2", "mariadb"})
    void aRunYieldsToALiveRunAndTakesOverOnceItsNodeFallsSilent(String dialect) throws Exception {
        String url = TestDatabases.url(dialect, "claim_start");
        String corp = "ww-claim-start-" + dialect;
        sim.createCorp(corp, SECRET, 2, 6, true);
        try (Node node = TestNode.on(url, sim.baseUrl()).start()) {
            NodeInternals.runWatch(node).close(); // it would end the other node's row first, with a reason of its own
            node.enterprises().put(corp, new EnterpriseChange(corp, SECRET, TestNode.NEVER, true, null));
            long now = node.clock().millis();
            long other;
            try (Connection c = node.dataSource().getConnection()) {
                RunRows.node(c, "node-x", now);
                other = RunRows.running(c, corp, "node-x", now - 5_000, now);
            }
            sim.resetStats();

            Run yielded = node.sync(corp, SyncProgress.NONE);
            System.out.println(dialect + ": " + yielded.status() + " (" + yielded.error() + ")");
            assertEquals(RunStatus.ABANDONED, yielded.status(), yielded.error());
            assertTrue(
                    yielded.error()
                            .startsWith("yielded: run " + other + " of this enterprise is still running on node-x"),
                    yielded.error());
            assertEquals(0, callsOf(corp), "upstream calls of the yielding run: " + sim.stats());
            assertEquals(
                    RunStatus.RUNNING,
                    NodeInternals.runner(node).runs().find(other).orElseThrow().status());

            try (Connection c = node.dataSource().getConnection();
                    PreparedStatement ps =
                            c.prepareStatement("UPDATE cluster_node SET last_seen = ? WHERE instance_id = 'node-x'")) {
                ps.setLong(1, now - 60_000);
                assertEquals(1, ps.executeUpdate());
            }
            Run took = node.sync(corp, SyncProgress.NONE);
            Run left = NodeInternals.runner(node).runs().find(other).orElseThrow();
            System.out.println(dialect + ": " + took.status() + "; the other run " + left.error());
            assertEquals(RunStatus.SUCCEEDED, took.status(), took.error());
            assertEquals(RunStatus.ABANDONED, left.status());
            assertTrue(
                    left.error()
                            .matches(
                                    "abandoned: run " + took.id()
                                            + " on node-a took over the enterprise, as its node node-x showed no heartbeat for 6\\d s"),
                    left.error());
        }
    }

    /** Every upstream call the simulator counted for the corp, whatever the path. */
    private static long callsOf(String corp) {
        long n = 0;
        for (JsonNode perPath : sim.stats().path("calls")) {
            n += perPath.path(corp).asLong(0);
        }
        return n;
    }
}
