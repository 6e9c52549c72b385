package io.orgsync.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.orgsync.token.Token;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.support.ClassicRequestBuilder;
import org.apache.hc.core5.net.URIBuilder;
import org.apache.hc.core5.util.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One HTTP exchange with the upstream, for {@link UpstreamClient}: the request with its token,
 * the answer parsed (JSON with its errcode, or an image), a failure described as something worth
 * retrying; timed and counted per API and errcode. What an answer means is the client's business.
 */
final class UpstreamHttp implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(UpstreamHttp.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The outcome of one exchange: a parsed answer ({@code errcode} set), or a problem worth retrying. */
    record Attempt(Integer errcode, UpstreamResponse response, String problem, Exception cause) {}

    private final CloseableHttpClient http;
    private final MeterRegistry metrics;

    /** @param timeout connect, socket and response time-out of one exchange */
    UpstreamHttp(MeterRegistry metrics, Duration timeout) {
        this.metrics = metrics;
        Timeout t = Timeout.of(timeout);
        this.http = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(Timeout.ofMilliseconds(Math.min(5_000, timeout.toMillis())))
                                .setSocketTimeout(t)
                                .build())
                        .setMaxConnTotal(256)
                        .setMaxConnPerRoute(128)
                        .build())
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setResponseTimeout(t)
                        .setConnectionRequestTimeout(t)
                        .build())
                // retries are the client's: it knows which calls and errors are safe to repeat
                .disableAutomaticRetries()
                .disableCookieManagement()
                .build();
    }

    Attempt exchange(UpstreamRequest request, Token token) {
        Timer.Sample sample = Timer.start(metrics);
        String codeTag = "io";
        try {
            Attempt attempt = http.execute(build(request, token), response -> {
                HttpEntity entity = response.getEntity();
                byte[] body = entity == null ? new byte[0] : EntityUtils.toByteArray(entity);
                String type = entity == null || entity.getContentType() == null ? "" : entity.getContentType();
                int status = response.getCode();
                if (status != 200) {
                    return new Attempt(null, null, "HTTP " + status + " from " + request.api(), null);
                }
                if (type.startsWith("image/")) {
                    return new Attempt(0, new UpstreamResponse(0, null, body, type), null, null);
                }
                JsonNode json;
                try {
                    json = JSON.readTree(body);
                } catch (IOException e) {
                    return new Attempt(null, null, "an unreadable answer from " + request.api(), e);
                }
                int errcode = json.path("errcode").asInt(0);
                return new Attempt(
                        errcode,
                        new UpstreamResponse(errcode, json, null, type),
                        request.api() + " answered errcode " + errcode,
                        null);
            });
            codeTag = attempt.errcode == null ? "http" : String.valueOf(attempt.errcode);
            if (attempt.errcode != null && attempt.errcode != 0) {
                log.warn("{} for {} answered errcode {}", request.api(), request.subject(), attempt.errcode);
            }
            return attempt;
        } catch (IOException e) {
            log.warn(
                    "{} for {} failed: {}",
                    request.api(),
                    request.subject(),
                    e.getClass().getSimpleName());
            return new Attempt(
                    null,
                    null,
                    "network error calling " + request.api() + " ("
                            + e.getClass().getSimpleName() + ")",
                    e);
        } finally {
            sample.stop(metrics.timer("orgsync_upstream_call_seconds", "api", request.api()));
            metrics.counter("orgsync_upstream_calls_total", "api", request.api(), "errcode", codeTag)
                    .increment();
        }
    }

    private static ClassicHttpRequest build(UpstreamRequest request, Token token) {
        URI uri;
        try {
            URIBuilder builder = new URIBuilder(request.baseUrl()).appendPath(request.api());
            request.queryWith(token == null ? null : token.value()).forEach(builder::addParameter);
            uri = builder.build();
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("bad upstream URL for " + request.api());
        }
        if (!request.post()) {
            return ClassicRequestBuilder.get(uri).build();
        }
        byte[] body;
        try {
            body = JSON.writeValueAsBytes(request.jsonBody());
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot encode the body of " + request.api(), e);
        }
        return ClassicRequestBuilder.post(uri)
                .setEntity(new ByteArrayEntity(body, ContentType.APPLICATION_JSON))
                .build();
    }

    @Override
    public void close() throws IOException {
        http.close();
    }
}
