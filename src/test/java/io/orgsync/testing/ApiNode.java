package io.orgsync.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orgsync.Node;
import io.orgsync.NodeInternals;
import io.orgsync.enterprise.EnterpriseChange;
import io.orgsync.sync.Run;
import io.orgsync.sync.SyncProgress;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A whole orgsync node ({@link Node#start}) on a test database, pointed at a simulator, with no
 * Quartz execution, and an HTTP client for its real port. Tests call it only over HTTP, except
 * to set it up (register enterprises and apps, run a sync) as the admin API would.
 */
public final class ApiNode implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    public static final Duration TIMEOUT = Duration.ofSeconds(30);

    public final Node node;
    public final URI base;
    public final String webhookKey;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private ApiNode(Node node, String webhookKey) {
        this.node = node;
        this.webhookKey = webhookKey;
        this.base = URI.create("http://127.0.0.1:" + node.port());
    }

    /**
     * Starts a node named {@code name} on {@code dbUrl}; {@code extra} adds or overrides settings
     * (ORGSYNC_READ_ONLY, ORGSYNC_API_TOKEN, ...). Alerts go to the simulator's robot under the key {@code name}.
     */
    public static ApiNode start(String name, String dbUrl, SimulatorControl sim, Map<String, String> extra)
            throws Exception {
        return start(name, dbUrl, sim, extra, Clock.systemUTC());
    }

    public static ApiNode start(String name, String dbUrl, SimulatorControl sim, Map<String, String> extra, Clock clock)
            throws Exception {
        TestNode settings = TestNode.node(name, dbUrl, sim)
                .with("ORGSYNC_SCHEDULER_ENABLED", false)
                .alertsTo(sim.baseUrl(), name)
                // syncs in tests are not about the department rate (other tests prove it)
                .with("ORGSYNC_DEPT_RATE", 1000)
                .with("ORGSYNC_NODE_RATE", 10000)
                // a read-cache staleness bound of 1 s, not 250 ms: a node whose poll of the change log is
                // late by twice the bound bypasses its cache (by design), and on a busy test machine a
                // poll can be half a second late, which turns the cache hits that tests count into reads
                .with("ORGSYNC_CACHE_STALENESS_MS", 1000);
        extra.forEach(settings::with);
        return new ApiNode(settings.start(clock), name);
    }

    /** Registers an enterprise (no schedule that would fire) as the admin API does. */
    public void enterprise(String corpId, String secret) throws Exception {
        node.enterprises().put(corpId, new EnterpriseChange("Corp " + corpId, secret, "0 0 3 1 1 ? 2099", true, null));
    }

    public Run sync(String corpId) throws Exception {
        return node.sync(corpId, SyncProgress.NONE);
    }

    public void app(String appId, String secret, String tokenMode) throws Exception {
        NodeInternals.miniApps(node).put(appId, "App " + appId, secret, tokenMode);
    }

    /** An HTTP answer, read whole. */
    public record Response(int status, HttpHeaders headers, byte[] body) {
        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (" + status + "): " + text(), e);
            }
        }

        /** {@code error.code} of the error model, or null. */
        public String code() {
            return json().path("error").path("code").asText(null);
        }

        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        @Override
        public String toString() {
            return status + " " + (body.length > 500 ? text().substring(0, 500) + "..." : text());
        }
    }

    /** GET a path with its query, already encoded; {@code headers} as name, value pairs. */
    public Response get(String pathAndQuery, String... headers) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(base.resolve(pathAndQuery)).GET(), headers);
    }

    public Response post(String path, byte[] body, String... headers) throws IOException, InterruptedException {
        return send(
                HttpRequest.newBuilder(base.resolve(path))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                        .header("Content-Type", "application/json"),
                headers);
    }

    public Response postJson(String path, Object body, String... headers) throws IOException, InterruptedException {
        return post(path, JSON.writeValueAsBytes(body), headers);
    }

    public Response resolve(String corpId, String mobile, String... headers) throws IOException, InterruptedException {
        return postJson("/api/v1/members/resolve", Map.of("corpId", corpId, "mobile", mobile), headers);
    }

    private Response send(HttpRequest.Builder b, String... headers) throws IOException, InterruptedException {
        b.timeout(TIMEOUT);
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.setHeader(headers[i], headers[i + 1]); // replaces a default such as Content-Type
        }
        HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        return new Response(r.statusCode(), r.headers(), r.body());
    }

    /**
     * A request written byte for byte on a socket, for targets java.net.http refuses to send
     * (bad percent escapes, raw non-ASCII). Answers with HTTP/1.1 and Connection: close.
     */
    public Response raw(String method, String target, byte[] body) throws IOException {
        try (Socket s = new Socket("127.0.0.1", base.getPort())) {
            s.setSoTimeout((int) TIMEOUT.toMillis());
            OutputStream out = s.getOutputStream();
            StringBuilder head = new StringBuilder(method)
                    .append(' ')
                    .append(target)
                    .append(" HTTP/1.1\r\n")
                    .append("Host: 127.0.0.1:")
                    .append(base.getPort())
                    .append("\r\nConnection: close\r\n");
            if (body != null) {
                head.append("Content-Type: application/json\r\nContent-Length: ")
                        .append(body.length)
                        .append("\r\n");
            }
            head.append("\r\n");
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            if (body != null) {
                out.write(body);
            }
            out.flush();
            return parse(s.getInputStream().readAllBytes());
        }
    }

    private static Response parse(byte[] all) {
        String text = new String(all, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        String[] lines = text.substring(0, end).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, List<String>> headers = new HashMap<>();
        boolean chunked = false;
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            String name = lines[i].substring(0, colon).trim();
            String value = lines[i].substring(colon + 1).trim();
            headers.put(name, List.of(value));
            chunked |= name.equalsIgnoreCase("Transfer-Encoding") && value.equalsIgnoreCase("chunked");
        }
        byte[] body = java.util.Arrays.copyOfRange(all, end + 4, all.length);
        if (chunked) {
            body = dechunk(body);
        }
        return new Response(status, HttpHeaders.of(headers, (a, b) -> true), body);
    }

    private static byte[] dechunk(byte[] in) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        int i = 0;
        while (i < in.length) {
            int lineEnd = i;
            while (lineEnd + 1 < in.length && !(in[lineEnd] == '\r' && in[lineEnd + 1] == '\n')) {
                lineEnd++;
            }
            int size = Integer.parseInt(
                    new String(in, i, lineEnd - i, StandardCharsets.ISO_8859_1).split(";")[0].trim(), 16);
            if (size == 0) {
                break;
            }
            out.write(in, lineEnd + 2, size);
            i = lineEnd + 2 + size + 2;
        }
        return out.toByteArray();
    }

    /** Robot messages the node's alerts sent, waiting up to 5 s for at least {@code atLeast}. */
    public JsonNode alerts(SimulatorControl sim, int atLeast) throws InterruptedException {
        JsonNode messages = sim.webhookMessages(webhookKey);
        for (int i = 0; i < 250 && messages.size() < atLeast; i++) {
            Thread.sleep(20);
            messages = sim.webhookMessages(webhookKey);
        }
        return messages;
    }

    @Override
    public void close() {
        node.close();
    }
}
