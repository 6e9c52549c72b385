package io.orgsync.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.orgsync.NodeInternals;
import io.orgsync.sync.Run;
import io.orgsync.testing.ApiNode;
import io.orgsync.testing.SimulatorControl;
import io.orgsync.testing.TestDatabases;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The read path on MariaDB with a synced enterprise of 50,000 members, over real HTTP, driven by
 * wrk (concurrency 32), in one run (issue 12, item 6):
 * <ol>
 * <li>lookup by mobile spread over 2,000 real numbers, through the cache, against the same
 * server's answer to an invalid mobile (a 400 that touches no database), in back-to-back pairs
 * (the ratio of each pair is the figure: the machine's load moves both alike); then with the
 * cache off (a second node on the same database, ORGSYNC_LOOKUP_CACHE_MB=0);</li>
 * <li>a long tail: every one of the 50,000 numbers drawn uniformly on a node whose cache starts
 * empty, with the rate and the hit ratio every 5 seconds;</li>
 * <li>the cache's memory per cached member: heap after a full GC with 20,000 answers cached against
 * before, next to the cache's own estimate;</li>
 * <li>invalidation lag: from a sync's commit on one node (the writer's own commit notification) to
 * another node answering the new data, over 100 changes of a small second enterprise.</li>
 * </ol>
 *
 * <p>Usage: bench/lookup.sh [members=50000] [seconds per wrk run=5] [connections=32] [changes=100]
 * [tail seconds=60]; the environment variable BENCH_JDBC_PARAMS adds parameters to the JDBC URL.
 */
public final class LookupBench {
    private static final String CORP = "ww-bench-lookup";
    private static final String SECRET = "bench-lookup-secret-0123456789";
    private static final String LAG_CORP = "ww-bench-lag";
    private static final String LAG_SECRET = "bench-lag-secret-0123456789";
    private static final int HOT = 2_000;
    private static final int ROUNDS = 3;

    /**
     * One wrk run: requests per second, latency percentiles in milliseconds, non-2xx answers,
     * socket errors, and CPU time per request of this JVM (the nodes) and of the MariaDB server.
     * The machine is shared, so rates swing with other people's load; CPU per request swings much
     * less and tells where time goes. The database server may serve others too: its figure is an
     * upper bound.
     */
    record Result(
            String route,
            double rps,
            double p50,
            double p99,
            long non2xx,
            long socketErrors,
            double jvmUs,
            double dbUs) {}

