package io.orgsync.bench;

import io.orgsync.testing.cluster.Cluster;
import io.orgsync.testing.cluster.ClusterDb;
import io.orgsync.testing.cluster.NodeSpec;
import io.orgsync.testing.cluster.OrgsyncNode;
import io.orgsync.testing.cluster.RunRow;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Scale: N enterprises of M members on 3 scheduler nodes (separate JVMs of target/orgsync.jar,
 * the cluster test harness), all due at the same instant T through a one-shot cron, as a daily
 * sync at a fixed hour would be. Measures the time from T until every enterprise has synced
 * once, the runs per node, the start lag and the database load (MariaDB's global status and,
 * for the nodes' own account, its user statistics) while idle and during the burst.
 *
 * <p>Usage: {@code bench/scale.sh [--sizes 100,300,1000] [--members 20] [--departments 3]
 * [--threads 4] [--batch 1] [--idle-seconds 15]}. The simulator runs in this JVM with its call
 * limits off and the nodes' department and node rates lifted, so that the figures are about
 * scheduling, not about the upstream's limits.
 */
public final class ScaleBench {
    private static final ZoneId CRON_ZONE = ZoneId.of("Asia/Shanghai");
    /** Per checkout, like the databases (ClusterDb), so that two checkouts' benchmarks do not share it. */
    private static final String BENCH_USER = "orgsync_bench_"
            + Integer.toHexString(java.nio.file.Path.of("")
                            .toAbsolutePath()
                            .normalize()
                            .toString()
                            .hashCode()
                    & 0x7fffffff);

    private static final String BENCH_PASSWORD = "bench-pass-0123";
    private static final List<String> GLOBAL = List.of(
            "Questions",
            "Com_select",
            "Com_insert",
            "Com_update",
            "Com_delete",
            "Com_commit",
            "Com_rollback",
            "Innodb_row_lock_waits",
            "Innodb_deadlocks",
            "Threads_connected");
    private static final List<String> USER = List.of(
            "SELECT_COMMANDS",
            "UPDATE_COMMANDS",
            "OTHER_COMMANDS",
            "COMMIT_TRANSACTIONS",
            "ROLLBACK_TRANSACTIONS",
            "ROWS_READ",
            "ROWS_INSERTED",
            "ROWS_UPDATED",
            "ROWS_DELETED",
            "BUSY_TIME",
            "CPU_TIME");

    /** {@code threads}: one value for every node, or one per node (e.g. 2,4,8). */
    record Options(
            List<Integer> sizes, int members, int departments, List<Integer> threads, int batch, int idleSeconds) {
        int threadsOf(int node) {
            return threads.size() == 1 ? threads.get(0) : threads.get(node - 1);
        }

        String threadsText() {
            return threads.size() == 1 ? String.valueOf(threads.get(0)) : threads.toString();
        }
    }

    record Result(
            int enterprises,
            double registerSeconds,
            double makespanSeconds,
            double firstStartSeconds,
            double startLagP50,
            double startLagP90,
            double runP50Ms,
            double runP90Ms,
            int failed,
            Map<String, Integer> perNode,
            Map<String, Double> idlePerSecond,
            Map<String, Double> burstPerSecond,
            Map<String, Double> idleUserPerSecond,
            Map<String, Double> burstUserPerSecond,
            Map<String, Double> idleCpu,
            Map<String, Double> burstCpu) {}

    public static void main(String[] args) throws Exception {
        Options o = parse(args);
        System.out.println("scale bench: " + o);
        List<Result> results = new ArrayList<>();
        String userstatBefore = variable("userstat");
        boolean userStats = setUserstat("ON");
        try {
            for (int n : o.sizes()) {
                results.add(runOne(n, o, userStats));
                print(results.get(results.size() - 1));
            }
        } finally {
            if (userstatBefore != null) {
                setUserstat(userstatBefore);
            }
            dropBenchAccount();
        }
        System.out.println();
        System.out.println(
                "| enterprises | register (s) | T → all synced once (s) | runs/s | first start (s) | start lag p50 / p90 (s) "
                        + "| run p50 / p90 (ms) | runs per node | failed | CPU % during the burst: nodes / bench+simulator / mariadbd / others |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|");
        for (Result r : results) {
            Map<String, Double> c = r.burstCpu();
            System.out.printf(
                    "| %,d | %.1f | **%.1f** | %.1f | %.2f | %.1f / %.1f | %.0f / %.0f | %s | %d | %.0f / %.0f / %.0f / %.0f |%n",
                    r.enterprises(),
                    r.registerSeconds(),
                    r.makespanSeconds(),
                    r.enterprises() / r.makespanSeconds(),
                    r.firstStartSeconds(),
                    r.startLagP50(),
                    r.startLagP90(),
                    r.runP50Ms(),
                    r.runP90Ms(),
                    r.perNode(),
                    r.failed(),
                    c.get("nodes"),
                    c.get("bench+simulator"),
                    c.get("mariadbd"),
                    c.get("others"));
        }
        System.out.println();
        System.out.println(
                "| enterprises | phase | server Questions/s | Com_select/s | Com_insert/s | Com_update/s | Com_delete/s | "
                        + "Com_commit/s | row lock waits | nodes' account: selects/s | writes/s | commits/s | rows read/s | busy ms/s |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        for (Result r : results) {
            printLoad(r.enterprises(), "idle", r.idlePerSecond(), r.idleUserPerSecond());
            printLoad(r.enterprises(), "burst", r.burstPerSecond(), r.burstUserPerSecond());
        }
    }

    private static void printLoad(int n, String phase, Map<String, Double> g, Map<String, Double> u) {
        System.out.printf(
                "| %,d | %s | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f | %s | %s | %s | %s | %s |%n",
                n,
                phase,
                g.get("Questions"),
                g.get("Com_select"),
                g.get("Com_insert"),
                g.get("Com_update"),
                g.get("Com_delete"),
                g.get("Com_commit"),
                g.get("Innodb_row_lock_waits_total"),
                fmt(u, "SELECT_COMMANDS", "%.0f"),
                fmt(u, "UPDATE_COMMANDS", "%.0f"),
                fmt(u, "COMMIT_TRANSACTIONS", "%.0f"),
                fmt(u, "ROWS_READ", "%.0f"),
                fmt(u, "BUSY_TIME", "%.0f"));
    }

    private static String fmt(Map<String, Double> m, String key, String format) {
        return m == null || m.get(key) == null ? "n/a" : String.format(format, m.get(key));
    }

    private static Result runOne(int n, Options o, boolean userStats) throws Exception {
        System.out.printf(
                "%n=== %,d enterprises of %d members (%d departments), 3 nodes x %s threads, batch %d ===%n",
                n, o.members(), o.departments(), o.threadsText(), o.batch());
        try (Cluster cluster = Cluster.create("bench_scale_" + n)) {
            createBenchAccount(cluster.db);
            ExecutorService pool = Executors.newFixedThreadPool(6);
            try {
                long t0 = System.currentTimeMillis();
                parallel(
                        pool,
                        1,
                        n,
                        i -> cluster.sim.createCorp(corp(i), "secret-" + corp(i), o.departments(), o.members(), true));
                System.out.printf(
                        "simulator: %,d enterprises in %.1f s%n", n, (System.currentTimeMillis() - t0) / 1000.0);

                List<NodeSpec> specs = new ArrayList<>();
                for (int i = 1; i <= 3; i++) {
                    NodeSpec spec = NodeSpec.scheduler("scale-" + i)
                            .account(BENCH_USER, BENCH_PASSWORD)
                            .set("ORGSYNC_SYNC_THREADS", String.valueOf(o.threadsOf(i)))
                            .set("ORGSYNC_DEPT_RATE", "10000")
                            .set("ORGSYNC_NODE_RATE", "100000");
                    if (o.batch() != 1) {
                        spec.quartz("org.quartz.scheduler.batchTriggerAcquisitionMaxCount", String.valueOf(o.batch()));
                    }
                    specs.add(spec);
                }
                List<OrgsyncNode> nodes = cluster.start(specs.toArray(NodeSpec[]::new));

                // registration: the first few with a schedule that never fires, to learn the rate; then everything
                // due at the same instant T (a one-shot cron whose seconds field is never 0, which orgsync would
                // spread over the minute), as a daily sync at a fixed hour would be
                long r0 = System.currentTimeMillis();
                int k = Math.min(60, n);
                parallel(pool, 1, k, i -> nodes.get(i % 3).putEnterprise(corp(i), "secret-" + corp(i), Cluster.NEVER));
                double perSecond = k / Math.max(0.001, (System.currentTimeMillis() - r0) / 1000.0);
                long margin = (long) ((n - k) / perSecond * 1000 * 1.6) + o.idleSeconds() * 1000L + 12_000;
                ZonedDateTime due = Instant.ofEpochMilli(System.currentTimeMillis() + margin)
                        .atZone(CRON_ZONE)
                        .withNano(0);
                if (due.getSecond() == 0) {
                    due = due.plusSeconds(1);
                }
                String cron = String.format(
                        "%d %d %d %d %d ? %d",
                        due.getSecond(),
                        due.getMinute(),
                        due.getHour(),
                        due.getDayOfMonth(),
                        due.getMonthValue(),
                        due.getYear());
                long t = due.toInstant().toEpochMilli();
                parallel(pool, k + 1, n, i -> nodes.get(i % 3).putEnterprise(corp(i), "secret-" + corp(i), cron));
                parallel(pool, 1, k, i -> nodes.get(i % 3).putEnterprise(corp(i), "secret-" + corp(i), cron));
                double register = (System.currentTimeMillis() - r0) / 1000.0;
                System.out.printf(
                        "registered %,d enterprises through the admin API in %.1f s (%.0f/s); all due at %s (cron '%s'), "
                                + "%.1f s from now%n",
                        n, register, n / register, due, cron, (t - System.currentTimeMillis()) / 1000.0);

                // idle: every job scheduled, none due yet
                long idleMillis = Math.min(o.idleSeconds() * 1000L, t - System.currentTimeMillis() - 3_000);
                if (idleMillis < 3_000) {
                    throw new IllegalStateException(
                            "registration took too long to leave an idle window before T; raise the margin");
                }
                Snapshot idle0 = snapshot(cluster.db, userStats, nodes);
                Thread.sleep(idleMillis);
                Snapshot idle1 = snapshot(cluster.db, userStats, nodes);
                Thread.sleep(Math.max(0, t - System.currentTimeMillis() - 500));
                Snapshot burst0 = snapshot(cluster.db, userStats, nodes);
                long deadline = t + 600_000;
                long synced = 0;
                long lastProgress = System.currentTimeMillis();
                int lastRuns = 0;
                while (System.currentTimeMillis() < deadline) {
                    synced = syncedOnce(cluster.db);
                    if (synced >= n) {
                        break;
                    }
                    List<RunRow> sofar = cluster.db.allRuns();
                    if (sofar.size() != lastRuns || sofar.stream().anyMatch(r -> !r.finished())) {
                        lastRuns = sofar.size();
                        lastProgress = System.currentTimeMillis();
                    } else if (System.currentTimeMillis() - lastProgress > 150_000) {
                        // nothing running and nothing new for longer than Quartz's misfire handler takes to re-fire
                        // triggers that waited past misfireThreshold (it looks every 60 s): some enterprise never syncs
                        break;
                    }
                    Thread.sleep(500);
                }
                Snapshot burst1 = snapshot(cluster.db, userStats, nodes);
                if (synced < n) {
                    List<String> missing = new ArrayList<>();
                    for (int i = 1; i <= n; i++) {
                        String id = corp(i);
                        if (cluster.db.runs(id).stream().noneMatch(r -> "SUCCEEDED".equals(r.status()))) {
                            missing.add(id + " " + cluster.db.runs(id));
                        }
                    }
                    throw new IllegalStateException("only " + synced + " of " + n + " enterprises synced; never: "
                            + missing + " (see the nodes' logs in target/it-logs)");
                }
                List<RunRow> runs = cluster.db.allRuns().stream()
                        .filter(r -> r.startedAt() >= t - 1_000)
                        .toList();
                long last = runs.stream()
                        .filter(r -> "SUCCEEDED".equals(r.status()))
                        .mapToLong(RunRow::finishedAt)
                        .max()
                        .orElse(t);
                long first = runs.stream().mapToLong(RunRow::startedAt).min().orElse(t);
                List<Long> lags =
                        runs.stream().map(r -> r.startedAt() - t).sorted().toList();
                List<Long> durations = runs.stream()
                        .filter(RunRow::finished)
                        .map(r -> r.finishedAt() - r.startedAt())
                        .sorted()
                        .toList();
                int failed = (int) runs.stream()
                        .filter(r -> !"SUCCEEDED".equals(r.status()))
                        .count();
                // triggers still waiting misfireThreshold (60 s) after T are left to Quartz's misfire handler
                long late =
                        runs.stream().filter(r -> r.startedAt() > t + 60_000).count();
                List<Long> starts =
                        runs.stream().map(RunRow::startedAt).sorted().toList();
                long gap = 0;
                long gapAt = 0;
                for (int i = 1; i < starts.size(); i++) {
                    if (starts.get(i) - starts.get(i - 1) > gap) {
                        gap = starts.get(i) - starts.get(i - 1);
                        gapAt = starts.get(i - 1) - t;
                    }
                }
                System.out.printf(
                        "runs started more than 60 s after T (misfired): %d; longest pause between two starts: %.1f s, "
                                + "%.1f s after T%n",
                        late, gap / 1000.0, gapAt / 1000.0);
                cluster.close();
                cluster.db.drop(); // kept only when the run failed, for inspection
                return new Result(
                        n,
                        register,
                        (last - t) / 1000.0,
                        (first - t) / 1000.0,
                        pct(lags, 50) / 1000.0,
                        pct(lags, 90) / 1000.0,
                        pct(durations, 50),
                        pct(durations, 90),
                        failed,
                        ClusterDb.perNode(runs),
                        idle1.globalRates(idle0),
                        burst1.globalRates(burst0),
                        userStats ? idle1.userRates(idle0) : null,
                        userStats ? burst1.userRates(burst0) : null,
                        idle1.cpuShares(idle0),
                        burst1.cpuShares(burst0));
            } finally {
                pool.shutdownNow();
            }
        }
    }

    private static void print(Result r) {
        System.out.printf(
                "RESULT %,d enterprises: all synced once %.1f s after T (%.1f runs/s); first start %.2f s, start lag p50 %.1f s, "
                        + "p90 %.1f s; run p50 %.0f ms, p90 %.0f ms; failed %d; runs per node %s%n",
                r.enterprises(),
                r.makespanSeconds(),
                r.enterprises() / r.makespanSeconds(),
                r.firstStartSeconds(),
                r.startLagP50(),
                r.startLagP90(),
                r.runP50Ms(),
                r.runP90Ms(),
                r.failed(),
                r.perNode());
        System.out.println("  idle  server/s " + round(r.idlePerSecond())
                + (r.idleUserPerSecond() == null ? "" : "; nodes' account/s " + round(r.idleUserPerSecond())));
        System.out.println("  burst server/s " + round(r.burstPerSecond())
                + (r.burstUserPerSecond() == null ? "" : "; nodes' account/s " + round(r.burstUserPerSecond())));
        System.out.println("  CPU, % of the machine: idle " + round(r.idleCpu()) + "; burst " + round(r.burstCpu()));
    }

    private static Map<String, String> round(Map<String, Double> m) {
        Map<String, String> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(k, v >= 10 ? String.format("%.0f", v) : String.format("%.2f", v)));
        return out;
    }

    private static String corp(int i) {
        return String.format("wwscale%05d", i);
    }

    /** Enterprises with at least one SUCCEEDED run. */
    private static long syncedOnce(ClusterDb db) throws SQLException {
        try (Connection c = db.connect();
                Statement s = c.createStatement();
                ResultSet rs =
                        s.executeQuery("SELECT COUNT(DISTINCT corp_id) FROM sync_run WHERE status = 'SUCCEEDED'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static double pct(List<Long> sorted, int p) {
        if (sorted.isEmpty()) {
            return 0;
        }
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }

    interface IndexTask {
        void run(int i) throws Exception;
    }

    /** Runs task(from..to) on the pool's 6 threads. */
    private static void parallel(ExecutorService pool, int from, int n, IndexTask task) throws Exception {
        AtomicInteger next = new AtomicInteger(from);
        List<Future<?>> futures = new ArrayList<>();
        for (int w = 0; w < 6; w++) {
            futures.add(pool.submit(() -> {
                int i;
                while ((i = next.getAndIncrement()) <= n) {
                    task.run(i);
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
    }

    /** The nodes log in as their own account, so that MariaDB's user statistics single out their load. */
    private static void createBenchAccount(ClusterDb db) throws SQLException {
        try (Connection c = db.connect();
                Statement s = c.createStatement()) {
            s.execute("CREATE USER IF NOT EXISTS '" + BENCH_USER + "'@'%' IDENTIFIED BY '" + BENCH_PASSWORD + "'");
            s.execute("GRANT ALL PRIVILEGES ON " + db.schema() + ".* TO '" + BENCH_USER + "'@'%'");
        }
    }

    private static void dropBenchAccount() {
        try (Connection c = java.sql.DriverManager.getConnection(
                        io.orgsync.testing.TestDatabases.MYSQL_SERVER,
                        io.orgsync.testing.TestDatabases.MYSQL_USER,
                        io.orgsync.testing.TestDatabases.MYSQL_PASSWORD);
                Statement s = c.createStatement()) {
            s.execute("DROP USER IF EXISTS '" + BENCH_USER + "'@'%'");
        } catch (SQLException e) {
            System.out.println("could not drop the bench account: " + e.getMessage());
        }
    }

    private static String variable(String name) {
        try (Connection c = java.sql.DriverManager.getConnection(
                        io.orgsync.testing.TestDatabases.MYSQL_SERVER,
                        io.orgsync.testing.TestDatabases.MYSQL_USER,
                        io.orgsync.testing.TestDatabases.MYSQL_PASSWORD);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SHOW GLOBAL VARIABLES LIKE '" + name + "'")) {
            return rs.next() ? rs.getString(2) : null;
        } catch (SQLException e) {
            return null;
        }
    }

    /** MariaDB's per-account statistics (userstat); false when the server has none. */
    private static boolean setUserstat(String value) {
        try (Connection c = java.sql.DriverManager.getConnection(
                        io.orgsync.testing.TestDatabases.MYSQL_SERVER,
                        io.orgsync.testing.TestDatabases.MYSQL_USER,
                        io.orgsync.testing.TestDatabases.MYSQL_PASSWORD);
                Statement s = c.createStatement()) {
            s.execute("SET GLOBAL userstat = " + ("ON".equalsIgnoreCase(value) || "1".equals(value) ? "ON" : "OFF"));
            return true;
        } catch (SQLException e) {
            System.out.println("no per-account statistics: " + e.getMessage());
            return false;
        }
    }

    /** Counters at one instant: MariaDB's global status, the nodes' account statistics and CPU jiffies from /proc. */
    record Snapshot(long at, Map<String, Long> global, Map<String, Long> user, Map<String, Long> cpu) {
        Map<String, Double> globalRates(Snapshot before) {
            return rates(before.global, global, before.at);
        }

        Map<String, Double> userRates(Snapshot before) {
            return rates(before.user, user, before.at);
        }

        /** Share of the whole machine (all cores) each party used since {@code before}, in percent. */
        Map<String, Double> cpuShares(Snapshot before) {
            double capacity = (at - before.at)
                    / 1000.0
                    * CLOCK_TICKS
                    * Runtime.getRuntime().availableProcessors();
            Map<String, Double> out = new LinkedHashMap<>();
            long ours = 0;
            for (String k : List.of("nodes", "bench+simulator", "mariadbd")) {
                long d = cpu.get(k) - before.cpu.get(k);
                ours += d;
                out.put(k, 100.0 * d / capacity);
            }
            out.put("others", 100.0 * Math.max(0, cpu.get("machine") - before.cpu.get("machine") - ours) / capacity);
            return out;
        }

        private Map<String, Double> rates(Map<String, Long> a, Map<String, Long> b, long since) {
            double seconds = (at - since) / 1000.0;
            Map<String, Double> out = new LinkedHashMap<>();
            for (String k : b.keySet()) {
                if (k.equals("Threads_connected")) {
                    out.put(k, (double) b.get(k));
                } else if (k.equals("Innodb_row_lock_waits")) {
                    out.put(k + "_total", (double) (b.get(k) - a.getOrDefault(k, 0L)));
                    out.put(k, (b.get(k) - a.getOrDefault(k, 0L)) / seconds);
                } else {
                    out.put(k, (b.get(k) - a.getOrDefault(k, 0L)) / seconds);
                }
            }
            return out;
        }
    }

    private static final int CLOCK_TICKS = 100;

    private static Snapshot snapshot(ClusterDb db, boolean userStats, List<OrgsyncNode> nodes) throws SQLException {
        long at = System.currentTimeMillis();
        Map<String, Long> cpu = new LinkedHashMap<>();
        cpu.put("nodes", nodes.stream().mapToLong(n -> jiffies(n.pid())).sum());
        cpu.put("bench+simulator", jiffies(ProcessHandle.current().pid()));
        cpu.put(
                "mariadbd",
                ProcessHandle.allProcesses()
                        .filter(p -> p.info()
                                .command()
                                .map(c -> c.endsWith("/mariadbd"))
                                .orElse(false))
                        .mapToLong(p -> jiffies(p.pid()))
                        .sum());
        cpu.put("machine", machineBusyJiffies());
        Map<String, Long> global = db.globalStatus(GLOBAL);
        Map<String, Long> user = new TreeMap<>();
        if (userStats) {
            try (Connection c = db.connect();
                    Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery(
                            "SELECT * FROM information_schema.USER_STATISTICS WHERE USER = '" + BENCH_USER + "'")) {
                if (rs.next()) {
                    for (String k : USER) {
                        // BUSY_TIME and CPU_TIME are seconds: kept as milliseconds
                        user.put(k, k.endsWith("_TIME") ? Math.round(rs.getDouble(k) * 1000) : rs.getLong(k));
                    }
                }
            }
        }
        return new Snapshot(at, global, user, cpu);
    }

    /** utime + stime of a process, in clock ticks (0 when it is gone or /proc is not there). */
    private static long jiffies(long pid) {
        try {
            String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc", String.valueOf(pid), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (Exception e) {
            return 0;
        }
    }

    /** Busy clock ticks of the whole machine: user, nice, system, irq, softirq, steal. */
    private static long machineBusyJiffies() {
        try {
            String[] f = java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/stat"))
                    .get(0)
                    .trim()
                    .split("\\s+");
            return Long.parseLong(f[1])
                    + Long.parseLong(f[2])
                    + Long.parseLong(f[3])
                    + Long.parseLong(f[6])
                    + Long.parseLong(f[7])
                    + Long.parseLong(f[8]);
        } catch (Exception e) {
            return 0;
        }
    }

    private static Options parse(String[] args) {
        List<Integer> sizes = List.of(100, 300, 1000);
        int members = 20;
        int departments = 3;
        List<Integer> threads = List.of(4);
        int batch = 1;
        int idle = 15;
        for (int i = 0; i < args.length; i++) {
            String v = i + 1 < args.length ? args[i + 1] : "";
            switch (args[i]) {
                case "--sizes" -> {
                    List<Integer> list = new ArrayList<>();
                    for (String s : v.split(",")) {
                        list.add(Integer.parseInt(s.trim()));
                    }
                    sizes = Collections.unmodifiableList(list);
                    i++;
                }
                case "--members" -> {
                    members = Integer.parseInt(v);
                    i++;
                }
                case "--departments" -> {
                    departments = Integer.parseInt(v);
                    i++;
                }
                case "--threads" -> {
                    List<Integer> list = new ArrayList<>();
                    for (String t : v.split(",")) {
                        list.add(Integer.parseInt(t.trim()));
                    }
                    if (list.size() != 1 && list.size() != 3) {
                        throw new IllegalArgumentException("--threads takes one number or three (one per node)");
                    }
                    threads = Collections.unmodifiableList(list);
                    i++;
                }
                case "--batch" -> {
                    batch = Integer.parseInt(v);
                    i++;
                }
                case "--idle-seconds" -> {
                    idle = Integer.parseInt(v);
                    i++;
                }
                default ->
                    throw new IllegalArgumentException(
                            "unknown option " + args[i]
                                    + "; use --sizes 100,300,1000 --members 20 --departments 3 --threads 4 (or 2,4,8) --batch 1 --idle-seconds 15");
            }
        }
        return new Options(sizes, members, departments, threads, batch, idle);
    }
}
