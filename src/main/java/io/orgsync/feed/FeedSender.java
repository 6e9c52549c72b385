package io.orgsync.feed;

import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookSigningException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * One POST per event, signed per Standard Webhooks. Its own HTTP client and threads, kept alive
 * between deliveries, so that a slow receiver holds up nothing but its own subscription.
 */
final class FeedSender implements AutoCloseable {
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    static final int ANSWER_CHARS = 200;

    /** {@code error}: null when the receiver answered 2xx; else what went wrong, without any secret. */
    record Outcome(String error) {
        boolean delivered() {
            return error == null;
        }
    }

    private final ExecutorService threads = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "feed-http");
        t.setDaemon(true);
        return t;
    });
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER)
            .executor(threads)
            .build();

    Outcome send(String url, Webhook signer, String id, long epochSeconds, byte[] body) throws InterruptedException {
        String signature;
        try {
            signature = signer.sign(id, epochSeconds, new String(body, StandardCharsets.UTF_8));
        } catch (WebhookSigningException e) {
            return new Outcome("the event could not be signed (" + e.getClass().getSimpleName() + ")");
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                .timeout(TIMEOUT)
                .header("Content-Type", FeedEvents.CONTENT_TYPE)
                .header("webhook-id", id)
                .header("webhook-timestamp", Long.toString(epochSeconds))
                .header("webhook-signature", signature)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        try {
            HttpResponse<InputStream> r = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = r.body()) {
                if (r.statusCode() / 100 == 2) {
                    in.transferTo(
                            java.io.OutputStream.nullOutputStream()); // read to the end: the connection stays usable
                    return new Outcome(null);
                }
                return new Outcome("HTTP " + r.statusCode() + answer(in));
            }
        } catch (HttpTimeoutException e) {
            return new Outcome("no answer within " + TIMEOUT.toSeconds() + " s");
        } catch (IOException e) {
            return new Outcome("cannot reach the receiver (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** The start of the receiver's answer, one line, for the log and lastError. */
    private static String answer(InputStream in) throws IOException {
        String text = new String(in.readNBytes(ANSWER_CHARS * 4), StandardCharsets.UTF_8)
                .replaceAll("\\p{Cntrl}+", " ")
                .strip();
        return text.isEmpty() ? "" : ": " + cut(text);
    }

    static String cut(String text) {
        return text.length() <= ANSWER_CHARS ? text : text.substring(0, ANSWER_CHARS) + "...";
    }

    @Override
    public void close() {
        threads.shutdownNow();
    }
}