    public static void main(String[] args) throws Exception {
        int members = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int connections = args.length > 2 ? Integer.parseInt(args[2]) : 32;
        int changes = args.length > 3 ? Integer.parseInt(args[3]) : 100;
        int tailSeconds = args.length > 4 ? Integer.parseInt(args[4]) : 60;
        Map<String, String> fast = Map.of("ORGSYNC_DEPT_RATE", "10000", "ORGSYNC_NODE_RATE", "100000");
        try (SimulatorControl sim = new SimulatorControl()) {
            sim.limits(Map.of("perMinute", 0, "perHour", 0, "ipPerMinute", 0, "ipPerHour", 0, "maxConcurrent", 0));
            int departments = Math.max(2, members / 250);
            long t0 = System.nanoTime();
            sim.createCorp(CORP, SECRET, departments, members, true);
            sim.createCorp(LAG_CORP, LAG_SECRET, 4, 100, true);
            JsonNode truth = sim.export(CORP);
            System.out.printf(
                    "simulator: %d members in %d departments generated in %.1f s%n",
                    members, departments, (System.nanoTime() - t0) / 1e9);

            // BENCH_JDBC_PARAMS, e.g. "prepStmtCacheSqlLimit=2048", tries driver settings without a code change
            String params = System.getenv().getOrDefault("BENCH_JDBC_PARAMS", "");
            String url = TestDatabases.mariadb("bench_lookup") + (params.isEmpty() ? "" : "?" + params);
            System.out.println("database: " + url);
            try (ApiNode node = ApiNode.start("bench-lookup", url, sim, fast);
                    ApiNode off =
                            ApiNode.start("bench-lookup-off", url, sim, with(fast, "ORGSYNC_LOOKUP_CACHE_MB", "0"))) {
                node.enterprise(CORP, SECRET);
                node.enterprise(LAG_CORP, LAG_SECRET);
                t0 = System.nanoTime();
                Run run = node.sync(CORP);
                System.out.printf(
                        "sync into MariaDB: %s, +%d members in %.1f s%n",
                        run.status(), run.membersAdded(), (System.nanoTime() - t0) / 1e9);
                node.sync(LAG_CORP);

                List<String> mobiles = mobiles(truth);
                Path hot = writeLua(mobiles.subList(0, Math.min(HOT, mobiles.size())));
                Path tail = writeLua(mobiles);
                String base = "http://127.0.0.1:" + node.node.port();
                String offBase = "http://127.0.0.1:" + off.node.port();
                String invalid = "/api/v1/members/by-mobile/not-a-number";
                checkOne(node, mobiles.get(0));
                checkOne(off, mobiles.get(0));

                // warm-up: JIT, connection pools, MariaDB's buffer pool, and the 2,000 answers into the cache;
                // then a full GC, so that the garbage of the generation and the sync is not collected inside a round
                for (int i = 0; i < 2; i++) {
                    wrk(base + invalid, null, connections, 5);
                    wrk(base, hot, connections, 5);
                    wrk(offBase, hot, connections, 5);
                }
                System.gc();

                System.out.printf(
                        "%n## 1. lookup by mobile, 2,000 real numbers, against the invalid-mobile 400 of the same server%n"
                                + "(%d rounds of the pair, %d s each, back to back; then the cache-off node)%n",
                        ROUNDS, seconds);
                List<Result> baselines = new ArrayList<>();
                List<Result> lookups = new ArrayList<>();
                List<Double> rateRatios = new ArrayList<>();
                List<Double> p99Ratios = new ArrayList<>();
                for (int round = 1; round <= ROUNDS; round++) {
                    Result b = print(
                            wrk(base + invalid, null, connections, seconds),
                            "round " + round + ": invalid mobile (baseline)");
                    Result l = print(wrk(base, hot, connections, seconds), "round " + round + ": lookup, cache on");
                    baselines.add(b);
                    lookups.add(l);
                    rateRatios.add(l.rps / b.rps);
                    p99Ratios.add(l.p99 / b.p99);
                }
                Result cold = print(wrk(offBase, hot, connections, 2 * seconds), "lookup, cache off");
                Result closing =
                        print(wrk(base + invalid, null, connections, seconds), "invalid mobile (baseline, after)");
                System.out.println();
                System.out.println(
                        "| route | requests/s | p50 ms | p99 ms | non-2xx | socket errors | node CPU µs/request | MariaDB CPU µs/request |");
                System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|");
                List<Result> all = new ArrayList<>();
                for (int i = 0; i < ROUNDS; i++) {
                    all.add(baselines.get(i));
                    all.add(lookups.get(i));
                }
                all.add(cold);
                all.add(closing);
                for (Result x : all) {
                    System.out.printf(
                            Locale.ROOT,
                            "| %s | %.0f | %.2f | %.2f | %d | %d | %.0f | %.0f |%n",
                            x.route,
                            x.rps,
                            x.p50,
                            x.p99,
                            x.non2xx,
                            x.socketErrors,
                            x.jvmUs,
                            x.dbUs);
                }
                double rate = median(rateRatios);
                double p99 = median(p99Ratios);
                Result mb = medianByRate(baselines);
                System.out.printf(
                        Locale.ROOT,
                        "%ncache on, per round: rate / baseline %s, p99 / baseline %s%n",
                        fmt(rateRatios),
                        fmt(p99Ratios));
                System.out.printf(
                        Locale.ROOT,
                        "cache on, median round: rate %.2f of the baseline's (target >= 0.85: %s), p99 %.2f x the baseline's "
                                + "(target <= 1.5: %s)%ncache off against the median baseline: rate %.2f, p99 %.2f x%n",
                        rate,
                        rate >= 0.85 ? "met" : "missed",
                        p99,
                        p99 <= 1.5 ? "met" : "missed",
                        cold.rps / mb.rps,
                        cold.p99 / mb.p99);

                try (ApiNode fresh = ApiNode.start("bench-lookup-tail", url, sim, fast)) {
                    longTail("http://127.0.0.1:" + fresh.node.port(), tail, connections, tailSeconds, fresh);
                    lag(sim, node, fresh, changes);
                }
                try (ApiNode empty = ApiNode.start("bench-lookup-memory", url, sim, fast)) {
                    memory(empty, mobiles.subList(0, Math.min(20_000, mobiles.size())));
                }
            }
        }
    }

