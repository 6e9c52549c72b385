package io.orgsync.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A tiny HTTP/JSON client for the simulator tests: a real {@link Simulator} on a free port,
 * spoken to over real HTTP. One per test class ({@code @RegisterExtension static final SimHttp s});
 * as an extension it resets the simulator before each test and stops it after the class.
 */
final class SimHttp implements AutoCloseable, BeforeEachCallback, AfterAllCallback {
    static final ObjectMapper JSON = new ObjectMapper();
    /** The suffix WeCom puts on every errmsg. */
    static final String WECOM_SUFFIX = ", hint: \\[[^\\]]+\\], from ip: [0-9a-fA-F.:]+, more info at "
            + "https://open\\.work\\.weixin\\.qq\\.com/devtool/query\\?e=";

    final Simulator sim;
    final String base;
    final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    /** One answer: status, content type, raw bytes, and the JSON when the body is JSON. */
    record Resp(int status, String contentType, byte[] bytes, JsonNode json) {
        int errcode() {
            return json == null || !json.has("errcode")
                    ? Integer.MIN_VALUE
                    : json.get("errcode").asInt();
        }

        String text() {
            return new String(bytes, StandardCharsets.UTF_8);
        }

        /** Asserts an upstream error: HTTP 200, JSON, the errcode. */
        Resp assertErr(int code) {
            assertEquals(200, status, () -> "HTTP status of " + text());
            assertEquals(code, errcode(), this::text);
            return this;
        }

        Resp assertOk() {
            assertEquals(200, status, this::text);
            assertEquals(0, errcode(), this::text);
            assertEquals("ok", json.get("errmsg").asText(), this::text);
            return this;
        }

        /** Asserts WeCom's errmsg shape: the help-page suffix with this very code. */
        Resp assertWecomErr(int code) {
            assertErr(code);
            String msg = json.get("errmsg").asText();
            assertTrue(msg.matches("(?s).+" + WECOM_SUFFIX + code), () -> "errmsg without WeCom suffix: " + msg);
            return this;
        }
    }

    SimHttp() {
        this.sim = Simulator.start(0);
        this.base = sim.baseUrl();
    }

    Resp get(String pathAndQuery) {
        return send(HttpRequest.newBuilder(uri(pathAndQuery)).GET());
    }

    Resp post(String pathAndQuery, Object body) {
        return send(HttpRequest.newBuilder(uri(pathAndQuery))
                .POST(publisher(body))
                .header("Content-Type", "application/json"));
    }

    Resp put(String pathAndQuery, Object body) {
        return send(HttpRequest.newBuilder(uri(pathAndQuery))
                .PUT(publisher(body))
                .header("Content-Type", "application/json"));
    }

    Resp patch(String pathAndQuery, Object body) {
        return send(HttpRequest.newBuilder(uri(pathAndQuery))
                .method("PATCH", publisher(body))
                .header("Content-Type", "application/json"));
    }

    Resp delete(String pathAndQuery) {
        return send(HttpRequest.newBuilder(uri(pathAndQuery)).DELETE());
    }

    /** Sends and returns the answer; an I/O failure is thrown as {@link UncheckedIOException}. */
    Resp send(HttpRequest.Builder request) {
        try {
            HttpResponse<byte[]> r =
                    http.send(request.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofByteArray());
            String type = r.headers().firstValue("Content-Type").orElse("");
            JsonNode json = null;
            if (type.startsWith("application/json")) {
                json = JSON.readTree(r.body());
            }
            return new Resp(r.statusCode(), type, r.body(), json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private URI uri(String pathAndQuery) {
        return URI.create(base + pathAndQuery);
    }

    private static HttpRequest.BodyPublisher publisher(Object body) {
        try {
            byte[] bytes = body instanceof String s ? s.getBytes(StandardCharsets.UTF_8) : JSON.writeValueAsBytes(body);
            return HttpRequest.BodyPublishers.ofByteArray(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    // ---- control-route shortcuts ----

    void reset() {
        assertEquals(200, post("/__sim/reset", "{}").status());
    }

    /** Creates an enterprise; extra fields (contactSecret, memberLimit, ...) may be given. */
    JsonNode corp(String corpId, int departments, int members, long seed, boolean mobileVisible, Object... extra) {
        Map<String, Object> body = map(
                "corpId",
                corpId,
                "secret",
                "s-" + corpId,
                "departments",
                departments,
                "members",
                members,
                "seed",
                seed,
                "mobileVisible",
                mobileVisible);
        body.putAll(map(extra));
        Resp r = post("/__sim/corps", body);
        assertEquals(201, r.status(), r::text);
        return r.json();
    }

    JsonNode export(String corpId) {
        Resp r = get("/__sim/corps/" + corpId + "/export");
        assertEquals(200, r.status(), r::text);
        return r.json();
    }

    /** A WeCom token for the corp's app secret ("s-" + corpId). */
    String token(String corpId) {
        return token(corpId, "s-" + corpId);
    }

    String token(String corpId, String secret) {
        Resp r = get("/cgi-bin/gettoken?corpid=" + enc(corpId) + "&corpsecret=" + enc(secret))
                .assertOk();
        return r.json().get("access_token").asText();
    }

    void limits(Object... kv) {
        Resp r = put("/__sim/limits", map(kv));
        assertEquals(200, r.status(), r::text);
    }

    void fault(Object... kv) {
        Resp r = post("/__sim/faults", map(kv));
        assertEquals(201, r.status(), r::text);
    }

    void advance(long seconds) {
        Resp r = post("/__sim/clock", map("advanceSeconds", seconds));
        assertEquals(200, r.status(), r::text);
    }

    JsonNode stats() {
        return get("/__sim/stats").json();
    }

    void app(String appId, String secret) {
        Resp r = post("/__sim/apps", map("appId", appId, "secret", secret));
        assertEquals(201, r.status(), r::text);
    }

    @Override
    public void close() {
        sim.close();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        reset();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }
}
