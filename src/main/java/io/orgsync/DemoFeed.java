package io.orgsync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.orgsync.time.Waiter;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The demo's change feed: a small receiver of its own (the JDK's HTTP server on a free loopback
 * port) registered as a subscription through the admin API, as another system would be. It checks
 * each delivery's Standard Webhooks signature and prints the events a change produced. It stays
 * up while the demo serves, printing whatever else arrives.
 */
final class DemoFeed implements AutoCloseable {
    static final String NAME = "demo-receiver";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long WAIT_MILLIS = 20_000;
    private static final Duration POLL = Duration.ofMillis(50);

    private final HttpServer server;
    private final ExecutorService threads;
    private final byte[] key;
    private final LinkedBlockingQueue<JsonNode> events = new LinkedBlockingQueue<>();
    /** Delivery is at least once: a receiver dedupes on webhook-id. */
    private final Set<String> seen = ConcurrentHashMap.newKeySet();

    private volatile PrintStream live;

    private DemoFeed(HttpServer server, ExecutorService threads, byte[] key) {
        this.server = server;
        this.threads = threads;
        this.key = key;
    }

    /** Starts the receiver and subscribes it to {@code corpId}'s changes from now on. */
    static DemoFeed subscribe(HttpClient http, String base, String adminToken, String corpId, PrintStream out)
            throws IOException, InterruptedException {
        out.println("Change feed (docs/feed.md):");
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/orgsync-events";
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create(base + "/admin/api/subscriptions/" + NAME))
                        .header("Authorization", "Bearer " + adminToken)
                        .header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(
                                Map.of("url", url, "corpIds", List.of(corpId), "startAt", "now"))))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 201) {
            server.stop(0);
            throw new IllegalStateException(
                    "PUT /admin/api/subscriptions/" + NAME + " answered " + r.statusCode() + ": " + r.body());
        }
        String secret = JSON.readTree(r.body()).path("secret").asText();
        if (!secret.startsWith("whsec_")) {
            server.stop(0);
            throw new IllegalStateException("the created subscription came without its generated secret");
        }
        ExecutorService threads = Executors.newFixedThreadPool(2, runnable -> {
            Thread t = new Thread(runnable, "demo-receiver");
            t.setDaemon(true);
            return t;
        });
        DemoFeed feed = new DemoFeed(server, threads, Base64.getDecoder().decode(secret.substring("whsec_".length())));
        server.createContext("/orgsync-events", feed::receive);
        server.setExecutor(threads);
        server.start();
        out.println("  subscription " + NAME + " for " + corpId + " -> " + url
                + " (its signing secret was generated and answered once; the receiver keeps it)\n");
        return feed;
    }

    /**
     * After the callbacks part added {@code userid}: changes the member's position in the
     * simulator too, and answers whether both changes arrived as events.
     */
    boolean showChangesOf(HttpClient http, String simBase, String corpId, String userid, PrintStream out)
            throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create(simBase + "/__sim/corps/" + corpId + "/members/" + userid))
                        .header("Content-Type", "application/json")
                        .method(
                                "PATCH",
                                HttpRequest.BodyPublishers.ofString(
                                        JSON.writeValueAsString(Map.of("position", "产品经理"))))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() >= 300) {
            throw new IllegalStateException("the simulator refused the change: " + r.statusCode() + " " + r.body());
        }
        out.println("  changed " + userid + "'s position in the simulator; the events the two changes produced:");
        return show(
                List.of(
                        new String[] {"io.orgsync.member.created", userid},
                        new String[] {"io.orgsync.member.updated", userid}),
                out);
    }

    /** Answers whether the events {@code expected} (type and subject) arrived, signed, within the bound. */
    private boolean show(List<String[]> expected, PrintStream out) throws InterruptedException {
        List<String[]> missing = new ArrayList<>(expected);
        Waiter waiter = Waiter.system();
        long t0 = waiter.nanoTime();
        while (!missing.isEmpty() && waiter.nanoTime() - t0 < WAIT_MILLIS * 1_000_000) {
            JsonNode e = events.poll();
            if (e == null) {
                waiter.sleep(POLL);
                continue;
            }
            print(e, out);
            missing.removeIf(m -> m[0].equals(e.path("type").asText())
                    && m[1].equals(e.path("subject").asText()));
        }
        for (String[] m : missing) {
            out.printf("  no %s of %s within %d s%n", m[0], m[1], WAIT_MILLIS / 1000);
        }
        out.println();
        return missing.isEmpty();
    }

    /** From now on, events are printed as they arrive. */
    void printLive(PrintStream out) {
        live = out;
        JsonNode e;
        while ((e = events.poll()) != null) {
            print(e, out);
        }
    }

    private static void print(JsonNode e, PrintStream out) {
        JsonNode fields = e.path("data").path("changedFields");
        out.printf(
                "  received %-28s %-22s seq %-5s%s (signature valid)%n",
                e.path("type").asText(),
                e.path("subject").asText(),
                e.path("sequence").asText(),
                fields.isArray() ? " changedFields " + fields : "");
    }

    private void receive(HttpExchange x) throws IOException {
        try (x;
                InputStream in = x.getRequestBody()) {
            byte[] body = in.readAllBytes();
            String id = x.getRequestHeaders().getFirst("webhook-id");
            String timestamp = x.getRequestHeaders().getFirst("webhook-timestamp");
            String signatures = x.getRequestHeaders().getFirst("webhook-signature");
            if (id == null || timestamp == null || signatures == null || !signed(id, timestamp, body, signatures)) {
                x.sendResponseHeaders(401, -1);
                return;
            }
            // answered before it is handled: the sender waits for the 2xx, not for our printing
            x.sendResponseHeaders(204, -1);
            if (seen.add(id)) {
                JsonNode event = JSON.readTree(body);
                PrintStream out = live;
                if (out != null) {
                    print(event, out);
                } else {
                    events.add(event);
                }
            }
        }
    }

    /** Standard Webhooks: any of the space-separated "v1,<base64 HMAC-SHA256 of id.timestamp.body>". */
    private boolean signed(String id, String timestamp, byte[] body, String signatures) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
            byte[] expected = mac.doFinal(body);
            for (String s : signatures.split(" ")) {
                if (s.startsWith("v1,")
                        && MessageDigest.isEqual(
                                expected,
                                Base64.getDecoder().decode(s.substring(3).getBytes(StandardCharsets.US_ASCII)))) {
                    return true;
                }
            }
            return false;
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
