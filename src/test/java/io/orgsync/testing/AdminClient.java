package io.orgsync.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The admin API of one node over real HTTP, with a bearer token (or none). Every response body
 * it sees goes into a shared {@link #seen} list, so that a test class can assert at the end that
 * no answer ever carried a secret.
 */
public final class AdminClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** A response: status, raw body and the body parsed as JSON (null when it is not JSON). */
    public record Reply(int status, String body, JsonNode json) {
        public String errorCode() {
            return json == null ? null : json.path("error").path("code").asText(null);
        }

        public String errorMessage() {
            return json == null ? null : json.path("error").path("message").asText(null);
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    private final URI base;
    private final String token;
    private final List<String> seen;

    public AdminClient(String baseUrl, String token, List<String> seen) {
        this.base = URI.create(baseUrl);
        this.token = token;
        this.seen = seen;
    }

    public static List<String> newLog() {
        return new CopyOnWriteArrayList<>();
    }

    /** The same node with another token (null: no Authorization header). */
    public AdminClient withToken(String other) {
        return new AdminClient(base.toString(), other, seen);
    }

    public Reply get(String path) {
        return send("GET", path, null);
    }

    public Reply put(String path, Object body) {
        return send("PUT", path, body);
    }

    public Reply post(String path) {
        return send("POST", path, null);
    }

    public Reply delete(String path) {
        return send("DELETE", path, null);
    }

    /** {@code body} is serialised as JSON, or sent as is when it is a String. */
    public Reply send(String method, String path, Object body) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30));
            if (token != null) {
                b.header("Authorization", "Bearer " + token);
            }
            HttpRequest.BodyPublisher publisher = HttpRequest.BodyPublishers.noBody();
            if (body != null) {
                b.header("Content-Type", "application/json");
                publisher = HttpRequest.BodyPublishers.ofString(
                        body instanceof String s ? s : JSON.writeValueAsString(body));
            }
            HttpResponse<String> r =
                    HTTP.send(b.method(method, publisher).build(), HttpResponse.BodyHandlers.ofString());
            seen.add(method + " " + path + " -> " + r.statusCode() + " " + r.body());
            JsonNode json;
            try {
                json = r.body().isEmpty() ? null : JSON.readTree(r.body());
            } catch (IOException e) {
                json = null;
            }
            return new Reply(r.statusCode(), r.body(), json);
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
