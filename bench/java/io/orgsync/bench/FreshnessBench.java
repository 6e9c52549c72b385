package io.orgsync.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orgsync.Node;
import io.orgsync.callback.EventStatus;
import io.orgsync.callback.StoredEvent;
import io.orgsync.enterprise.EnterpriseChange;
import io.orgsync.sync.RunStatus;
import io.orgsync.sync.SyncProgress;
import io.orgsync.testing.SimulatorControl;
import io.orgsync.testing.TestDatabases;
import io.orgsync.testing.TestNode;
import io.orgsync.testing.Waiting;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Real-time changes, for each payload style (full fields; ids only, re-read through user/get):
 * <ul>
 * <li>freshness: a change made in the simulator (a member added with a new mobile, that mobile
 * changed, the member removed, in turn), posted to node A, until a lookup on node B (its own pool
 * on the same MariaDB) answers it (200 for the new mobile, 404 once removed), polled every 5 ms;
 * p50/p99 against the periodic sync's period;</li>
 * <li>upstream calls per change, from the simulator's stats;</li>
 * <li>events per second one node applies: a burst of member changes stored while the enterprise
 * row is locked (as a sync's apply locks it), then the lock released and the time until the
 * last is applied.</li>
 * </ul>
 * The nodes run with the default rates. Usage: bench/freshness.sh [changes=200] [burst=500]
 */
public final class FreshnessBench {
    private static final String SECRET = "freshness-bench-secret-01";
    private static final String ADMIN_TOKEN = "freshness-bench-admin-token-01";
    private static final String TOKEN = "QDG6eK";
    private static final String AES_KEY = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) throws Exception {
        int changes = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int burst = args.length > 1 ? Integer.parseInt(args[1]) : 500;
        String db = TestDatabases.mariadb("freshness_bench");
        try (SimulatorControl sim = new SimulatorControl()) {
            List<String> rows = new ArrayList<>();
            for (String style : List.of("full", "ids")) {
                rows.add(run(sim, db, style, changes, burst));
            }
            System.out.println();
            System.out.println(
                    "| style | changes | freshness p50 | p99 | max | upstream calls per change | burst | events/s one node applies |");
            System.out.println("|---|---|---|---|---|---|---|---|");
            rows.forEach(System.out::println);
        }
    }

    private static String run(SimulatorControl sim, String db, String style, int changes, int burst) throws Exception {
        String corp = "ww-fresh-bench-" + style;
        sim.createCorp(corp, SECRET, 20, 1000, true);
        try (Node a = node("fresh-a-" + style, db, sim)) {
            a.enterprises().put(corp, new EnterpriseChange("Freshness bench", SECRET, "0 0 3 1 1 ? 2099", true, null));
            if (a.sync(corp, SyncProgress.NONE).status() != RunStatus.SUCCEEDED) {
                throw new IllegalStateException("the first sync of " + corp + " failed");
            }
            String baseA = "http://127.0.0.1:" + a.port();
            send(
                    "PUT",
                    baseA + "/admin/api/enterprises/" + corp + "/callback",
                    Map.of("token", TOKEN, "aesKey", AES_KEY));
            sim.send(
                    "PUT",
                    "/__sim/corps/" + corp + "/callback",
                    Map.of(
                            "url",
                            baseA + "/callbacks/wecom/" + corp,
                            "token",
                            TOKEN,
                            "aesKey",
                            AES_KEY,
                            "style",
                            style));
            long[] millis;
            long calls;
            try (Node b = node("fresh-b-" + style, db, sim)) {
                String baseB = "http://127.0.0.1:" + b.port();
                // a few rounds first, so that the JIT and the pools are warm
                freshness(sim, corp, baseB, 15, "warm");
                sim.resetStats();
                millis = freshness(sim, corp, baseB, changes, "m");
                calls = upstreamCalls(sim.stats(), corp);
            }
            Arrays.sort(millis);
            // B closed: its applier would otherwise take the queue over once A's lease ran out behind the lock
            double eventsPerSecond = burst(sim, a, corp, burst);
            String row = String.format(
                    "| %s | %d | %d ms | %d ms | %d ms | %.2f | %d | %.0f |",
                    style,
                    changes,
                    percentile(millis, 50),
                    percentile(millis, 99),
                    millis[millis.length - 1],
                    (double) calls / changes,
                    burst,
                    eventsPerSecond);
            System.out.println(row);
            return row;
        }
    }

    private static Node node(String name, String db, SimulatorControl sim) throws Exception {
        return TestNode.node(name, db, sim)
                .with("ORGSYNC_SCHEDULER_ENABLED", false)
                .with("ORGSYNC_ADMIN_TOKEN", ADMIN_TOKEN)
                .start();
    }

    /** Milliseconds from each change's control call to the lookup on the other node answering it. */
    private static long[] freshness(SimulatorControl sim, String corp, String lookupBase, int changes, String prefix)
            throws Exception {
        long[] millis = new long[changes];
        String members = "/__sim/corps/" + corp + "/members";
        int member = 0;
        String mobile = null;
        for (int i = 0; i < changes; i++) {
            String userid = prefix + "fresh" + member;
            long t0 = System.nanoTime();
            int expected;
            switch (i % 3) {
                case 0 -> {
                    mobile = mobile(prefix, i);
                    sim.post(
                            members,
                            Map.of("userid", userid, "name", "新人" + i, "department", List.of(1), "mobile", mobile));
                    expected = 200;
                }
                case 1 -> {
                    mobile = mobile(prefix, i);
                    sim.send("PATCH", members + "/" + userid, Map.of("mobile", mobile));
                    expected = 200;
                }
                default -> {
                    sim.send("DELETE", members + "/" + userid, null);
                    member++;
                    expected = 404;
                }
            }
            String url = lookupBase + "/api/v1/members/by-mobile/" + mobile + "?corpId=" + corp;
            Waiting.await(
                    Duration.ofSeconds(60),
                    Duration.ofMillis(5),
                    "change " + i + " answered",
                    () -> status(url) == expected ? true : null);
            millis[i] = (System.nanoTime() - t0) / 1_000_000;
        }
        return millis;
    }

    private static String mobile(String prefix, int i) {
        return (prefix.equals("warm") ? "1980000" : "1990000") + String.format("%04d", i);
    }

    /** Events one node applies per second: stored while the enterprise row is locked, then released. */
    private static double burst(SimulatorControl sim, Node a, String corp, int burst) throws Exception {
        int before = a.events().recent(corp, 100_000).size();
        JsonNode export = sim.export(corp);
        Iterator<JsonNode> members = export.path("members").iterator();
        long started = System.currentTimeMillis();
        long released;
        try (Connection c = a.dataSource().getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps =
                    c.prepareStatement("SELECT corp_id FROM enterprise WHERE corp_id = ? FOR UPDATE")) {
                ps.setString(1, corp);
                ps.executeQuery().close();
            }
            for (int i = 0; i < burst; i++) {
                if (!members.hasNext()) {
                    members = export.path("members").iterator();
                }
                sim.send(
                        "PATCH",
                        "/__sim/corps/" + corp + "/members/"
                                + members.next().path("userid").asText(),
                        Map.of("position", "burst " + i));
            }
            Waiting.until(
                    Duration.ofSeconds(300),
                    burst + " events stored",
                    () -> a.events().recent(corp, 100_000).size() >= before + burst);
            released = System.currentTimeMillis();
            System.out.printf("  %d events stored behind the lock in %.1f s%n", burst, (released - started) / 1000.0);
            c.commit();
        }
        Waiting.await(
                Duration.ofSeconds(600),
                Duration.ofMillis(20),
                "burst applied",
                () -> a.events().recent(corp, 100_000).stream().noneMatch(e -> e.status() == EventStatus.PENDING)
                        ? true
                        : null);
        List<StoredEvent> events = a.events().recent(corp, burst);
        long last = events.stream()
                .mapToLong(e -> e.appliedAt() == null ? 0 : e.appliedAt())
                .max()
                .orElseThrow();
        long failed = events.stream()
                .filter(e -> e.status() != EventStatus.APPLIED && e.status() != EventStatus.SKIPPED)
                .count();
        if (failed > 0) {
            System.out.println("  " + failed + " burst events ended neither APPLIED nor SKIPPED");
        }
        return burst / ((last - released) / 1000.0);
    }

    private static long upstreamCalls(JsonNode stats, String corp) {
        long calls = 0;
        for (Iterator<Map.Entry<String, JsonNode>> paths = stats.path("calls").fields(); paths.hasNext(); ) {
            calls += paths.next().getValue().path(corp).asLong(0);
        }
        return calls;
    }

    private static long percentile(long[] sorted, int p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    private static int status(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    private static void send(String method, String url, Object body) throws Exception {
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(URI.create(url))
                        .header("Content-Type", "application/json")
                        .header("Authorization", "Bearer " + ADMIN_TOKEN)
                        .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() >= 300) {
            throw new IllegalStateException(method + " " + url + " answered " + r.statusCode() + ": " + r.body());
        }
    }
}
