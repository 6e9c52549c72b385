package io.orgsync.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.orgsync.NodeInternals;
import io.orgsync.callback.EventStatus;
import io.orgsync.sync.Run;
import io.orgsync.testing.ApiNode;
import io.orgsync.testing.SimulatorControl;
import io.orgsync.testing.TestDatabases;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Lookups while the directory changes (issue 21, "Speed"): one enterprise of 20,000 members on
 * MariaDB, wrk at concurrency 32 over 2,000 of its real numbers, idle against the same lookups
 * while ids-only contact-change callbacks arrive at 5 a second (each renames a random member in
 * the simulator, which posts the callback; the node re-reads the member through user/get and
 * applies it), and a control: the same renames to an enterprise only the simulator knows. Five
 * rounds of the three run back to back; the ratio to each round's idle run is the figure, the
 * median is reported. Usage: bench/churn.sh [members=20000] [seconds=5] [changes per second=5]
 * [connections=32]; with ORGSYNC_BENCH_SIMULATOR set (as bench/churn.sh does) the simulator is a
 * process of its own.
 */
public final class ChurnBench {
    private static final String CORP = "ww-churn-bench";
    /** The same enterprise again, known to the simulator only: its changes cost the simulator the same, orgsync nothing. */
    private static final String CONTROL = "ww-churn-control";

    private static final String SECRET = "churn-bench-secret-0123456789";
    private static final String TOKEN = "QDG6eK";
    private static final String AES_KEY = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";
    private static final int ROUNDS = 5;
    private static final int HOT = 2_000;
    /** Javalin's request threads (lookups and the callbacks' POSTs), by their name without numbers. */
    private static final String REQUEST_THREADS = "JettyServerThreadPool-#";

