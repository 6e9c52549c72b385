package io.orgsync.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.orgsync.Node;
import io.orgsync.NodeInternals;
import io.orgsync.enterprise.EnterpriseChange;
import io.orgsync.sync.Run;
import io.orgsync.sync.RunStatus;
import io.orgsync.sync.SyncProgress;
import io.orgsync.testing.SimulatorControl;
import io.orgsync.testing.TestDatabases;
import io.orgsync.testing.TestNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * One enterprise of 2,000 departments and 50,000 members synced from the in-process simulator
 * into MariaDB at ORGSYNC_DEPT_RATE=200: the first load, then a sync after 5% of the members
 * changed, then one without changes. For each run: wall time against the bound (department
 * calls / rate), and the time to apply the fetched org, measured from the moment the last
 * department was fetched (the progress callback, on the sync thread right before the apply) to
 * the run's finished_at (written right after the apply's commit). A small enterprise is synced
 * first, so that the JIT is warm. The simulator enforces the department rate (45009 above it).
 * Usage: bench/sync.sh [departments=2000] [members=50000] [rate=200] [changed share=0.05]
 * <p>
 * {@code bench/sync.sh concurrency} measures ORGSYNC_DEPT_CONCURRENCY instead: 200 departments at
 * ORGSYNC_DEPT_RATE=50 with every call of the enterprise taking 30 ms in the simulator, synced
 * with 1 and with 4 department calls in flight (a first load and a sync without change each, on
 * a database of its own), wall time against the same bound.
 */
