package io.orgsync.bench;

import com.fasterxml.jackson.databind.JsonNode;
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
 * Lookup by mobile over real HTTP on MariaDB with a synced enterprise of 50,000 members, driven
 * by wrk (concurrency 32, a Lua script spreading requests over every member's real number),
 * against a trivial route of the same server in the same run: the static console stylesheet
 * ({@code /admin/console.css}: no database, no JSON) and, for reference, {@code /health} (one
 * connection from the pool and a ping). Rounds alternate the routes so that machine noise hits
 * all alike; the median round of each is reported.
 *
 * <p>Usage: bench/lookup.sh [members=50000] [seconds per round=10] [rounds=3] [connections=32]; the
 * environment variable BENCH_JDBC_PARAMS adds parameters to the JDBC URL.
 */
public final class LookupBench {
    private static final String CORP = "ww-bench-lookup";
    private static final String SECRET = "bench-lookup-secret-0123456789";

    /**
     * One wrk run: requests per second, latency percentiles in milliseconds, and CPU time per
     * request of this JVM (the node) and of the MariaDB server. The machine is shared, so rates
     * swing with other people's load; CPU per request swings much less and tells where time goes.
     * The database server may serve others too: its figure is an upper bound.
     */
    record Result(String route, double rps, double p50, double p99, long errors, double jvmUs, double dbUs) {
    }

    public static void main(String[] args) throws Exception {
        int members = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        int connections = args.length > 3 ? Integer.parseInt(args[3]) : 32;
        try (SimulatorControl sim = new SimulatorControl()) {
            sim.limits(Map.of("perMinute", 0, "perHour", 0, "ipPerMinute", 0, "ipPerHour", 0, "maxConcurrent", 0));
            int departments = Math.max(2, members / 250);
            long t0 = System.nanoTime();
            sim.createCorp(CORP, SECRET, departments, members, true);
            JsonNode truth = sim.export(CORP);
            System.out.printf("simulator: %d members in %d departments generated in %.1f s%n", members, departments, (System.nanoTime() - t0) / 1e9);

            // BENCH_JDBC_PARAMS, e.g. "prepStmtCacheSqlLimit=2048", tries driver settings without a code change
            String params = System.getenv().getOrDefault("BENCH_JDBC_PARAMS", "");
            String url = TestDatabases.mariadb("bench_lookup") + (params.isEmpty() ? "" : "?" + params);
            System.out.println("database: " + url);
            try (ApiNode node = ApiNode.start("bench-lookup", url, sim, Map.of("ORGSYNC_DEPT_RATE", "10000", "ORGSYNC_NODE_RATE", "100000"))) {
                node.enterprise(CORP, SECRET);
                t0 = System.nanoTime();
                Run run = node.sync(CORP);
                System.out.printf("sync into MariaDB: %s, +%d members in %.1f s%n", run.status(), run.membersAdded(), (System.nanoTime() - t0) / 1e9);

                Path lua = writeLua(truth);
                String base = "http://127.0.0.1:" + node.node.http.port();
                List<String> mobiles = mobiles(truth);
                checkOne(node, mobiles.get(0));

                // warm-up: JIT, connection pools, MariaDB buffer pool
                wrk(base + "/admin/console.css", null, connections, 5);
                wrk(base + "/health", null, connections, 5);
                wrk(base, lua, connections, 10);

                List<Result> css = new ArrayList<>();
                List<Result> health = new ArrayList<>();
                List<Result> lookup = new ArrayList<>();
                for (int r = 1; r <= rounds; r++) {
                    css.add(print(r, wrk(base + "/admin/console.css", null, connections, seconds)));
                    lookup.add(print(r, wrk(base, lua, connections, seconds)));
                    health.add(print(r, wrk(base + "/health", null, connections, seconds)));
                }
                Result c = median(css);
                Result h = median(health);
                Result l = median(lookup);
                System.out.println();
                System.out.println("| route | requests/s | p50 ms | p99 ms | errors | node CPU µs/request | MariaDB CPU µs/request |");
                System.out.println("|---|---:|---:|---:|---:|---:|---:|");
                for (Result x : List.of(c, h, l)) {
                    System.out.printf(Locale.ROOT, "| %s | %.0f | %.2f | %.2f | %d | %.0f | %.0f |%n", x.route, x.rps, x.p50, x.p99, x.errors, x.jvmUs, x.dbUs);
                }
                System.out.printf(Locale.ROOT, "%nlookup / console.css = %.2f (target >= 0.70); lookup / health = %.2f; lookup p99 %.2f ms (target < 10 ms)%n",
                        l.rps / c.rps, l.rps / h.rps, l.p99);
            }
        }
    }

    private static Result print(int round, Result r) {
        System.out.printf(Locale.ROOT, "round %d %-22s %8.0f req/s  p50 %6.2f ms  p99 %6.2f ms  errors %d  CPU/request: node %4.0f µs, MariaDB %4.0f µs%n",
                round, r.route, r.rps, r.p50, r.p99, r.errors, r.jvmUs, r.dbUs);
        return r;
    }

    private static Result median(List<Result> results) {
        List<Result> sorted = new ArrayList<>(results);
        sorted.sort((a, b) -> Double.compare(a.rps, b.rps));
        return sorted.get(sorted.size() / 2);
    }

    /** Every member's number as stored (11 mainland digits or +country digits), shuffled. */
    private static List<String> mobiles(JsonNode truth) {
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

    /** A wrk script that picks a random real number per request (paths read from a file); wrk counts non-2xx answers. */
    private static Path writeLua(JsonNode truth) throws Exception {
        StringBuilder paths = new StringBuilder();
        for (String m : mobiles(truth)) {
            paths.append("/api/v1/members/by-mobile/").append(URLEncoder.encode(m, StandardCharsets.UTF_8)).append('\n');
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
    private static final Pattern PERCENTILE = Pattern.compile("^\\s+(50|99)%\\s+([0-9.]+)(us|ms|s)\\s*$", Pattern.MULTILINE);
    private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses:\\s+(\\d+)");
    private static final Pattern SOCKET_ERRORS = Pattern.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");

    /** Runs wrk with 2 threads (one per core) and parses its summary. */
    static Result wrk(String url, Path lua, int connections, int seconds) throws Exception {
        List<String> command = new ArrayList<>(List.of("wrk", "-t2", "-c" + connections, "-d" + seconds + "s", "--latency", "--timeout", "5s"));
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
            double v = Double.parseDouble(pm.group(2)) * switch (pm.group(3)) {
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
        long errors = 0;
        Matcher non2xx = NON_2XX.matcher(text);
        if (non2xx.find()) {
            errors += Long.parseLong(non2xx.group(1));
        }
        Matcher socket = SOCKET_ERRORS.matcher(text);
        if (socket.find()) {
            for (int i = 1; i <= 4; i++) {
                errors += Long.parseLong(socket.group(i));
            }
        }
        String route = lua == null ? url.substring(url.indexOf('/', 8)) : "lookup by mobile";
        Matcher total = TOTAL.matcher(text);
        long requests = total.find() ? Long.parseLong(total.group(1)) : 1;
        return new Result(route, Double.parseDouble(rps.group(1)), p50, p99, errors, jvm / 1e3 / requests, db / 1e3 / requests);
    }

    private static final Pattern TOTAL = Pattern.compile("(\\d+) requests in");

    private static long jvmCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
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