    public static void main(String[] args) throws Exception {
        int members = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int perSecond = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        int connections = args.length > 3 ? Integer.parseInt(args[3]) : 32;
        Map<String, String> fast = Map.of("ORGSYNC_DEPT_RATE", "10000", "ORGSYNC_NODE_RATE", "100000");
        // ORGSYNC_BENCH_SIMULATOR: the URL of a simulator in a process of its own (bench/churn.sh starts
        // one), so that the node's CPU figures and the JVM's collections are orgsync's alone
        String external = System.getenv("ORGSYNC_BENCH_SIMULATOR");
        try (SimulatorControl sim =
                external == null ? new SimulatorControl() : SimulatorControl.external(URI.create(external))) {
            sim.limits(Map.of("perMinute", 0, "perHour", 0, "ipPerMinute", 0, "ipPerHour", 0, "maxConcurrent", 0));
            sim.createCorp(CORP, SECRET, Math.max(2, members / 200), members, true);
            sim.createCorp(CONTROL, SECRET, Math.max(2, members / 200), members, true);
            JsonNode truth = sim.export(CORP);
            try (ApiNode node = ApiNode.start("bench-churn", TestDatabases.mariadb("bench_churn"), sim, fast)) {
                node.enterprise(CORP, SECRET);
                Run run = node.sync(CORP);
                System.out.printf("sync: %s, +%d members%n", run.status(), run.membersAdded());
                NodeInternals.callbacks(node.node).put(CORP, TOKEN, AES_KEY);
                sim.send(
                        "PUT",
                        "/__sim/corps/" + CORP + "/callback",
                        Map.of(
                                "url",
                                node.base + "/callbacks/wecom/" + CORP,
                                "token",
                                TOKEN,
                                "aesKey",
                                AES_KEY,
                                "style",
                                "ids"));

                List<String> userids = new ArrayList<>();
                truth.path("members").forEach(m -> userids.add(m.path("userid").asText()));
                List<String> controlUserids = new ArrayList<>();
                sim.export(CONTROL)
                        .path("members")
                        .forEach(m -> controlUserids.add(m.path("userid").asText()));
                List<String> mobiles = LookupBench.mobiles(truth);
                Path hot = LookupBench.writeLua(mobiles.subList(0, Math.min(HOT, mobiles.size())));
                String base = "http://127.0.0.1:" + node.node.port();
                // warm-up long enough for both JITs to settle: with 15 s, the first round's idle rate was
                // still a third of the later rounds'
                for (int i = 0; i < 4; i++) {
                    LookupBench.wrk(base, hot, connections, 5);
                }
                try (Churn warm = new Churn(sim, CORP, userids, perSecond, "warm")) {
                    LookupBench.wrk(base, hot, connections, 10);
                }
                try (Churn warm = new Churn(sim, CONTROL, controlUserids, perSecond, "warm-control")) {
                    LookupBench.wrk(base, hot, connections, 5);
                }
                System.gc();

                List<Double> rateRatios = new ArrayList<>();
                List<Double> p99Ratios = new ArrayList<>();
                List<Double> controlRateRatios = new ArrayList<>();
                List<Double> controlP99Ratios = new ArrayList<>();
                List<Double> cpuRatios = new ArrayList<>();
                List<Double> msPerChange = new ArrayList<>();
                long applied = 0;
                double dropped0 = NodeInternals.readCache(node.node).dropped();
                for (int round = 1; round <= ROUNDS; round++) {
                    ThreadCpu t0 = ThreadCpu.now();
                    LookupBench.Result idle = LookupBench.print(
                            LookupBench.wrk(base, hot, connections, seconds), "round " + round + ": idle");
                    ThreadCpu t1 = ThreadCpu.now();
                    LookupBench.Result busy;
                    int sent;
                    try (Churn churn = new Churn(sim, CORP, userids, perSecond, "r" + round)) {
                        busy = LookupBench.print(
                                LookupBench.wrk(base, hot, connections, seconds),
                                "round " + round + ": " + perSecond + " changes/s");
                        sent = churn.sent.get();
                    }
                    Map<String, Long> idleCpu = t1.since(t0);
                    Map<String, Long> busyCpu = ThreadCpu.now().since(t1);
                    double idleNanosPerLookup = ThreadCpu.total(idleCpu) / (idle.rps() * seconds);
                    double busyNanosPerLookup = ThreadCpu.total(busyCpu) / (busy.rps() * seconds);
                    // the change path's own threads (event drainer, token and upstream clients, change follower):
                    // what they used beyond the idle run, per change; the callbacks' requests are among the
                    // request threads, whose CPU per lookup the ratio shows
                    double changeMs = (ThreadCpu.total(ThreadCpu.without(busyCpu, REQUEST_THREADS))
                                    - ThreadCpu.total(ThreadCpu.without(idleCpu, REQUEST_THREADS)))
                            / 1e6
                            / sent;
                    cpuRatios.add(busyNanosPerLookup / idleNanosPerLookup);
                    msPerChange.add(changeMs);
                    System.out.printf(
                            Locale.ROOT,
                            "  changes made during the run: %d; node threads' CPU per lookup %.1f µs idle, %.1f µs under"
                                    + " changes; %.1f ms per change on the other threads (%s)%n",
                            sent,
                            idleNanosPerLookup / 1e3,
                            busyNanosPerLookup / 1e3,
                            changeMs,
                            ThreadCpu.largest(busyCpu, 0.01));
                    rateRatios.add(busy.rps() / idle.rps());
                    p99Ratios.add(busy.p99() / idle.p99());
                    LookupBench.Result control;
                    try (Churn churn = new Churn(sim, CONTROL, controlUserids, perSecond, "c" + round)) {
                        control = LookupBench.print(
                                LookupBench.wrk(base, hot, connections, seconds),
                                "round " + round + ": control, simulator only");
                    }
                    controlRateRatios.add(control.rps() / idle.rps());
                    controlP99Ratios.add(control.p99() / idle.p99());
                }
                Thread.sleep(2_000);
                applied = node.node.events().recent(CORP, 100_000).stream()
                        .filter(e -> e.status() == EventStatus.APPLIED)
                        .count();
                System.out.printf(
                        Locale.ROOT,
                        "%nevents applied in all: %d; cached answers dropped during the rounds: %.0f; entries now %d%n",
                        applied,
                        NodeInternals.readCache(node.node).dropped() - dropped0,
                        NodeInternals.readCache(node.node).entries());
                System.out.printf(
                        Locale.ROOT,
                        "rate under changes / idle, per round: %s, median %.2f (target >= 0.8)%n",
                        LookupBench.fmt(rateRatios),
                        LookupBench.median(rateRatios));
                System.out.printf(
                        Locale.ROOT,
                        "p99 under changes / idle, per round: %s, median %.2f (target <= 2)%n",
                        LookupBench.fmt(p99Ratios),
                        LookupBench.median(p99Ratios));
                System.out.printf(
                        Locale.ROOT,
                        "control (the simulator's changes alone) / idle: rate %s, median %.2f; p99 %s, median %.2f%n",
                        LookupBench.fmt(controlRateRatios),
                        LookupBench.median(controlRateRatios),
                        LookupBench.fmt(controlP99Ratios),
                        LookupBench.median(controlP99Ratios));
                System.out.printf(
                        Locale.ROOT,
                        "node threads' CPU per lookup under changes / idle: %s, median %.2f; CPU per change on the"
                                + " threads other than the request threads, ms: %s, median %.1f%n",
                        LookupBench.fmt(cpuRatios),
                        LookupBench.median(cpuRatios),
                        LookupBench.fmt(msPerChange),
                        LookupBench.median(msPerChange));
            }
        }
    }

    /**
     * Renames a random member in the simulator {@code perSecond} times a second, each on a thread
     * of its own (the simulator's control call returns once it posted the callback); each becomes an
     * ids-only callback.
     */
    private static final class Churn implements AutoCloseable {
        final AtomicInteger sent = new AtomicInteger();
        private final ScheduledExecutorService ticker =
                Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, ThreadCpu.BENCHMARK + "churn-ticker"));
        private final ExecutorService senders =
                Executors.newFixedThreadPool(16, r -> new Thread(r, ThreadCpu.BENCHMARK + "churn-sender"));

        Churn(SimulatorControl sim, String corp, List<String> userids, int perSecond, String tag) {
            Random random = new Random(tag.hashCode());
            ticker.scheduleAtFixedRate(
                    () -> {
                        String userid = userids.get(random.nextInt(userids.size()));
                        String name = "改名" + tag + "-" + sent.incrementAndGet();
                        senders.execute(() ->
                                sim.send("PATCH", "/__sim/corps/" + corp + "/members/" + userid, Map.of("name", name)));
                    },
                    0,
                    1_000_000 / perSecond,
                    TimeUnit.MICROSECONDS);
        }

        @Override
        public void close() throws InterruptedException {
            ticker.shutdownNow();
            senders.shutdown();
            senders.awaitTermination(30, TimeUnit.SECONDS);
        }
    }
}