public final class SyncBench {
    private static final String CORP = "ww-sync-bench";
    private static final String SECRET = "sync-bench-secret-0123456789";
    private static final java.util.concurrent.atomic.AtomicInteger WARM_UPS =
            new java.util.concurrent.atomic.AtomicInteger();

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("concurrency")) {
            concurrency();
            return;
        }
        int departments = args.length > 0 ? Integer.parseInt(args[0]) : 2_000;
        int members = args.length > 1 ? Integer.parseInt(args[1]) : 50_000;
        int rate = args.length > 2 ? Integer.parseInt(args[2]) : 200;
        double share = args.length > 3 ? Double.parseDouble(args[3]) : 0.05;
        String db = TestDatabases.mariadb("sync_bench");
        try (SimulatorControl sim = new SimulatorControl()) {
            long t0 = System.nanoTime();
            sim.createCorp(CORP, SECRET, departments, members, true);
            System.out.printf(
                    "simulator: %d departments, %d members generated in %.1f s%n",
                    departments, members, secondsSince(t0));
            // the documented per-minute and per-hour limits would stop 2,000 calls a minute in; the
            // department rate stays enforced, so a client going faster than ORGSYNC_DEPT_RATE fails
            sim.limits(
                    Map.of("perMinute", 0, "perHour", 0, "ipPerMinute", 0, "ipPerHour", 0, "deptCallsPerSecond", rate));
            try (Node node = TestNode.on(db, sim.baseUrl())
                    .with("ORGSYNC_DEPT_RATE", rate)
                    .with("ORGSYNC_NODE_RATE", 10 * rate)
                    .with("ORGSYNC_SYNC_DEADLINE_SECONDS", 3600)
                    .start()) {
                warmUp(node, sim, rate);
                node.enterprises()
                        .put(CORP, new EnterpriseChange("Sync bench", SECRET, "0 0 3 1 1 ? 2099", true, null));
                List<String> rows = new ArrayList<>();
                rows.add(measure(node, sim, CORP, rate, "first load"));
                int changed = change(sim, CORP, share);
                rows.add(measure(
                        node, sim, CORP, rate, String.format("%.0f%% changed (%d members)", share * 100, changed)));
                // the answers a node serves all day: a sync that changes nothing must leave every one of them cached
                List<String> mobiles = LookupBench.mobiles(sim.export(CORP)).subList(0, 2_000);
                for (String mobile : mobiles) {
                    NodeInternals.reads(node).byMobile(mobile, CORP);
                }
                long entries = NodeInternals.readCache(node).entries();
                long dropped = NodeInternals.readCache(node).dropped();
                rows.add(measure(node, sim, CORP, rate, "no change"));
                System.out.printf(
                        "%nno change: cached answers %d before, %d after, %d dropped (target: none)%n",
                        entries,
                        NodeInternals.readCache(node).entries(),
                        NodeInternals.readCache(node).dropped() - dropped);
                System.out.printf(
                        "%n%-28s %8s %8s %9s %8s %8s %7s %s%n",
                        "run", "dept", "bound s", "wall s", "ratio", "fetch s", "apply s", "+/~/-");
                rows.forEach(System.out::println);
                System.out.printf(
                        "targets: wall/bound <= 1.10; apply < 10 s for the first load, < 3 s for a %.0f%% change%n",
                        share * 100);
            }
        }
    }

    private static void concurrency() throws Exception {
        int departments = 200;
        int rate = 50;
        int latencyMs = 30;
        String corp = "ww-sync-bench-in-flight";
        try (SimulatorControl sim = new SimulatorControl()) {
            sim.createCorp(corp, SECRET, departments, 2_000, true);
            sim.limits(
                    Map.of("perMinute", 0, "perHour", 0, "ipPerMinute", 0, "ipPerHour", 0, "deptCallsPerSecond", rate));
            sim.fault(Map.of("corpId", corp, "latencyMs", latencyMs));
            List<String> rows = new ArrayList<>();
            for (int inFlight : List.of(1, 4)) {
                try (Node node = TestNode.on(TestDatabases.mariadb("sync_bench_in_flight_" + inFlight), sim.baseUrl())
                        .with("ORGSYNC_DEPT_RATE", rate)
                        .with("ORGSYNC_DEPT_CONCURRENCY", inFlight)
                        .with("ORGSYNC_NODE_RATE", 10 * rate)
                        .with("ORGSYNC_SYNC_DEADLINE_SECONDS", 3600)
                        .start()) {
                    warmUp(node, sim, rate);
                    node.enterprises()
                            .put(corp, new EnterpriseChange("In-flight bench", SECRET, "0 0 3 1 1 ? 2099", true, null));
                    rows.add(measure(node, sim, corp, rate, inFlight + " in flight, first load"));
                    rows.add(measure(node, sim, corp, rate, inFlight + " in flight, no change"));
                }
            }
            System.out.printf(
                    "%n%d departments, rate %d, %d ms a call in the simulator%n", departments, rate, latencyMs);
            System.out.printf(
                    "%-28s %8s %8s %9s %8s %8s %7s %s%n",
                    "run", "dept", "bound s", "wall s", "ratio", "fetch s", "apply s", "+/~/-");
            rows.forEach(System.out::println);
            System.out.println("target: wall/bound <= 1.05 with 4 in flight");
        }
    }

    /**
     * A small enterprise synced, changed and synced again first, so that the measured runs find
     * the JIT warm: a node syncs all day, the first seconds of a JVM are not what it does.
     */
    private static void warmUp(Node node, SimulatorControl sim, int rate) throws Exception {
        String corp = "ww-sync-warm-up-" + WARM_UPS.incrementAndGet();
        sim.createCorp(corp, SECRET, 100, 3_000, true);
        node.enterprises().put(corp, new EnterpriseChange("Warm-up", SECRET, "0 0 3 1 1 ? 2099", true, null));
        measure(node, sim, corp, rate, "warm-up load");
        change(sim, corp, 0.05);
        measure(node, sim, corp, rate, "warm-up change");
    }

    private static String measure(Node node, SimulatorControl sim, String corp, int rate, String label)
            throws Exception {
        // runs of one enterprise keep a quiet second between them; it is not part of a run's cost
        Thread.sleep(1_100);
        sim.resetStats();
        long[] lastFetched = {0};
        long start = System.currentTimeMillis();
        Run run = node.sync(corp, new SyncProgress() {
            @Override
            public void departmentsFetched(String corpId, int done, int total) {
                if (done == total) {
                    lastFetched[0] = System.currentTimeMillis();
                }
            }
        });
        long end = System.currentTimeMillis();
        if (run.status() != RunStatus.SUCCEEDED) {
            throw new IllegalStateException(label + ": run " + run.status() + ": " + run.error());
        }
        JsonNode stats = sim.stats();
        long deptCalls = 0;
        for (String path : List.of("/cgi-bin/department/list", "/cgi-bin/user/list")) {
            deptCalls += stats.path("calls").path(path).path(corp).asLong();
        }
        double bound = deptCalls / (double) rate;
        double wall = (end - start) / 1000.0;
        double apply = (run.finishedAt() - lastFetched[0]) / 1000.0;
        double fetch = (lastFetched[0] - start) / 1000.0;
        System.out.printf(
                "%s: %d department calls, peak %d/s (rate %d), peak concurrency %d, %s%n",
                label,
                deptCalls,
                stats.path("peakDeptCallsPerSecond").path(corp).asInt(),
                rate,
                stats.path("peakDeptConcurrency").path(corp).asInt(),
                stats.path("errors"));
        return String.format(
                "%-28s %8d %8.2f %9.2f %8.3f %8.2f %7.2f +%d/~%d/-%d",
                label,
                deptCalls,
                bound,
                wall,
                wall / bound,
                fetch,
                apply,
                run.membersAdded(),
                run.membersUpdated(),
                run.membersRemoved());
    }

    /**
     * Changes {@code share} of the members through the simulator's control routes: 60% renamed
     * or given a new mobile, 20% moved to another department, 10% gone, 10% new.
     */
    private static int change(SimulatorControl sim, String corp, double share) {
        JsonNode export = sim.export(corp);
        List<String> userids = new ArrayList<>();
        export.path("members").forEach(m -> userids.add(m.path("userid").asText()));
        List<Integer> departments = new ArrayList<>();
        export.path("departments").forEach(d -> departments.add(d.path("id").asInt()));
        int n = (int) Math.round(userids.size() * share);
        Random random = new Random(42);
        java.util.Collections.shuffle(userids, random);
        String base = "/__sim/corps/" + corp + "/members";
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            if (i > 0 && i % 500 == 0) {
                System.out.printf("  %d of %d changes made (%.0f s)%n", i, n, secondsSince(t0));
            }
            String userid = userids.get(i);
            double kind = i / (double) n;
            if (kind < 0.3) {
                sim.send("PATCH", base + "/" + userid, Map.of("name", "改名" + i));
            } else if (kind < 0.6) {
                sim.send("PATCH", base + "/" + userid, Map.of("mobile", String.format("139%08d", i)));
            } else if (kind < 0.8) {
                int to = departments.get(1 + random.nextInt(departments.size() - 1));
                sim.send("PATCH", base + "/" + userid, Map.of("department", List.of(to), "main_department", to));
            } else if (kind < 0.9) {
                sim.send("DELETE", base + "/" + userid, null);
            } else {
                int to = departments.get(1 + random.nextInt(departments.size() - 1));
                sim.post(
                        base,
                        Map.of(
                                "userid",
                                "bench-new-" + i,
                                "name",
                                "新人" + i,
                                "department",
                                List.of(to),
                                "mobile",
                                String.format("137%08d", i)));
            }
        }
        System.out.printf("changed %d members through the simulator in %.1f s%n", n, secondsSince(t0));
        return n;
    }

    private static double secondsSince(long nanos) {
        return (System.nanoTime() - nanos) / 1e9;
    }
}
