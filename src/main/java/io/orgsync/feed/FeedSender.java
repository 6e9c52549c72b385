package io.orgsync.feed;

import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookSigningException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.SocketConfig;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.support.ClassicRequestBuilder;
import org.apache.hc.core5.util.Timeout;

/**
 * One POST per event, signed per Standard Webhooks. A client of its own (apart from the upstream's),
 * its connections kept alive between deliveries, so that a slow receiver holds up nothing but its
 * own subscription; the blocking client, as each delivery waits for the one before it anyway.
 */
final class FeedSender implements AutoCloseable {
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    static final int ANSWER_CHARS = 200;
    private static final ContentType CLOUDEVENTS =
            ContentType.create(FeedEvents.CONTENT_TYPE, (java.nio.charset.Charset) null);

    /** {@code error}: null when the receiver answered 2xx; else what went wrong, without any secret. */
    record Outcome(String error) {
        boolean delivered() {
            return error == null;
        }
    }

    private final CloseableHttpClient http;

    FeedSender() {
        Timeout timeout = Timeout.of(TIMEOUT);
        this.http = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(Timeout.ofSeconds(5))
                                .setSocketTimeout(timeout)
                                .build())
                        .setDefaultSocketConfig(
                                SocketConfig.custom().setTcpNoDelay(true).build())
                        .setMaxConnTotal(64)
                        .setMaxConnPerRoute(8)
                        .build())
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setResponseTimeout(timeout)
                        .setConnectionRequestTimeout(timeout)
                        .setRedirectsEnabled(false)
                        .build())
                // a retry is the deliverer's, with its backoff and in order
                .disableAutomaticRetries()
                .disableCookieManagement()
                .build();
    }

    Outcome send(String url, Webhook signer, String id, long epochSeconds, byte[] body) throws InterruptedException {
        String signature;
        try {
            signature = signer.sign(id, epochSeconds, new String(body, StandardCharsets.UTF_8));
        } catch (WebhookSigningException e) {
            return new Outcome("the event could not be signed (" + e.getClass().getSimpleName() + ")");
        }
        var request = ClassicRequestBuilder.post(url)
                .setHeader("webhook-id", id)
                .setHeader("webhook-timestamp", Long.toString(epochSeconds))
                .setHeader("webhook-signature", signature)
                .setEntity(new ByteArrayEntity(body, CLOUDEVENTS))
                .build();
        try {
            return http.execute(request, response -> {
                HttpEntity entity = response.getEntity();
                if (response.getCode() / 100 == 2) {
                    EntityUtils.consume(entity); // read to the end: the connection stays usable
                    return new Outcome(null);
                }
                String answer = "";
                if (entity != null) {
                    try (InputStream in = entity.getContent()) {
                        answer = answer(in.readNBytes(ANSWER_CHARS * 4));
                    }
                }
                return new Outcome("HTTP " + response.getCode() + answer);
            });
        } catch (InterruptedIOException e) {
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedException("stopped during a delivery");
            }
            return new Outcome("no answer within " + TIMEOUT.toSeconds() + " s");
        } catch (IOException | IllegalArgumentException e) {
            return new Outcome("cannot reach the receiver (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** The start of the receiver's answer, one line, for the log and lastError. */
    private static String answer(byte[] start) {
        String text = new String(start, StandardCharsets.UTF_8)
                .replaceAll("\\p{Cntrl}+", " ")
                .strip();
        return text.isEmpty() ? "" : ": " + cut(text);
    }

    static String cut(String text) {
        return text.length() <= ANSWER_CHARS ? text : text.substring(0, ANSWER_CHARS) + "...";
    }

    @Override
    public void close() throws IOException {
        http.close();
    }
}
