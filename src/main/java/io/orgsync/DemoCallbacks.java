package io.orgsync;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.orgsync.time.Waiter;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The demo's real-time part: callbacks turned on for one enterprise on both sides (orgsync's
 * admin API, the simulator's registration pointing at this node), one member added in the
 * simulator, and the lookup polled until it answers, with the time that took.
 */
final class DemoCallbacks {
    /** The member the real-time part adds. */
    static final String NEWCOMER = "demo-newcomer";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final long BOUND_MILLIS = 20_000;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Duration POLL = Duration.ofMillis(50);

    private DemoCallbacks() {}

    /** Answers whether the lookup found the new member within the bound. */
    static boolean show(HttpClient http, String simBase, String base, String adminToken, String corpId, PrintStream out)
            throws IOException, InterruptedException {
        out.println("Real-time changes (WeCom's contact-change callbacks) for " + corpId + ":");
        // generated per run, as WeCom's admin page generates them
        String token = random(32);
        String aesKey = random(43);
        send(
                http,
                "PUT",
                base + "/admin/api/enterprises/" + corpId + "/callback",
                Map.of("token", token, "aesKey", aesKey),
                "Authorization",
                "Bearer " + adminToken);
        String url = base + "/callbacks/wecom/" + corpId;
        send(
                http,
                "PUT",
                simBase + "/__sim/corps/" + corpId + "/callback",
                Map.of("url", url, "token", token, "aesKey", aesKey));
        out.println("  callbacks on: orgsync has a Token and EncodingAESKey, the simulator posts changes to " + url);

        String mobile = "199" + String.format("%08d", RANDOM.nextInt(100_000_000));
        String lookup = base + "/api/v1/members/by-mobile/" + mobile + "?corpId=" + corpId;
        int before = status(http, lookup);
        Waiter waiter = Waiter.system();
        long t0 = waiter.nanoTime();
        send(
                http,
                "POST",
                simBase + "/__sim/corps/" + corpId + "/members",
                Map.of("userid", NEWCOMER, "name", "新同事", "mobile", mobile, "department", List.of(1)));
        out.printf(
                "  added member demo-newcomer with mobile %s in the simulator (lookup before: %d)%n", mobile, before);
        while (waiter.nanoTime() - t0 < BOUND_MILLIS * 1_000_000) {
            if (status(http, lookup) == 200) {
                out.printf(
                        "  GET  by-mobile %s -> 200, %.2f s after the change (the periodic sync would take up to its period)%n%n",
                        mobile, (waiter.nanoTime() - t0) / 1e9);
                return true;
            }
            waiter.sleep(POLL);
        }
        out.printf("  GET  by-mobile %s still not found %d s after the change%n%n", mobile, BOUND_MILLIS / 1000);
        return false;
    }

    private static String random(int length) {
        StringBuilder s = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            s.append(ALPHANUMERIC.charAt(RANDOM.nextInt(ALPHANUMERIC.length())));
        }
        return s.toString();
    }

    private static int status(HttpClient http, String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    private static void send(HttpClient http, String method, String url, Object body, String... headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        if (headers.length > 0) {
            request.headers(headers);
        }
        HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() >= 300) {
            // the answer names the refused field, never the values sent
            throw new IllegalStateException(
                    method + " " + URI.create(url).getPath() + " answered " + r.statusCode() + ": " + r.body());
        }
    }
}
