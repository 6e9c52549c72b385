package io.orgsync.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.orgsync.testing.Waiting;
import io.orgsync.testing.cluster.Cluster;
import io.orgsync.testing.cluster.NodeSpec;
import io.orgsync.testing.cluster.OrgsyncNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What each WeCom set-up costs a sync (issue 20, "Speed"; docs/setups.md), on one scheduler node
 * started as the memory goal starts it ({@code java -Xmx256m -XX:+UseSerialGC -jar
 * target/orgsync.jar serve}, the cluster test harness) with the simulator in this JVM enforcing
 * the department rate:
 *
 * <ol>
 *   <li><b>ids</b>: an enterprise with a contact-sync secret on a new IP (user/list_id pages of
 *       10,000 and department/simplelist), 100,000 members in 2,000 departments: its upstream
 *       calls (run row and simulator), its wall time, fetch and apply, and the node's heap (its GC
 *       log: the largest heap in use after a collection during the run). Baseline in the same
 *       run: the same org (same seed and sizes) synced through an app secret, department by
 *       department.
 *   <li><b>both</b>: the same org of 200 departments synced with an app secret alone and with an
 *       app plus a contact-sync secret on a new IP (and on an old IP): calls per department.
 * </ol>
 *
 * Each enterprise is synced twice: a first load and a sync without change. The small enterprises
 * go first and warm the node's JIT. Usage: {@code bench/setups.sh [--members 100000]
 * [--departments 2000] [--small-members 3000] [--small-departments 200] [--rate 200] [--heap 256]}.
 */
public final class SetupsBench {
    private static final String APP = "setups-bench-app-secret-0123";
    private static final String CONTACT = "setups-bench-contact-secret-0123";
    private static final long SEED = 2026;
    private static final Pattern GC_LINE = Pattern.compile("(Pause \\w+).*?(\\d+)M->(\\d+)M\\((\\d+)M\\)");

    private record Result(
            String label,
            String status,
            int departments,
            int upstreamCalls,
            Map<String, Long> simCalls,
            double wall,
            double fetch,
            double apply,
            String changes,
            Gc gc,
            String error) {}

    /**
     * Heap in use after the run's collections: a young collection's figure includes the old
     * generation's garbage, a full collection's does not (the live set at that moment).
     */
    private record Gc(int collections, int full, long maxAfterMb, long maxAfterFullMb, long committedMb) {
        @Override
        public String toString() {
            return collections == 0
                    ? "no GC"
                    : maxAfterMb + " MB" + (full == 0 ? "" : " (full GC: " + maxAfterFullMb + " MB)");
        }
    }

