package io.orgsync.alert;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;

/** Posts alerts as text messages to a WeCom group robot ({@code ORGSYNC_ALERT_WEBHOOK}). */
public final class WebhookSink implements AlertSink {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final URI url;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public WebhookSink(URI url) {
        this.url = url;
    }

    @Override
    public void deliver(Alert alert, String text) throws Exception {
        byte[] body = JSON.writeValueAsBytes(Map.of("msgtype", "text", "text", Map.of("content", text)));
        HttpResponse<String> response;
        // the robot key is part of the URL: never echo the URL itself, nor an exception text that might
        try {
            response = http.send(
                    HttpRequest.newBuilder(url)
                            .timeout(Duration.ofSeconds(10))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException e) {
            throw new IOException("timed out", e);
        } catch (ConnectException e) {
            throw new IOException("connection refused", e);
        } catch (IOException e) {
            throw new IOException("I/O error (" + e.getClass().getSimpleName() + ")", e);
        }
        if (response.statusCode() != 200) {
            // checked before parsing: an error page is HTML, and a JSON parse error would hide the status
            throw new IllegalStateException("HTTP " + response.statusCode());
        }
        String errcode = errcode(response.body());
        if (!errcode.equals("0")) {
            throw new IllegalStateException("errcode " + errcode);
        }
    }

    private static String errcode(String body) {
        try {
            return JSON.readTree(body).path("errcode").asText("0");
        } catch (Exception e) {
            return "? (the answer is not JSON)";
        }
    }

    @Override
    public String name() {
        return "webhook";
    }
}
