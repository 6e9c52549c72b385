package io.orgsync.bench;

import io.orgsync.NodeInternals;
import io.orgsync.member.StoredDepartment;
import io.orgsync.org.ChangeLog;
import io.orgsync.org.OrgChange;
import io.orgsync.org.OrgTransaction;
import io.orgsync.sync.Run;
import io.orgsync.testing.AdminClient;
import io.orgsync.testing.ApiNode;
import io.orgsync.testing.SimulatorControl;
import io.orgsync.testing.TestDatabases;
import io.orgsync.testing.Waiting;
import io.orgsync.testing.WebhookReceiver;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The change feed on MariaDB (issue 22, "Speed"), in one run:
 * <ol>
 * <li>deliveries a second from one node to a fast local receiver (a first sync's changes), against
 * the same receiver's rate for the same number of plain POSTs sent one after another by the JDK's
 * HTTP client (the baseline: what the receiver takes from one sequential sender);</li>
 * <li>delivery lag (commit to arrival) at 50 changes a second;</li>
 * <li>a receiver that takes 2 s per answer: a first sync's time and the lookup rate with such a
 * subscription against the same without any (pairs back to back).</li>
 * </ol>
 * Usage: bench/feed.sh [members=10000] [lag changes=500] [wrk seconds=5]
 */
public final class FeedBench {
    private static final String SECRET = "feed-bench-secret-0123456789";
    private static final String ADMIN_TOKEN = "feed-bench-admin-token-0123";
    private static final String HOOK_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    public static void main(String[] args) throws Exception {
        int members = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int lagChanges = args.length > 1 ? Integer.parseInt(args[1]) : 500;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        Map<String, String> settings =
                Map.of("ORGSYNC_DEPT_RATE", "10000", "ORGSYNC_NODE_RATE", "100000", "ORGSYNC_ADMIN_TOKEN", ADMIN_TOKEN);
        try (SimulatorControl sim = new SimulatorControl();
                ApiNode node = ApiNode.start("bench-feed", TestDatabases.mariadb("bench_feed"), sim, settings)) {
            sim.limits(Map.of("perMinute", 0, "perHour", 0, "ipPerMinute", 0, "ipPerHour", 0, "maxConcurrent", 0));
            throughput(sim, node, members);
            lag(sim, node, lagChanges);
            slowReceiver(sim, node, members / 2, seconds);
        }
    }

    private static void throughput(SimulatorControl sim, ApiNode node, int members) throws Exception {
        String corp = "ww-feed-bench-rate";
        sim.createCorp(corp, SECRET, 50, members, true);
        node.enterprise(corp, SECRET);
        try (WebhookReceiver receiver = new WebhookReceiver(HOOK_SECRET, false)) {
            subscribe(node, "rate", Map.of("url", receiver.url(), "secret", HOOK_SECRET, "corpIds", List.of(corp)));
            Run run = node.sync(corp);
            long changes = new ChangeLog(node.node.dataSource()).latest(corp);
            Waiting.until(
                    Duration.ofMinutes(5),
                    changes + " deliveries",
                    () -> receiver.accepted().size() >= changes);
            List<WebhookReceiver.Delivery> all = receiver.accepted();
            double rate = all.size()
                    * 1000.0
                    / Math.max(1, all.get(all.size() - 1).at() - all.get(0).at());
            String body = all.get(all.size() / 2).body();
            double baseline = plainPosts(receiver.url(), body, all.size());
            System.out.printf(
                    Locale.ROOT,
                    "%n## 1. throughput: a first sync (%s, +%d members), %d changes%n"
                            + "feed: %d deliveries, %.0f a second (target >= 1,000)%n"
                            + "baseline, plain sequential POSTs of one event to the same receiver: %.0f a second%n"
                            + "ratio feed / baseline: %.2f%n",
                    run.status(),
                    run.membersAdded(),
                    changes,
                    all.size(),
                    rate,
                    baseline,
                    rate / baseline);
            delete(node, "rate");
        }
    }

    /** POSTs a second from one thread over one keep-alive JDK client: what the receiver takes from a sequential sender. */
    private static double plainPosts(String url, String body, int count) throws Exception {
        HttpClient http =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/cloudevents+json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            http.send(request, HttpResponse.BodyHandlers.discarding());
        }
        return count / ((System.nanoTime() - start) / 1e9);
    }

    private static void lag(SimulatorControl sim, ApiNode node, int changes) throws Exception {
        String corp = "ww-feed-bench-lag";
        sim.createCorp(corp, SECRET, 2, 5, true);
        node.enterprise(corp, SECRET);
        node.sync(corp);
        try (WebhookReceiver receiver = new WebhookReceiver(HOOK_SECRET, false)) {
            subscribe(node, "lag", Map.of("url", receiver.url(), "secret", HOOK_SECRET, "corpIds", List.of(corp)));
            Waiting.sleep(Duration.ofSeconds(1));
            long start = System.nanoTime();
            long[] commits = new long[changes];
            for (int i = 0; i < changes; i++) {
                long id = 9000 + i;
                long t0 = System.nanoTime();
                NodeInternals.org(node.node).write(corp, OrgChange.Source.ADMIN, tx -> {
                    tx.putDepartments(List.of(
                            new OrgTransaction.DepartmentWrite(null, new StoredDepartment(id, "Lag " + id, 1, 0))));
                    return null;
                });
                commits[i] = (System.nanoTime() - t0) / 1_000_000;
                long wait = start + (i + 1) * 20_000_000L - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
            }
            Waiting.until(
                    Duration.ofMinutes(2),
                    changes + " deliveries",
                    () -> receiver.accepted().size() >= changes);
            long[] lags = receiver.accepted().stream()
                    .mapToLong(d -> d.at()
                            - Instant.parse(d.json().path("time").asText()).toEpochMilli())
                    .sorted()
                    .toArray();
            Arrays.sort(commits);
            System.out.printf(
                    Locale.ROOT,
                    "%n## 2. lag at 50 changes a second, %d changes%n"
                            + "commit to arrival: p50 %d ms, p99 %d ms, max %d ms (target p99 <= 1,000 ms)%n"
                            + "the write itself (transaction with its change log): p50 %d ms, p99 %d ms%n",
                    changes,
                    lags[lags.length / 2],
                    lags[(int) Math.ceil(lags.length * 0.99) - 1],
                    lags[lags.length - 1],
                    commits[commits.length / 2],
                    commits[(int) Math.ceil(commits.length * 0.99) - 1]);
            delete(node, "lag");
        }
    }

    private static void slowReceiver(SimulatorControl sim, ApiNode node, int members, int seconds) throws Exception {
        List<String> mobiles = LookupBench.mobiles(sim.export("ww-feed-bench-rate"));
        Path hot = LookupBench.writeLua(mobiles.subList(0, Math.min(2_000, mobiles.size())));
        String base = "http://127.0.0.1:" + node.node.port();
        LookupBench.wrk(base, hot, 32, seconds);
        List<Double> syncRatios = new ArrayList<>();
        List<Double> lookupRatios = new ArrayList<>();
        System.out.printf("%n## 3. a receiver that takes 2 s per answer%n");
        try (WebhookReceiver slow = new WebhookReceiver(HOOK_SECRET, false)) {
            slow.delayMillis.set(2_000);
            for (int round = 1; round <= 3; round++) {
                double plainSync = firstSync(sim, node, "ww-feed-bench-plain-" + round, members);
                LookupBench.Result plain = LookupBench.print(
                        LookupBench.wrk(base, hot, 32, seconds), "round " + round + ": no subscription");
                subscribe(node, "slow", Map.of("url", slow.url(), "secret", HOOK_SECRET));
                double slowSync = firstSync(sim, node, "ww-feed-bench-slow-" + round, members);
                LookupBench.Result busy = LookupBench.print(
                        LookupBench.wrk(base, hot, 32, seconds), "round " + round + ": slow receiver subscribed");
                delete(node, "slow");
                System.out.printf(
                        Locale.ROOT,
                        "  first sync of %d members: %.2f s without, %.2f s with the slow subscription%n",
                        members,
                        plainSync,
                        slowSync);
                syncRatios.add(plainSync / slowSync);
                lookupRatios.add(busy.rps() / plain.rps());
            }
            System.out.printf(
                    Locale.ROOT,
                    "sync speed with / without: %s, median %.2f (target >= 0.95)%n"
                            + "lookup rate with / without: %s, median %.2f (target >= 0.95)%n"
                            + "deliveries the slow receiver got meanwhile: %d%n",
                    LookupBench.fmt(syncRatios),
                    LookupBench.median(syncRatios),
                    LookupBench.fmt(lookupRatios),
                    LookupBench.median(lookupRatios),
                    slow.deliveries.size());
        }
    }

    private static double firstSync(SimulatorControl sim, ApiNode node, String corp, int members) throws Exception {
        sim.createCorp(corp, SECRET, 50, members, true);
        node.enterprise(corp, SECRET);
        long t0 = System.nanoTime();
        Run run = node.sync(corp);
        if (!run.status().name().equals("SUCCEEDED")) {
            throw new IllegalStateException("sync of " + corp + ": " + run.status() + " " + run.error());
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    private static void subscribe(ApiNode node, String name, Map<String, Object> body) {
        AdminClient.Reply r = new AdminClient(node.base.toString(), ADMIN_TOKEN, AdminClient.newLog())
                .put("/admin/api/subscriptions/" + name, body);
        if (r.status() != 201 && r.status() != 200) {
            throw new IllegalStateException("subscription " + name + ": " + r);
        }
    }

    private static void delete(ApiNode node, String name) {
        new AdminClient(node.base.toString(), ADMIN_TOKEN, AdminClient.newLog())
                .delete("/admin/api/subscriptions/" + name);
    }
}