    public static void main(String[] args) throws Exception {
        Map<String, Integer> o = new LinkedHashMap<>(Map.of(
                "members",
                100_000,
                "departments",
                2_000,
                "small-members",
                3_000,
                "small-departments",
                200,
                "rate",
                200,
                "heap",
                256));
        for (int i = 0; i + 1 < args.length; i += 2) {
            String key = args[i].replaceFirst("^--", "");
            if (!o.containsKey(key)) {
                throw new IllegalArgumentException("unknown option " + args[i] + "; known: " + o.keySet());
            }
            o.put(key, Integer.parseInt(args[i + 1]));
        }
        int rate = o.get("rate");
        Path gcLog = OrgsyncNode.LOG_DIR.resolve("setups-bench-gc.log").toAbsolutePath();
        Files.createDirectories(gcLog.getParent());
        Files.deleteIfExists(gcLog);
        // the harness appends to a node's log: the OutOfMemoryError check below must see this run's only
        Files.deleteIfExists(OrgsyncNode.LOG_DIR.resolve("setups-1.log"));
        try (Cluster cluster = Cluster.create("bench_setups")) {
            cluster.sim.limits(
                    Map.of("perMinute", 0, "perHour", 0, "ipPerMinute", 0, "ipPerHour", 0, "deptCallsPerSecond", rate));
            long t0 = System.nanoTime();
            int small = o.get("small-departments");
            int smallMembers = o.get("small-members");
            corp(cluster, "ww-bench-app-only", small, smallMembers, false, false);
            corp(cluster, "ww-bench-app-new-ip", small, smallMembers, true, true);
            corp(cluster, "ww-bench-app-old-ip", small, smallMembers, true, false);
            corp(cluster, "ww-bench-ids", o.get("departments"), o.get("members"), true, true);
            corp(cluster, "ww-bench-app", o.get("departments"), o.get("members"), false, false);
            System.out.printf("simulator: enterprises generated in %.1f s%n", (System.nanoTime() - t0) / 1e9);
            OrgsyncNode node = cluster.start(NodeSpec.scheduler("setups-1")
                            .heap(o.get("heap") + "m") // 256: the memory goal's heap (docs/BENCHMARKS.md, "Scale")
                            .set("ORGSYNC_DEPT_RATE", String.valueOf(rate))
                            .set("ORGSYNC_NODE_RATE", String.valueOf(10 * rate))
                            .set("ORGSYNC_SYNC_DEADLINE_SECONDS", "3600")
                            .set("JAVA_TOOL_OPTIONS", "-Xlog:gc:file=" + gcLog))
                    .get(0);
            System.out.println(
                    "node: java -Xmx" + o.get("heap") + "m -XX:+UseSerialGC -jar target/orgsync.jar serve, pid "
                            + node.pid() + ", GC log " + gcLog.getFileName());
            register(node, "ww-bench-app-only", APP, null);
            register(node, "ww-bench-app-new-ip", APP, CONTACT);
            register(node, "ww-bench-app-old-ip", APP, CONTACT);
            register(node, "ww-bench-ids", null, CONTACT);
            register(node, "ww-bench-app", APP, null);

            List<Result> both = new ArrayList<>();
            for (String corp : List.of("ww-bench-app-only", "ww-bench-app-new-ip", "ww-bench-app-old-ip")) {
                both.add(measure(cluster, node, corp, corp.substring(9) + ", first load", gcLog));
                both.add(measure(cluster, node, corp, corp.substring(9) + ", no change", gcLog));
            }
            List<Result> ids = new ArrayList<>();
            ids.add(measure(cluster, node, "ww-bench-ids", "ids (contact, new IP), first load", gcLog));
            ids.add(measure(cluster, node, "ww-bench-ids", "ids (contact, new IP), no change", gcLog));
            ids.add(measure(cluster, node, "ww-bench-app", "app secret (baseline), first load", gcLog));
            ids.add(measure(cluster, node, "ww-bench-app", "app secret (baseline), no change", gcLog));

            System.out.printf(
                    "%n=== app + contact-sync against app alone: %d departments, %d members, rate %d ===%n",
                    small, smallMembers, rate);
            table(both);
            for (int i = 0; i < 2; i++) {
                double base = both.get(i).upstreamCalls / (double) small;
                for (int j = 2 + i; j < both.size(); j += 2) {
                    double per = both.get(j).upstreamCalls / (double) small;
                    System.out.printf(
                            "RESULT %s: %.3f calls per department against %.3f app alone: %+.3f per department "
                                    + "(target <= +1)%n",
                            both.get(j).label, per, base, per - base);
                }
            }
            System.out.printf(
                    "%n=== contact-sync secret on a new IP against an app secret: %d departments, %d members, rate %d ===%n",
                    o.get("departments"), o.get("members"), rate);
            table(ids);
            for (int i = 0; i < 2; i++) {
                Result r = ids.get(i);
                Result b = ids.get(2 + i);
                System.out.printf(
                        "RESULT %s: %s, %d upstream calls (target <= 15) against %d, ratio %.4f; wall %.2f s against "
                                + "%.2f s, ratio %.3f; apply %.2f s against %.2f s; heap after GC at most %s of %d MB "
                                + "(%d collections, %d full) against %s (%d, %d)%n",
                        r.label,
                        r.status,
                        r.upstreamCalls,
                        b.upstreamCalls,
                        r.upstreamCalls / (double) b.upstreamCalls,
                        r.wall,
                        b.wall,
                        r.wall / b.wall,
                        r.apply,
                        b.apply,
                        r.gc,
                        r.gc.committedMb,
                        r.gc.collections,
                        r.gc.full,
                        b.gc,
                        b.gc.collections,
                        b.gc.full);
            }
            System.out.println("OutOfMemoryError in the node's log: " + node.logContains("OutOfMemoryError"));
            cluster.close();
            cluster.db.drop(); // kept only when the run failed, for inspection
        }
    }

    /** An enterprise of the simulator; the same seed and sizes give the same org whatever its id. */
    private static void corp(
            Cluster cluster, String corpId, int departments, int members, boolean contact, boolean newIp) {
        Map<String, Object> body = new LinkedHashMap<>(Map.of(
                "corpId", corpId,
                "secret", APP,
                "name", "Setups bench",
                "departments", departments,
                "members", members,
                "seed", SEED));
        if (contact) {
            body.put("contactSecret", CONTACT);
            body.put("newIp", newIp);
        }
        cluster.sim.post("/__sim/corps", body);
    }

    private static void register(OrgsyncNode node, String corpId, String secret, String contactSecret) {
        Map<String, Object> body = new LinkedHashMap<>(Map.of("name", corpId, "cron", Cluster.NEVER, "enabled", true));
        if (secret != null) {
            body.put("secret", secret);
        }
        if (contactSecret != null) {
            body.put("contactSecret", contactSecret);
        }
        node.put("/admin/api/enterprises/" + corpId, body).expectOk("PUT enterprise " + corpId);
    }

