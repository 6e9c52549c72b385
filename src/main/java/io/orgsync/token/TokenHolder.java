package io.orgsync.token;

import io.micrometer.core.instrument.MeterRegistry;
import io.orgsync.alert.Alerts;
import io.orgsync.config.Settings;
import io.orgsync.logging.Failures;
import io.orgsync.store.SecretCipher;
import io.orgsync.time.Waiter;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;

/**
 * The cluster-wide token holder. Every node keeps a local copy of each token and the database
 * keeps the one the whole cluster shares:
 * <ul>
 * <li>one fetch at a time, cluster-wide, under the row's lease ({@link LeasedFetch});</li>
 * <li>within a node, concurrent callers share one refresh (this class);</li>
 * <li>a token is refreshed ahead of its expiry, in the background, while callers go on using it;</li>
 * <li>a rejected token is replaced only if it is still the stored one (compare-and-replace), so
 *     a node never throws away the token another node has just fetched;</li>
 * <li>a refusal the upstream punishes when repeated puts a hold on the row ({@link HoldRules}),
 *     while callers keep using a still-valid token;</li>
 * <li>a stable token the platform hands back after rejecting it is replaced by a forced refresh,
 *     rationed cluster-wide ({@link ForcedRefresh}: 30 s apart, {@value ForcedRefresh#FORCES_PER_DAY}
 *     a day per app);</li>
 * <li>callers wait at most {@code wait}, then get a {@link TokenUnavailableException}.</li>
 * </ul>
 */
