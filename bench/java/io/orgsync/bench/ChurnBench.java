package io.orgsync.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.orgsync.callback.EventStatus;
import io.orgsync.sync.Run;
import io.orgsync.testing.ApiNode;
import io.orgsync.testing.SimulatorControl;
import io.orgsync.testing.TestDatabases;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Lookups while the directory changes (issue 21, "Speed"): one enterprise of 20,000 members on
 * MariaDB, wrk at concurrency 32 over 2,000 of its real numbers, idle against the same lookups
 * while ids-only contact-change callbacks arrive at 5 a second (each renames a random member in
 * the simulator, which posts the callback; the node re-reads the member through user/get and
 * applies it). Pairs run back to back (idle, then under changes), three times; the ratio of each
 * pair is the figure, the median is reported. Usage: bench/churn.sh [members=20000] [seconds=5]
 * [changes per second=5] [connections=32]
 */
public final class ChurnBench {
    private static final String CORP = "ww-churn-bench";
    private static final String SECRET = "churn-bench-secret-0123456789";
    private static final String TOKEN = "QDG6eK";
    private static final String AES_KEY = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";
    private static final int ROUNDS = 3;
    private static final int HOT = 2_000;

    public static void main(String[] args) throws Exception {
        int members = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int perSecond = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        int connections = args.length > 3 ? Integer.parseInt(args[3]) : 32;
        Map<String, String> fast = Map.of("ORGSYNC_DEPT_RATE", "10000", "ORGSYNC_NODE_RATE", "100000");
        try (SimulatorControl sim = new SimulatorControl()) {
            sim.limits(Map.of("perMinute", 0, "perHour", 0, "ipPerMinute", 0, "ipPerHour", 0, "maxConcurrent", 0));
            sim.createCorp(CORP, SECRET, Math.max(2, members / 200), members, true);
            JsonNode truth = sim.export(CORP);
            try (ApiNode node = ApiNode.start("bench-churn", TestDatabases.mariadb("bench_churn"), sim, fast)) {
                node.enterprise(CORP, SECRET);
                Run run = node.sync(CORP);
                System.out.printf("sync: %s, +%d members%n", run.status(), run.membersAdded());
                node.node.callbacks.put(CORP, TOKEN, AES_KEY);
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
                List<String> mobiles = LookupBench.mobiles(truth);
                Path hot = LookupBench.writeLua(mobiles.subList(0, Math.min(HOT, mobiles.size())));
                String base = "http://127.0.0.1:" + node.node.http.port();
                for (int i = 0; i < 2; i++) {
                    LookupBench.wrk(base, hot, connections, 5);
                }
                try (Churn warm = new Churn(sim, userids, perSecond, "warm")) {
                    LookupBench.wrk(base, hot, connections, 5);
                }
                System.gc();

                List<Double> rateRatios = new ArrayList<>();
                List<Double> p99Ratios = new ArrayList<>();
                long applied = 0;
                double dropped0 = node.node.readCache.dropped();
                for (int round = 1; round <= ROUNDS; round++) {
                    LookupBench.Result idle = LookupBench.print(
                            LookupBench.wrk(base, hot, connections, seconds), "round " + round + ": idle");
                    LookupBench.Result busy;
                    int sent;
                    try (Churn churn = new Churn(sim, userids, perSecond, "r" + round)) {
                        busy = LookupBench.print(
                                LookupBench.wrk(base, hot, connections, seconds),
                                "round " + round + ": " + perSecond + " changes/s");
                        sent = churn.sent.get();
                    }
                    System.out.printf("  changes made during the run: %d%n", sent);
                    rateRatios.add(busy.rps() / idle.rps());
                    p99Ratios.add(busy.p99() / idle.p99());
                }
                Thread.sleep(2_000);
                applied = node.node.events.recent(CORP, 100_000).stream()
                        .filter(e -> e.status() == EventStatus.APPLIED)
                        .count();
                System.out.printf(
                        Locale.ROOT,
                        "%nevents applied in all: %d; cached answers dropped during the rounds: %.0f; entries now %d%n",
                        applied,
                        node.node.readCache.dropped() - dropped0,
                        node.node.readCache.entries());
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
            }
        }
    }

    /** Renames a random member in the simulator {@code perSecond} times a second; each becomes an ids-only callback. */
    private static final class Churn implements AutoCloseable {
        final AtomicInteger sent = new AtomicInteger();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;

        Churn(SimulatorControl sim, List<String> userids, int perSecond, String tag) {
            Random random = new Random(tag.hashCode());
            long every = 1_000_000_000L / perSecond;
            thread = new Thread(
                    () -> {
                        long next = System.nanoTime();
                        while (running.get()) {
                            String userid = userids.get(random.nextInt(userids.size()));
                            sim.send(
                                    "PATCH",
                                    "/__sim/corps/" + CORP + "/members/" + userid,
                                    Map.of("name", "改名" + tag + "-" + sent.incrementAndGet()));
                            next += every;
                            long wait = next - System.nanoTime();
                            if (wait > 0) {
                                try {
                                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                                } catch (InterruptedException e) {
                                    return;
                                }
                            }
                        }
                    },
                    "churn");
            thread.start();
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.join();
        }
    }
}