    /**
     * One triggered run: the run row's figures, every call the simulator counted for the
     * enterprise, and the heap the node's GC log shows meanwhile. The fetch ends at the last
     * upstream call this JVM saw counted (the simulator's statistics polled every 50 ms); the
     * apply runs from there to the run's finished_at.
     */
    private static Result measure(Cluster cluster, OrgsyncNode node, String corp, String label, Path gcLog)
            throws Exception {
        Thread.sleep(1_100); // a quiet second between runs of one enterprise is not part of a run's cost
        cluster.sim.resetStats();
        long gcOffset = Files.exists(gcLog) ? Files.size(gcLog) : 0;
        long before =
                cluster.db.runs(corp).stream().mapToLong(r -> r.id()).max().orElse(0);
        cluster.triggerAccepted(node, corp, Duration.ofSeconds(30));
        long lastCall = System.currentTimeMillis();
        long seen = -1;
        long runId = 0;
        while (runId == 0) {
            long total = cluster.sim.stats().path("totalCalls").asLong();
            if (total != seen) {
                seen = total;
                lastCall = System.currentTimeMillis();
            }
            runId = cluster.db.runs(corp).stream()
                    .filter(r -> r.id() > before && r.finished())
                    .mapToLong(r -> r.id())
                    .findFirst()
                    .orElse(0);
            if (runId == 0 && !node.alive()) {
                throw new IllegalStateException(label + ": the node exited:\n" + node.logTail(40));
            }
            if (runId == 0 && System.currentTimeMillis() - lastCall > 300_000) {
                throw new IllegalStateException(label + ": no upstream call and no end for 5 minutes");
            }
            Thread.sleep(50);
        }
        JsonNode stats = cluster.sim.stats();
        Map<String, Long> calls = new TreeMap<>();
        stats.path("calls").fields().forEachRemaining(e -> {
            long n = e.getValue().path(corp).asLong(0);
            if (n > 0) {
                calls.put(e.getKey(), n);
            }
        });
        try (Connection c = cluster.db.connect();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT status, started_at, finished_at, departments, members_added, members_updated, "
                                + "members_removed, upstream_calls, error FROM sync_run WHERE id = ?")) {
            ps.setLong(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long started = rs.getLong(2);
                long finished = rs.getLong(3);
                Result r = new Result(
                        label,
                        rs.getString(1),
                        rs.getInt(4),
                        rs.getInt(8),
                        calls,
                        (finished - started) / 1000.0,
                        (lastCall - started) / 1000.0,
                        (finished - lastCall) / 1000.0,
                        "+" + rs.getInt(5) + "/~" + rs.getInt(6) + "/-" + rs.getInt(7),
                        gc(gcLog, gcOffset),
                        rs.getString(9));
                System.out.printf(
                        "%s: %s, %d upstream calls (run row), simulator %s, errors %s, heap after GC at most %s%s%n",
                        label,
                        r.status,
                        r.upstreamCalls,
                        calls,
                        stats.path("errors"),
                        r.gc,
                        r.error == null ? "" : ", error: " + r.error);
                return r;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The GC log's lines from {@code offset} on: collections, and the heap before and after each. */
    private static Gc gc(Path log, long offset) throws IOException {
        // the log is written by the node's JVM: give it a moment to flush the run's last lines
        Waiting.await(Duration.ofSeconds(2), "the GC log", () -> Files.exists(log) ? Boolean.TRUE : null);
        byte[] all = Files.readAllBytes(log);
        String text = new String(
                all,
                (int) Math.min(offset, all.length),
                (int) (all.length - Math.min(offset, all.length)),
                StandardCharsets.UTF_8);
        int n = 0;
        int full = 0;
        long after = 0;
        long afterFull = 0;
        long committed = 0;
        for (String line : text.split("\n")) {
            Matcher m = GC_LINE.matcher(line);
            if (m.find()) {
                n++;
                long used = Long.parseLong(m.group(3));
                if (m.group(1).equals("Pause Full")) {
                    full++;
                    afterFull = Math.max(afterFull, used);
                }
                after = Math.max(after, used);
                committed = Math.max(committed, Long.parseLong(m.group(4)));
            }
        }
        return new Gc(n, full, after, afterFull, committed);
    }

    private static void table(List<Result> rows) {
        System.out.printf(
                "%-36s %-9s %6s %6s %8s %8s %8s %-16s %-26s %s%n",
                "run",
                "status",
                "depts",
                "calls",
                "wall s",
                "fetch s",
                "apply s",
                "+/~/-",
                "heap after GC",
                "simulator calls");
        for (Result r : rows) {
            System.out.printf(
                    "%-36s %-9s %6d %6d %8.2f %8.2f %8.2f %-16s %-26s %s%n",
                    r.label,
                    r.status,
                    r.departments,
                    r.upstreamCalls,
                    r.wall,
                    r.fetch,
                    r.apply,
                    r.changes,
                    r.gc,
                    r.simCalls);
        }
    }
}
