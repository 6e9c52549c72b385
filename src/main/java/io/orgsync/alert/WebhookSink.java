package io.orgsync.alert;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** Posts alerts as text messages to a WeCom group robot ({@code ORGSYNC_ALERT_WEBHOOK}). */
public final class WebhookSink implements AlertSink {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final URI url;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public WebhookSink(URI url) {
        this.url = url;
    }

    @Override
    public void deliver(Alert alert, String text) throws Exception {
        byte[] body = JSON.writeValueAsBytes(Map.of("msgtype", "text", "text", Map.of("content", text)));
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(url)
                        .timeout(Duration.ofSeconds(10))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200 || !JSON.readTree(response.body()).path("errcode").asText("0").equals("0")) {
            // the robot key is part of the URL: never echo the URL itself
            throw new IllegalStateException("group robot answered HTTP " + response.statusCode() + " errcode "
                    + JSON.readTree(response.body()).path("errcode").asText("?"));
        }
    }

    @Override
    public String name() {
        return "webhook";
    }
}
