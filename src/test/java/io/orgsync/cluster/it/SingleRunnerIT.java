package io.orgsync.cluster.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.orgsync.testing.Waiting;
import io.orgsync.testing.cluster.Cluster;
import io.orgsync.testing.cluster.ClusterDb;
import io.orgsync.testing.cluster.HttpResult;
import io.orgsync.testing.cluster.LookupProbe;
import io.orgsync.testing.cluster.NodeSpec;
import io.orgsync.testing.cluster.OrgsyncNode;
import io.orgsync.testing.cluster.RunRow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * One runner per enterprise, cluster-wide: 3 scheduler nodes, 5 enterprises, 100 triggers sent
 * round-robin to the nodes (409s waited out). No two runs of one enterprise overlap in time,
 * every trigger becomes exactly one successful run, and the spread over the nodes is reported.
 */
@Timeout(value = 4, unit = java.util.concurrent.TimeUnit.MINUTES)
class SingleRunnerIT {
    private static final int ENTERPRISES = 5;
    private static final int ROUNDS = 20;
    private static Cluster cluster;
    private static List<OrgsyncNode> schedulers;
    private static OrgsyncNode ro;

    @BeforeAll
    static void startCluster() {
        cluster = Cluster.create("it_singlerunner");
        List<OrgsyncNode> nodes = cluster.start(
                NodeSpec.scheduler("one-1"),
                NodeSpec.scheduler("one-2"),
                NodeSpec.scheduler("one-3"),
                NodeSpec.readOnly("one-ro"));
        schedulers = nodes.subList(0, 3);
        ro = nodes.get(3);
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void oneHundredTriggersNeverOverlapPerEnterprise() {
        List<String> corps = new ArrayList<>();
        for (int i = 1; i <= ENTERPRISES; i++) {
            String corpId = "wwone" + i;
            corps.add(corpId);
            cluster.enterprise(schedulers.get(i % 3), corpId, 4, 40, Cluster.NEVER);
        }
        cluster.syncOnce(schedulers.get(0), corps.get(0), Duration.ofSeconds(60));
        String[] member = cluster.someMemberWithMobile(corps.get(0));
        LookupProbe probe = cluster.probe(ro, member[1], member[0]);
        long baseline = cluster.db.allRuns().size();
        // runs long enough to be caught overlapping: 5 department calls at 60 ms each
        cluster.sim.fault(Map.of("path", "/cgi-bin/user/list", "latencyMs", 60));

        long started = System.currentTimeMillis();
        int sent = 0;
        int conflicts = 0;
        for (int round = 0; round < ROUNDS; round++) {
            for (String corpId : corps) {
                OrgsyncNode via = schedulers.get(sent % 3);
                long deadline = System.currentTimeMillis() + 60_000;
                while (true) {
                    HttpResult r = via.trigger(corpId);
                    if (r.status() == 200) {
                        break;
                    }
                    assertEquals(409, r.status(), "trigger of " + corpId + " on " + via.name() + ": " + r.body());
                    assertEquals("conflict", r.errorCode());
                    conflicts++;
                    assertTrue(
                            System.currentTimeMillis() < deadline, "a trigger of " + corpId + " was refused for 60 s");
                    Waiting.sleep(Duration.ofMillis(100));
                }
                sent++;
            }
        }
        int expected = (int) baseline + ENTERPRISES * ROUNDS;
        Waiting.until(Duration.ofSeconds(150), "all " + sent + " triggered runs to finish", () -> {
            List<RunRow> runs = cluster.db.allRuns();
            return runs.size() >= expected && runs.stream().allMatch(RunRow::finished);
        });
        long elapsed = System.currentTimeMillis() - started;
        cluster.sim.clearFaults();

        List<RunRow> runs = cluster.db.allRuns().stream().skip(baseline).toList();
        assertEquals(ENTERPRISES * ROUNDS, runs.size(), "one run per accepted trigger");
        for (RunRow r : runs) {
            assertEquals("SUCCEEDED", r.status(), r.toString());
        }
        // the guarantee: per enterprise, each run starts after the previous one finished
        for (String corpId : corps) {
            List<RunRow> ofCorp = runs.stream()
                    .filter(r -> r.corpId().equals(corpId))
                    .sorted(Comparator.comparingLong(RunRow::startedAt))
                    .toList();
            assertEquals(ROUNDS, ofCorp.size(), corpId);
            for (int i = 1; i < ofCorp.size(); i++) {
                RunRow prev = ofCorp.get(i - 1);
                RunRow next = ofCorp.get(i);
                assertTrue(
                        next.startedAt() >= prev.finishedAt(),
                        "overlapping runs of " + corpId + ": " + prev + " and " + next);
            }
        }
        // different enterprises did run in parallel
        long parallel = countOverlapsAcrossEnterprises(runs);

        Map<String, Integer> spread = ClusterDb.perNode(runs);
        Map<String, Map<String, Integer>> byCorp = new TreeMap<>();
        runs.forEach(
                r -> byCorp.computeIfAbsent(r.corpId(), k -> new TreeMap<>()).merge(r.instanceId(), 1, Integer::sum));
        Cluster.report(String.format(
                "SingleRunnerIT: %d triggers (%d answered 409 first) -> %d runs in %.1f s, no overlap per enterprise; "
                        + "%d pairs of runs of different enterprises overlapped",
                sent, conflicts, runs.size(), elapsed / 1000.0, parallel));
        Cluster.report("SingleRunnerIT: runs per node " + spread);
        Cluster.report("SingleRunnerIT: runs per enterprise and node " + byCorp);
        Cluster.report("SingleRunnerIT: " + probe.summary());
        assertEquals(3, spread.size(), "every scheduler node ran some: " + spread);
        assertTrue(parallel > 0, "different enterprises never ran at the same time");
        assertEquals(List.of(), probe.failures(), probe.summary());
    }

    private static long countOverlapsAcrossEnterprises(List<RunRow> runs) {
        long n = 0;
        for (int i = 0; i < runs.size(); i++) {
            for (int j = i + 1; j < runs.size(); j++) {
                RunRow x = runs.get(i);
                RunRow y = runs.get(j);
                if (!x.corpId().equals(y.corpId())
                        && x.startedAt() < y.finishedAt()
                        && y.startedAt() < x.finishedAt()) {
                    n++;
                }
            }
        }
        return n;
    }
}
