package io.orgsync.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.orgsync.testing.ApiNode;
import io.orgsync.testing.SimulatorControl;
import io.orgsync.testing.TestDatabases;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Mini-program codes: what orgsync adds to a code fetched from the upstream, and what its cache
 * saves. One client thread, keep-alive connections, in one run:
 * <ul>
 * <li>direct: POST /wxa/getwxacodeunlimit to the simulator with the app's (shared) token;</li>
 * <li>miss: GET /api/v1/miniapps/{appId}/wxacode for a scene orgsync has not cached (the
 *     simulator has: every scene is drawn once beforehand, so both sides skip the drawing and
 *     the difference is orgsync's own work: routing, checks, token, upstream client, cache);</li>
 * <li>hit: the same GET again, from orgsync's cache; hit 304: with If-None-Match.</li>
 * </ul>
 * Each round interleaves the four per scene so that machine noise hits all alike. Reported:
 * median, p90 and p99 per kind, and the added median latency (miss - direct; target &lt; 2 ms).
 *
 * <p>Usage: bench/wxacode.sh [scenes per round=300] [rounds=5]
 */
public final class WxacodeBench {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String APP = "wx-bench-code";
    private static final String SECRET = "bench-code-secret-0123456789";

    public static void main(String[] args) throws Exception {
        int scenes = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        if (scenes > 500) {
            throw new IllegalArgumentException("at most 500 scenes a round: the simulator keeps 512 drawn codes");
        }
        try (SimulatorControl sim = new SimulatorControl();
                ApiNode node = ApiNode.start("bench-code", TestDatabases.h2("bench_code"), sim, Map.of())) {
            sim.limits(Map.of(
                    "perMinute",
                    0,
                    "perHour",
                    0,
                    "ipPerMinute",
                    0,
                    "ipPerHour",
                    0,
                    "maxConcurrent",
                    0,
                    "wxacodePerMinute",
                    0));
            sim.createApp(APP, SECRET);
            node.app(APP, SECRET, "stable");
            HttpClient http = HttpClient.newHttpClient();
            String token = stableToken(http, sim);
            URI direct = URI.create(sim.baseUrl() + "/wxa/getwxacodeunlimit?access_token=" + token);

            List<Double> directMs = new ArrayList<>();
            List<Double> missMs = new ArrayList<>();
            List<Double> hitMs = new ArrayList<>();
            List<Double> notModifiedMs = new ArrayList<>();
            for (int round = 0; round <= rounds; round++) {
                boolean warmUp = round == 0;
                List<String> names = new ArrayList<>();
                for (int i = 0; i < scenes; i++) {
                    names.add("r" + round + "-" + i);
                }
                for (String scene : names) {
                    fetchDirect(http, direct, scene); // the simulator draws and keeps it
                }
                for (String scene : names) {
                    double d = fetchDirect(http, direct, scene);
                    String path = "/api/v1/miniapps/" + APP + "/wxacode?scene=" + scene;
                    long t = System.nanoTime();
                    ApiNode.Response miss = node.get(path);
                    double m = (System.nanoTime() - t) / 1e6;
                    t = System.nanoTime();
                    ApiNode.Response hit = node.get(path);
                    double h = (System.nanoTime() - t) / 1e6;
                    t = System.nanoTime();
                    ApiNode.Response notModified = node.get(path, "If-None-Match", hit.header("ETag"));
                    double n = (System.nanoTime() - t) / 1e6;
                    if (miss.status() != 200 || hit.status() != 200 || notModified.status() != 304) {
                        throw new IllegalStateException("unexpected answers " + miss.status() + " " + hit.status() + " "
                                + notModified.status());
                    }
                    if (!warmUp) {
                        directMs.add(d);
                        missMs.add(m);
                        hitMs.add(h);
                        notModifiedMs.add(n);
                    }
                }
                if (!warmUp) {
                    System.out.printf(
                            Locale.ROOT,
                            "round %d: direct %.2f ms, miss %.2f ms, hit %.2f ms, 304 %.2f ms (medians so far)%n",
                            round,
                            median(directMs),
                            median(missMs),
                            median(hitMs),
                            median(notModifiedMs));
                }
            }
            System.out.println();
            System.out.printf(
                    Locale.ROOT,
                    "%d codes of %d bytes each way, one client thread%n",
                    directMs.size(),
                    fetchDirectBytes(http, direct, "r1-0"));
            System.out.println("| request | median ms | p90 ms | p99 ms |");
            System.out.println("|---|---:|---:|---:|");
            row("simulator directly", directMs);
            row("orgsync, cache miss", missMs);
            row("orgsync, cache hit", hitMs);
            row("orgsync, If-None-Match (304)", notModifiedMs);
            System.out.printf(
                    Locale.ROOT,
                    "%nadded median latency of a miss: %.2f ms (target < 2 ms); a hit takes %.0f%% of a direct call%n",
                    median(missMs) - median(directMs),
                    100 * median(hitMs) / median(directMs));
        }
    }

    private static String stableToken(HttpClient http, SimulatorControl sim) throws Exception {
        Map<String, Object> body =
                Map.of("grant_type", "client_credential", "appid", APP, "secret", SECRET, "force_refresh", false);
        HttpResponse<byte[]> r = http.send(
                HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/cgi-bin/stable_token"))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)))
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
        return JSON.readTree(r.body()).path("access_token").asText();
    }

    private static double fetchDirect(HttpClient http, URI direct, String scene) throws Exception {
        long t = System.nanoTime();
        fetchDirectBytes(http, direct, scene);
        return (System.nanoTime() - t) / 1e6;
    }

    private static int fetchDirectBytes(HttpClient http, URI direct, String scene) throws Exception {
        HttpResponse<byte[]> r = http.send(
                HttpRequest.newBuilder(direct)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(Map.of("scene", scene))))
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (!r.headers().firstValue("Content-Type").orElse("").startsWith("image/")) {
            throw new IllegalStateException("the simulator answered " + new String(r.body()));
        }
        return r.body().length;
    }

    private static void row(String label, List<Double> ms) {
        System.out.printf(
                Locale.ROOT,
                "| %s | %.2f | %.2f | %.2f |%n",
                label,
                median(ms),
                percentile(ms, 0.90),
                percentile(ms, 0.99));
    }

    private static double median(List<Double> values) {
        return percentile(values, 0.5);
    }

    private static double percentile(List<Double> values, double p) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, (int) Math.floor(p * sorted.length))];
    }
}
