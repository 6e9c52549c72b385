package io.orgsync.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.common.util.concurrent.RateLimiter;
import io.micrometer.core.instrument.MeterRegistry;
import io.orgsync.alert.Alert;
import io.orgsync.alert.Alerts;
import io.orgsync.config.Settings;
import io.orgsync.time.Waiter;
import io.orgsync.token.Token;
import io.orgsync.token.TokenFetchException;
import io.orgsync.token.TokenHolder;
import io.orgsync.token.TokenSource;
import io.orgsync.token.TokenUnavailableException;
import io.orgsync.upstream.UpstreamHttp.Attempt;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The one place that sends upstream calls. Every call, from sync, resolve or mini-program codes:
 * waits for the node-wide rate limit; is refused locally while its API is blocked (45009);
 * carries the shared token; is classified by errcode as docs/upstream.md's tables say (retry -1 and
 * 45033 with backoff at most 3 times; replace a rejected token once and retry once; never retry
 * into a block; raise an alert with the fix for configuration errors); is timed and counted per
 * API and errcode. Log lines name the API and the corp or app, never a token or secret.
 */
public final class UpstreamClient implements AutoCloseable {
    private static final int MAX_RETRIES = 3;

    private final UpstreamHttp http;
    private final TokenHolder tokens;
    private final Alerts alerts;
    private final Clock clock;
    private final Waiter waiter;
    private final RateLimiter nodeRate;
    private final Duration timeout;
    private final ApiBlocks blocks;

    /**
     * What the client needs from the settings.
     *
     * @param nodeRate upstream calls per second for this node, all corps and apps together
     * @param timeout  connect, socket and response time-out of one call
     */
    public record Config(double nodeRate, Duration timeout) {
        public Config {
            if (nodeRate <= 0 || timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("the node rate and the upstream time-out must be positive");
            }
        }

        public static Config from(Settings s) {
            return new Config(s.nodeRate(), s.upstreamTimeout());
        }
    }

    public UpstreamClient(
            TokenHolder tokens, Alerts alerts, MeterRegistry metrics, Clock clock, Waiter waiter, Config config) {
        this.tokens = tokens;
        this.alerts = alerts;
        this.clock = clock;
        this.waiter = waiter;
        this.blocks = new ApiBlocks(clock);
        this.timeout = config.timeout();
        // a warm-up limiter hands out saved-up permits more slowly, never in a burst above the rate
        this.nodeRate = RateLimiter.create(config.nodeRate(), 1, TimeUnit.SECONDS);
        this.http = new UpstreamHttp(metrics, config.timeout());
    }

    /** Sends the request with retries and token recovery; see the class comment. */
    public UpstreamResponse call(UpstreamRequest request) {
        blocks.check(request);
        Token token = request.tokenSource() == null ? null : tokenFor(request);
        boolean tokenReplaced = false;
        int retries = 0;
        while (true) {
            Attempt attempt = send(request, token);
            Outcome outcome = attempt.errcode() == null
                    ? Outcome.BUSY
                    : Outcome.of(request.family(), attempt.errcode(), token != null);
            if (outcome == Outcome.OK
                    || (attempt.errcode() != null && request.answers().contains(attempt.errcode()))) {
                return attempt.response();
            }
            int code = attempt.errcode() == null ? 0 : attempt.errcode();
            switch (outcome) {
                case TOKEN_REJECTED -> {
                    if (tokenReplaced) {
                        throw failure(
                                UpstreamException.Kind.UNAVAILABLE,
                                code,
                                request,
                                "the upstream rejected a freshly fetched token too",
                                null);
                    }
                    tokenReplaced = true;
                    try {
                        token = tokens.replaceRejected(request.tokenSource(), token.value());
                    } catch (TokenUnavailableException e) {
                        throw failure(UpstreamException.Kind.UNAVAILABLE, e.errcode(), request, e.getMessage(), e);
                    }
                }
                case BUSY, CONCURRENCY -> {
                    if (retries++ >= MAX_RETRIES) {
                        throw failure(
                                UpstreamException.Kind.UNAVAILABLE,
                                code,
                                request,
                                attempt.problem() + " after " + MAX_RETRIES + " retries",
                                attempt.cause());
                    }
                    backoff(retries, outcome == Outcome.CONCURRENCY);
                }
                case BLOCKED -> throw blocks.blocked(request, code);
                case CONFIGURATION -> {
                    String fix = ConfigurationFixes.describe(request.family(), code, request.subject(), request.api());
                    alerts.raise(new Alert("upstream_config", request.subject(), fix));
                    throw failure(UpstreamException.Kind.CONFIGURATION, code, request, fix, null);
                }
                default -> throw failure(UpstreamException.Kind.REFUSED, code, request, attempt.problem(), null);
            }
        }
    }

