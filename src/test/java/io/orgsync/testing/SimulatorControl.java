package io.orgsync.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orgsync.simulator.Simulator;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A simulator for one test class, set up and inspected over its real HTTP control routes. As a
 * JUnit extension ({@code @RegisterExtension static final SimulatorControl sim}) it clears
 * injected faults after each test and stops after the class.
 */
public final class SimulatorControl implements AutoCloseable, AfterEachCallback, AfterAllCallback {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Null when the simulator runs in a process of its own ({@link #external}). */
    private final Simulator simulator;

    private final String base;
    private final HttpClient http = HttpClient.newHttpClient();

    public SimulatorControl() {
        this.simulator = Simulator.start(0);
        this.base = simulator.baseUrl();
    }

    private SimulatorControl(String base) {
        this.simulator = null;
        this.base = base;
    }

    /**
     * A simulator started elsewhere ({@code java -jar orgsync.jar simulator}), driven through the same
     * control routes: a benchmark that must not count the simulator's work as the node's uses one.
     */
    public static SimulatorControl external(URI baseUrl) {
        return new SimulatorControl(baseUrl.toString().replaceAll("/$", ""));
    }

    public URI baseUrl() {
        return URI.create(base);
    }

    public JsonNode createCorp(String corpId, String secret, int departments, int members, boolean mobileVisible) {
        return post(
                "/__sim/corps",
                Map.of(
                        "corpId",
                        corpId,
                        "secret",
                        secret,
                        "departments",
                        departments,
                        "members",
                        members,
                        "mobileVisible",
                        mobileVisible,
                        "seed",
                        corpId.hashCode()));
    }

    public JsonNode createApp(String appId, String secret) {
        return post("/__sim/apps", Map.of("appId", appId, "secret", secret));
    }

    /** Resets the corp's secret, as an admin does in WeCom's console: tokens already issued keep working. */
    public JsonNode changeSecret(String corpId, String secret) {
        return send("PATCH", "/__sim/corps/" + corpId, Map.of("secret", secret));
    }

    public JsonNode invalidateTokens(String corpOrAppId) {
        String field = corpOrAppId.startsWith("wx") ? "appId" : "corpId";
        return post("/__sim/tokens/invalidate", Map.of(field, corpOrAppId));
    }

    public JsonNode limits(Map<String, Object> limits) {
        return send("PUT", "/__sim/limits", limits);
    }

    public JsonNode fault(Map<String, Object> fault) {
        return post("/__sim/faults", fault);
    }

    public void clearFaults() {
        send("DELETE", "/__sim/faults", null);
    }

    /** Lets every call a latency fault holds now go on at once; answers how many were held. */
    public int releaseHeldCalls() {
        return post("/__sim/faults/release", Map.of()).path("released").asInt();
    }

    /** Waits until a call held by a latency fault is there to let go, and lets it go: {@code what} names the call. */
    public void awaitAndReleaseHeldCall(Duration limit, String what) {
        Waiting.until(limit, what + " let go", () -> releaseHeldCalls() >= 1);
    }

    public JsonNode stats() {
        return send("GET", "/__sim/stats", null);
    }

    public void resetStats() {
        post("/__sim/stats/reset", Map.of());
    }

    public void advanceClock(long seconds) {
        post("/__sim/clock", Map.of("advanceSeconds", seconds));
    }

    public JsonNode webhookMessages(String key) {
        return send("GET", "/__sim/webhook/" + key + "/messages", null);
    }

    public JsonNode export(String corpId) {
        return send("GET", "/__sim/corps/" + corpId + "/export", null);
    }

    /** Calls on one upstream path for one corp or app, from the statistics. */
    public long calls(String path, String subject) {
        return stats().path("calls").path(path).path(subject).asLong(0);
    }

    public long tokensIssued(String key) {
        return stats().path("tokensIssued").path(key).asLong(0);
    }

    public JsonNode post(String path, Object body) {
        return send("POST", path, body);
    }

    public JsonNode send(String method, String path, Object body) {
        try {
            HttpRequest.Builder b =
                    HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json");
            b.method(
                    method,
                    body == null
                            ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() >= 300) {
                throw new IllegalStateException(method + " " + path + " answered " + r.statusCode() + ": " + r.body());
            }
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        if (simulator != null) {
            simulator.close();
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        clearFaults();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }
}
