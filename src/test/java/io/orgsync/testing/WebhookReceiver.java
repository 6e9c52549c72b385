package io.orgsync.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.standardwebhooks.Webhook;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A webhook receiver over real HTTP (the JDK's server): records every POST with its headers,
 * checks its signature with the Standard Webhooks library, and answers the status the test sets.
 */
public final class WebhookReceiver implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    static {
        // the JDK server writes headers and body apart: without TCP_NODELAY each answer waits out a delayed ACK
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    /** One POST as received; {@code verified}: Webhook.verify accepted it; {@code answered}: the status sent back. */
    public record Delivery(
            String id, String contentType, String body, boolean verified, String verifyError, int answered, long at) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }

        public String corpId() {
            return json().path("corpid").asText();
        }

        public long sequence() {
            return Long.parseLong(json().path("sequence").asText());
        }
    }

    public final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
    public final AtomicInteger status = new AtomicInteger(200);
    /** How long each answer takes, in milliseconds: a slow receiver. */
    public final java.util.concurrent.atomic.AtomicLong delayMillis = new java.util.concurrent.atomic.AtomicLong();

    private final HttpServer server;
    private final Webhook verifier;
    private final boolean verify;

    /** {@code secret}: the subscription's whsec_ key; {@code verify}: false where the test moves the node's clock (the library checks the timestamp against now). */
    public WebhookReceiver(String secret, boolean verify) throws Exception {
        this.verifier = new Webhook(secret);
        this.verify = verify;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 100);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/hook", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String text = new String(body, StandardCharsets.UTF_8);
            String error = null;
            if (verify) {
                try {
                    verifier.verify(text, exchange.getRequestHeaders());
                } catch (Exception e) {
                    error = e.toString();
                }
            }
            int answer = status.get();
            deliveries.add(new Delivery(
                    exchange.getRequestHeaders().getFirst("webhook-id"),
                    exchange.getRequestHeaders().getFirst("Content-Type"),
                    text,
                    verify && error == null,
                    error,
                    answer,
                    System.currentTimeMillis()));
            long delay = delayMillis.get();
            if (delay > 0) {
                try {
                    Thread.sleep(delay);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            byte[] reply = (answer / 100 == 2 ? "ok" : "receiver down for maintenance " + "x".repeat(300))
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(answer, reply.length);
            exchange.getResponseBody().write(reply);
            exchange.close();
        });
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    /** The deliveries answered 2xx, in arrival order. */
    public List<Delivery> accepted() {
        List<Delivery> out = new ArrayList<>();
        for (Delivery d : deliveries) {
            if (d.answered() / 100 == 2) {
                out.add(d);
            }
        }
        return out;
    }

    /** Event ids accepted, by how often. */
    public Map<String, Long> acceptedIds() {
        return accepted().stream()
                .collect(java.util.stream.Collectors.groupingBy(
                        Delivery::id, java.util.TreeMap::new, java.util.stream.Collectors.counting()));
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