public final class TokenHolder implements AutoCloseable {
    private final Clock clock;
    private final Duration wait;
    private final MeterRegistry metrics;
    private final LocalTokens local = new LocalTokens();
    private final LeasedFetch fetch;
    private final Map<String, CompletableFuture<Token>> inflight = new ConcurrentHashMap<>();
    private final ExecutorService fetchers = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "token-fetch");
        t.setDaemon(true);
        return t;
    });

    /**
     * What the holder needs from the settings.
     *
     * @param tokenWait    how long a caller waits for a token before giving up
     * @param refreshAhead how long before expiry a token is replaced
     * @param lease        how long one node's fetch lease lasts (renewed every third of it while a
     *                     fetch runs)
     * @param cipher       seals the stored tokens (ORGSYNC_SECRET_KEY), so that an account that
     *                     can read the table cannot call the upstream with them
     */
    public record Config(
            String instanceId, Duration tokenWait, Duration refreshAhead, Duration lease, SecretCipher cipher) {
        /** Tokens stored as they are (no ORGSYNC_SECRET_KEY). */
        public Config(String instanceId, Duration tokenWait, Duration refreshAhead, Duration lease) {
            this(instanceId, tokenWait, refreshAhead, lease, new SecretCipher(null));
        }

        public Config {
            if (lease.toMillis() < 30) {
                throw new IllegalArgumentException(
                        "the token lease must be at least 30 ms, not " + lease.toMillis() + " ms");
            }
            if (tokenWait.isNegative() || refreshAhead.isNegative()) {
                throw new IllegalArgumentException("token wait and refresh-ahead must not be negative");
            }
        }

        /** The lease outlives one upstream call with its retries (ORGSYNC_UPSTREAM_TIMEOUT_MS x 4 + 5 s). */
        public static Config from(Settings s) {
            return new Config(
                    s.instanceId(),
                    s.tokenWait(),
                    s.tokenRefreshAhead(),
                    s.upstreamTimeout().multipliedBy(4).plusSeconds(5),
                    new SecretCipher(s.secretKey()));
        }

        public Config withLease(Duration lease) {
            return new Config(instanceId, tokenWait, refreshAhead, lease, cipher);
        }
    }

    /** {@code waiter}: what a node waiting for another node's fetch polls on. */
    public TokenHolder(DataSource ds, Clock clock, Waiter waiter, Config config, Alerts alerts, MeterRegistry metrics) {
        this.clock = clock;
        this.wait = config.tokenWait();
        this.metrics = metrics;
        String owner = config.instanceId() + "/" + UUID.randomUUID().toString().substring(0, 8);
        this.fetch = new LeasedFetch(
                new TokenStore(ds, config.cipher()),
                owner,
                clock,
                waiter,
                config.tokenWait(),
                config.refreshAhead(),
                config.lease(),
                local,
                alerts,
                metrics);
        // at zero from the start: an alert rule's increase() misses a counter's first step from "absent" to 1
        for (TokenKey.Kind kind : TokenKey.Kind.values()) {
            metrics.counter("orgsync_token_invalidated_early_total", "kind", kind.name());
            metrics.counter("orgsync_token_wait_timeouts_total", "kind", kind.name());
        }
    }

    /** A usable token for the source's key: local, stored, or fetched (by one node). */
    public Token token(TokenSource source) {
        String id = source.key().id();
        long now = clock.millis();
        Token t = local.get(id);
        if (t != null && t.usable(now)) {
            // during a hold the renewal waits; the current token serves until the hold ends
            if (t.dueForRefresh(now) && local.activeHold(id, now) == null) {
                refreshInBackground(source, t.value());
            }
            return t;
        }
        return await(source, t == null ? null : t.value(), false);
    }

    /**
     * The upstream rejected {@code rejected}. Returns the token to retry with: the one another
     * node already stored, or one fetched now if the rejected token is still the stored one.
     */
    public Token replaceRejected(TokenSource source, String rejected) {
        local.drop(source.key().id(), rejected);
        return await(source, rejected, true);
    }

    private void refreshInBackground(TokenSource source, String current) {
        inflight.computeIfAbsent(source.key().id(), id -> start(source, current, false));
    }

    private Token await(TokenSource source, String stale, boolean rejected) {
        String id = source.key().id();
        long deadline = clock.millis() + wait.toMillis();
        Hold held = local.activeHold(id, clock.millis());
        if (held != null) {
            throw refusedLocally(source.key(), held);
        }
        for (int attempt = 0; attempt < 3; attempt++) {
            CompletableFuture<Token> future = inflight.computeIfAbsent(id, k -> start(source, stale, rejected));
            Token token;
            try {
                token = future.get(Math.max(1, deadline - clock.millis()), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                metrics.counter(
                                "orgsync_token_wait_timeouts_total",
                                "kind",
                                source.key().kind().name())
                        .increment();
                throw new TokenUnavailableException(
                        "No access token for " + source.key().subject() + " within " + wait.toMillis()
                                + " ms: the upstream token service is slow or unreachable. Retry later.",
                        0,
                        null);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TokenUnavailableException("Interrupted while waiting for an access token", 0, e);
            } catch (ExecutionException e) {
                inflight.remove(id, future);
                throw unavailable(source.key(), e.getCause());
            }
            // a refresh that started for another reason may hand back the very token that was rejected;
            // one started for this rejection never does (it forces a refresh or fails)
            if (stale == null || !token.value().equals(stale)) {
                return token;
            }
            inflight.remove(id, future);
        }
        throw new TokenUnavailableException(
                "The upstream keeps handing out the token it rejects for "
                        + source.key().subject() + ". Retry later.",
                0,
                null);
    }

    private CompletableFuture<Token> start(TokenSource source, String stale, boolean rejected) {
        String id = source.key().id();
        CompletableFuture<Token> future = new CompletableFuture<>();
        fetchers.execute(() -> {
            try {
                future.complete(fetch.acquire(source, stale, rejected));
            } catch (Throwable e) {
                future.completeExceptionally(e);
            } finally {
                inflight.remove(id, future);
            }
        });
        return future;
    }

    private TokenUnavailableException refusedLocally(TokenKey key, Hold hold) {
        metrics.counter(
                        "orgsync_token_held_total",
                        "kind",
                        key.kind().name(),
                        "hold",
                        hold.kind().name())
                .increment();
        return hold.unavailable(clock.millis());
    }

    private TokenUnavailableException unavailable(TokenKey key, Throwable cause) {
        if (cause instanceof HeldException held) {
            return refusedLocally(key, held.hold);
        }
        if (cause instanceof TokenFetchException e) {
            return new TokenUnavailableException(e.getMessage(), e.errcode(), e.retryAfterSeconds(), e);
        }
        if (cause instanceof SQLException) {
            return new TokenUnavailableException(
                    "The token store of " + key.subject()
                            + " is unreachable: the database is down or overloaded. Retry later.",
                    0,
                    cause);
        }
        return new TokenUnavailableException(
                "Could not get an access token for " + key.subject() + ": " + Failures.describe(cause), 0, cause);
    }

    @Override
    public void close() {
        fetch.close();
        fetchers.shutdownNow();
    }
}