    /**
     * A token call (gettoken, stable_token, token): its answer as the holder wants it, and its
     * failure as a {@link TokenFetchException}: permanent for configuration errors (which the
     * holder alerts, once for the whole cluster, instead of this client once per call), with the
     * block's length for a 45009.
     */
    public TokenSource.Fetched fetchToken(UpstreamRequest request) throws TokenFetchException {
        UpstreamRequest asked = new UpstreamRequest(
                request.family(),
                request.baseUrl(),
                request.api(),
                request.post(),
                request.query(),
                request.jsonBody(),
                request.tokenSource(),
                request.subject(),
                Outcome.CONFIG);
        try {
            UpstreamResponse r = call(asked);
            if (r.errcode() != 0) {
                throw new TokenFetchException(
                        ConfigurationFixes.describe(request.family(), r.errcode(), request.subject(), request.api()),
                        r.errcode(),
                        true,
                        null);
            }
            JsonNode json = r.json();
            return new TokenSource.Fetched(
                    json.path("access_token").asText(), json.path("expires_in").asLong(7200));
        } catch (UpstreamException e) {
            throw new TokenFetchException(
                    e.getMessage(),
                    e.errcode(),
                    e.kind() == UpstreamException.Kind.CONFIGURATION,
                    e.retryAfterSeconds(),
                    e);
        }
    }

    private Token tokenFor(UpstreamRequest request) {
        try {
            return tokens.token(request.tokenSource());
        } catch (TokenUnavailableException e) {
            // the holder knows how long a block or hold lasts: the caller (a sync, a 429) is told
            String text = e.getMessage().contains(request.api())
                    ? e.getMessage()
                    : request.api() + " for " + request.subject() + ": " + e.getMessage();
            throw new UpstreamException(
                    e.errcode() == 45009 ? UpstreamException.Kind.RATE_LIMITED : UpstreamException.Kind.UNAVAILABLE,
                    e.errcode(),
                    request.api(),
                    text,
                    e.retryAfterSeconds(),
                    e);
        }
    }

    /** One attempt, through the request's gate when it has one: each retry is a call the upstream counts. */
    private Attempt send(UpstreamRequest request, Token token) {
        AttemptGate gate = request.gate();
        if (gate == null) {
            return exchange(request, token);
        }
        gate.beforeAttempt();
        try {
            return exchange(request, token);
        } finally {
            gate.afterAttempt();
        }
    }

    /** One exchange, after this node's permit: each attempt is a call the upstream counts. */
    private Attempt exchange(UpstreamRequest request, Token token) {
        if (!nodeRate.tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new UpstreamException(
                    UpstreamException.Kind.RATE_LIMITED,
                    0,
                    request.api(),
                    "this node's upstream call rate (ORGSYNC_NODE_RATE) is exhausted for longer than the call time-out",
                    1,
                    null);
        }
        return http.exchange(request, token);
    }

    /** 200, 400, 800 ms (45033: 500, 1000, 2000), each plus up to half of it at random. */
    private void backoff(int retry, boolean concurrency) {
        long base = (concurrency ? 500L : 200L) << (retry - 1);
        try {
            waiter.sleep(Duration.ofMillis(base + ThreadLocalRandom.current().nextLong(base / 2 + 1)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UpstreamException(
                    UpstreamException.Kind.UNAVAILABLE, 0, "", "interrupted while backing off", 0, e);
        }
    }

    private static UpstreamException failure(
            UpstreamException.Kind kind, int errcode, UpstreamRequest request, String message, Throwable cause) {
        String text = message.contains(request.api())
                ? message
                : request.api() + " for " + request.subject() + ": " + message;
        return new UpstreamException(kind, errcode, request.api(), text, 0, cause);
    }

    @Override
    public void close() throws IOException {
        http.close();
    }
}