    /** The long tail: wrk over every number for {@code seconds} on a node whose cache starts empty, sampled every 5 s. */
    private static void longTail(String base, Path lua, int connections, int seconds, ApiNode node) throws Exception {
        System.out.println(
                "\n## 2. long tail: every number drawn uniformly, the cache starting empty (ORGSYNC_LOOKUP_CACHE_MB=64)");
        Result[] result = new Result[1];
        Thread driver = new Thread(() -> {
            try {
                result[0] = wrk(base, lua, connections, seconds);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        double hits0 = counter(node, "orgsync_lookup_cache_hits");
        double misses0 = counter(node, "orgsync_lookup_cache_misses");
        driver.start();
        System.out.println(
                "| seconds | requests/s in the interval | hit ratio in the interval | hit ratio since start | entries | estimated MB |");
        System.out.println("|---:|---:|---:|---:|---:|---:|");
        double hPrev = hits0;
        double mPrev = misses0;
        for (int t = 5; t <= seconds; t += 5) {
            Thread.sleep(5_000);
            double h = counter(node, "orgsync_lookup_cache_hits");
            double m = counter(node, "orgsync_lookup_cache_misses");
            double n = (h - hPrev) + (m - mPrev);
            System.out.printf(
                    Locale.ROOT,
                    "| %d | %.0f | %.2f | %.2f | %d | %.1f |%n",
                    t,
                    n / 5,
                    n == 0 ? 0 : (h - hPrev) / n,
                    (h - hits0) / Math.max(1, (h - hits0) + (m - misses0)),
                    NodeInternals.readCache(node.node).entries(),
                    NodeInternals.readCache(node.node).weightedBytes() / 1048576.0);
            hPrev = h;
            mPrev = m;
        }
        driver.join();
        print(result[0], "long tail, whole run");
    }

    /**
     * Invalidation lag over {@code changes} renames of a member of a small enterprise: the writer
     * syncs it; the time runs from the writer's commit notification to the first answer of the
     * other node (polled every millisecond, its cache holding the old answer) with the new name.
     */
    private static void lag(SimulatorControl sim, ApiNode writer, ApiNode reader, int changes) throws Exception {
        System.out.printf(
                "%n## 4. invalidation lag, %d changes, ORGSYNC_CACHE_STALENESS_MS=%d%n",
                changes, reader.node.settings().cacheStaleness().toMillis());
        long[] committed = new long[1];
        NodeInternals.org(writer.node).listen(new io.orgsync.org.OrgWriter.Listener() {
            @Override
            public void written(String corpId, long version, java.util.List<io.orgsync.org.OrgChange> changes) {
                if (corpId.equals(LAG_CORP)) {
                    committed[0] = System.nanoTime();
                }
            }

            @Override
            public void registered(String corpId) {}

            @Override
            public void removed(String corpId) {}
        });
        JsonNode member = writer.get("/api/v1/corps/" + LAG_CORP + "/members?limit=1")
                .json()
                .path("items")
                .get(0);
        String path = "/api/v1/corps/" + LAG_CORP + "/members/"
                + member.path("userid").asText();
        List<Double> lags = new ArrayList<>();
        int writerAtOnce = 0;
        for (int i = 1; i <= changes; i++) {
            reader.get(path);
            reader.get(path); // the old answer is cached on the reader
            String name = "改名" + i;
            sim.send(
                    "PATCH",
                    "/__sim/corps/" + LAG_CORP + "/members/"
                            + member.path("userid").asText(),
                    Map.of("name", name));
            writer.sync(LAG_CORP);
            if (name.equals(writer.get(path).json().path("name").asText())) {
                writerAtOnce++;
            }
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (!name.equals(reader.get(path).json().path("name").asText()) && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            lags.add((System.nanoTime() - committed[0]) / 1e6);
        }
        Collections.sort(lags);
        double p50 = lags.get(lags.size() / 2);
        double p99 = lags.get(Math.min(lags.size() - 1, (int) Math.ceil(lags.size() * 0.99) - 1));
        long bound = reader.node.settings().cacheStaleness().toMillis();
        System.out.printf(
                Locale.ROOT,
                "lag ms: min %.1f, p50 %.1f, p90 %.1f, p99 %.1f, max %.1f; writer served its own change at once in %d of %d%n",
                lags.get(0),
                p50,
                lags.get((int) (lags.size() * 0.9)),
                p99,
                lags.get(lags.size() - 1),
                writerAtOnce,
                changes);
        System.out.printf(
                Locale.ROOT,
                "p99 %.1f ms against 2 x staleness = %d ms: %s%n",
                p99,
                2 * bound,
                p99 <= 2 * bound ? "met" : "missed");
    }

    /** Heap a cached answer takes: after a full GC with {@code mobiles} cached, against before; and the cache's estimate. */
    private static void memory(ApiNode node, List<String> mobiles) throws Exception {
        System.out.printf("%n## 3. memory per cached member (%d by-mobile answers)%n", mobiles.size());
        long before = heapAfterGc();
        long json = 0;
        for (String m : mobiles) {
            json += NodeInternals.reads(node.node).byMobile(m, null).body().length;
        }
        long after = heapAfterGc();
        long entries = NodeInternals.readCache(node.node).entries();
        System.out.printf(
                Locale.ROOT,
                "entries %d; JSON %.0f bytes per answer; heap %.0f bytes per entry (after - before full GC); "
                        + "cache's estimate %.0f bytes per entry%n",
                entries,
                (double) json / mobiles.size(),
                (double) (after - before) / entries,
                (double) NodeInternals.readCache(node.node).weightedBytes() / entries);
    }

    private static long heapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return java.lang.management.ManagementFactory.getMemoryMXBean()
                .getHeapMemoryUsage()
                .getUsed();
    }

    private static double counter(ApiNode node, String name) {
        var c = NodeInternals.metrics(node.node).find(name).functionCounter();
        return c == null ? 0 : c.count();
    }

    private static Map<String, String> with(Map<String, String> base, String key, String value) {
        Map<String, String> out = new java.util.HashMap<>(base);
        out.put(key, value);
        return out;
    }

    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

    private static Result medianByRate(List<Result> results) {
        List<Result> sorted = new ArrayList<>(results);
        sorted.sort((x, y) -> Double.compare(x.rps, y.rps));
        return sorted.get(sorted.size() / 2);
    }

    static String fmt(List<Double> values) {
        return values.stream()
                .map(v -> String.format(Locale.ROOT, "%.2f", v))
                .toList()
                .toString();
    }

    static Result print(Result r, String route) {
        Result named = new Result(route, r.rps, r.p50, r.p99, r.non2xx, r.socketErrors, r.jvmUs, r.dbUs);
        System.out.printf(
                Locale.ROOT,
                "%-34s %8.0f req/s  p50 %6.2f ms  p99 %6.2f ms  non-2xx %d  socket errors %d  CPU/request: node %4.0f µs, MariaDB %4.0f µs%n",
                route,
                r.rps,
                r.p50,
                r.p99,
                r.non2xx,
                r.socketErrors,
                r.jvmUs,
                r.dbUs);
        return named;
    }

    /** Every member's number as stored (11 mainland digits or +country digits), shuffled. */
    static List<String> mobiles(JsonNode truth) {
        List<String> out = new ArrayList<>();
        truth.path("members").forEach(m -> out.add(m.path("mobile").asText().replaceAll("[\\s-]", "")));
        Collections.shuffle(out, new Random(42));
        return out;
    }

    private static void checkOne(ApiNode node, String mobile) throws Exception {
        ApiNode.Response r = node.get("/api/v1/members/by-mobile/" + URLEncoder.encode(mobile, StandardCharsets.UTF_8));
        if (r.status() != 200) {
            throw new IllegalStateException("lookup of a synced number answered " + r);
        }
    }

    /** A wrk script that picks one of the numbers at random per request (paths read from a file); wrk counts non-2xx answers. */
    static Path writeLua(List<String> mobiles) throws Exception {
        StringBuilder paths = new StringBuilder();
        for (String m : mobiles) {
            paths.append("/api/v1/members/by-mobile/")
                    .append(URLEncoder.encode(m, StandardCharsets.UTF_8))
                    .append('\n');
        }
        Path list = Files.createTempFile("orgsync-lookup", ".txt");
        Files.writeString(list, paths);
        list.toFile().deleteOnExit();
        String lua = "local paths = {}\n"
                + "for line in io.lines(\"" + list + "\") do paths[#paths + 1] = line end\n"
                + "local n = #paths\n"
                + "local counter = 0\n"
                + "function setup(thread) thread:set(\"id\", counter); counter = counter + 1 end\n"
                + "function init(args) math.randomseed(1000 + (id or 0)) end\n"
                + "request = function() return wrk.format(\"GET\", paths[math.random(n)]) end\n";
        Path file = Files.createTempFile("orgsync-lookup", ".lua");
        Files.writeString(file, lua);
        file.toFile().deleteOnExit();
        return file;
    }

    private static final Pattern RPS = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
    private static final Pattern PERCENTILE =
            Pattern.compile("^\\s+(50|99)%\\s+([0-9.]+)(us|ms|s)\\s*$", Pattern.MULTILINE);
    private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses:\\s+(\\d+)");
    private static final Pattern SOCKET_ERRORS =
            Pattern.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");

    /** Runs wrk with 2 threads (one per core) and parses its summary. */
    static Result wrk(String url, Path lua, int connections, int seconds) throws Exception {
        List<String> command = new ArrayList<>(
                List.of("wrk", "-t2", "-c" + connections, "-d" + seconds + "s", "--latency", "--timeout", "5s"));
        if (lua != null) {
            command.add("-s");
            command.add(lua.toString());
        }
        command.add(url);
        long jvm0 = jvmCpuNanos();
        long db0 = mariadbCpuNanos();
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        StringBuilder out = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                out.append(line).append('\n');
            }
        }
        if (p.waitFor() != 0) {
            throw new IllegalStateException("wrk failed:\n" + out);
        }
        long jvm = jvmCpuNanos() - jvm0;
        long db = mariadbCpuNanos() - db0;
        String text = out.toString();
        Matcher rps = RPS.matcher(text);
        if (!rps.find()) {
            throw new IllegalStateException("no Requests/sec in wrk's output:\n" + text);
        }
        double p50 = 0;
        double p99 = 0;
        Matcher pm = PERCENTILE.matcher(text);
        while (pm.find()) {
            double v = Double.parseDouble(pm.group(2))
                    * switch (pm.group(3)) {
                        case "us" -> 0.001;
                        case "s" -> 1000.0;
                        default -> 1.0;
                    };
            if (pm.group(1).equals("50")) {
                p50 = v;
            } else {
                p99 = v;
            }
        }
        long non2xx = 0;
        Matcher n2 = NON_2XX.matcher(text);
        if (n2.find()) {
            non2xx = Long.parseLong(n2.group(1));
        }
        long socketErrors = 0;
        Matcher socket = SOCKET_ERRORS.matcher(text);
        if (socket.find()) {
            for (int i = 1; i <= 4; i++) {
                socketErrors += Long.parseLong(socket.group(i));
            }
        }
        String route = lua == null ? url.substring(url.indexOf('/', 8)) : "lookup by mobile";
        Matcher total = TOTAL.matcher(text);
        long requests = total.find() ? Long.parseLong(total.group(1)) : 1;
        return new Result(
                route,
                Double.parseDouble(rps.group(1)),
                p50,
                p99,
                non2xx,
                socketErrors,
                jvm / 1e3 / requests,
                db / 1e3 / requests);
    }

    private static final Pattern TOTAL = Pattern.compile("(\\d+) requests in");

    private static long jvmCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean)
                        java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** user + system CPU of the local mariadbd (or mysqld) process from /proc, 0 when not found. */
    private static long mariadbCpuNanos() {
        try (var dirs = Files.list(Path.of("/proc"))) {
            for (Path dir : (Iterable<Path>) dirs::iterator) {
                Path comm = dir.resolve("comm");
                if (!dir.getFileName().toString().matches("\\d+") || !Files.exists(comm)) {
                    continue;
                }
                String name = Files.readString(comm).trim();
                if (name.equals("mariadbd") || name.equals("mysqld")) {
                    String stat = Files.readString(dir.resolve("stat"));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    if (f[0].equals("Z")) {
                        continue; // a server that was shut down and not yet reaped
                    }
                    return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10_000_000L; // clock ticks of 10 ms
                }
            }
        } catch (Exception e) {
            return 0;
        }
        return 0;
    }
}
