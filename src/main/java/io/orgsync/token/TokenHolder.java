package io.orgsync.token;

import io.micrometer.core.instrument.MeterRegistry;
import io.orgsync.alert.Alert;
import io.orgsync.alert.Alerts;
import io.orgsync.logging.Failures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The cluster-wide token holder. Every node keeps a local copy of each token and the database
 * keeps the one the whole cluster shares:
 * <ul>
 * <li>one fetch at a time, cluster-wide: a node fetches only while it holds the row's lease, and
 *     re-reads the row after taking it (another node may have just stored a fresh token);</li>
 * <li>within a node, concurrent callers share one refresh;</li>
 * <li>a token is refreshed ahead of its expiry, in the background, while callers go on using it;</li>
 * <li>a rejected token is replaced only if it is still the stored one (compare-and-replace), so
 *     a node never throws away the token another node has just fetched;</li>
 * <li>callers wait at most {@code wait}, then get a {@link TokenUnavailableException}.</li>
 * </ul>
 */
public final class TokenHolder implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TokenHolder.class);
    private static final long POLL_MILLIS = 50;
    /** Stable tokens rotate 5 minutes before expiry: asking earlier returns the same token. */
    private static final long STABLE_AHEAD_CAP_MILLIS = 240_000;
    /** A rejection with more life left than this means someone else invalidated our token. */
    private static final long EARLY_REJECTION_MILLIS = 600_000;
    private static final long PERMANENT_FAILURE_MILLIS = 60_000;

    private final TokenStore store;
    private final Clock clock;
    private final Duration wait;
    private final Duration refreshAhead;
    private final Duration lease;
    private final String owner;
    private final Alerts alerts;
    private final MeterRegistry metrics;
    private final Map<String, Token> local = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<Token>> inflight = new ConcurrentHashMap<>();
    private final Map<String, TokenFetchException> permanentFailures = new ConcurrentHashMap<>();
    private final Map<String, Long> permanentFailureUntil = new ConcurrentHashMap<>();
    private final ExecutorService fetchers = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "token-fetch");
        t.setDaemon(true);
        return t;
    });

    /**
     * @param wait         how long a caller waits for a token before giving up
     * @param refreshAhead how long before expiry a token is replaced
     * @param fetchTimeout the upstream call's own time-out: the lease outlives it
     */
    public TokenHolder(DataSource ds, Clock clock, Duration wait, Duration refreshAhead, Duration fetchTimeout,
                       String instanceId, Alerts alerts, MeterRegistry metrics) {
        this.store = new TokenStore(ds);
        this.clock = clock;
        this.wait = wait;
        this.refreshAhead = refreshAhead;
        this.lease = fetchTimeout.multipliedBy(4).plusSeconds(5);
        this.owner = instanceId + "/" + UUID.randomUUID().toString().substring(0, 8);
        this.alerts = alerts;
        this.metrics = metrics;
    }

    /** A usable token for the source's key: local, stored, or fetched (by one node). */
    public Token token(TokenSource source) {
        String id = source.key().id();
        long now = clock.millis();
        Token t = local.get(id);
        if (t != null && t.usable(now)) {
            if (t.dueForRefresh(now)) {
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
        local.computeIfPresent(source.key().id(), (k, v) -> v.value().equals(rejected) ? null : v);
        return await(source, rejected, true);
    }

    private void refreshInBackground(TokenSource source, String current) {
        inflight.computeIfAbsent(source.key().id(), id -> start(source, current, false));
    }

    private Token await(TokenSource source, String stale, boolean rejected) {
        String id = source.key().id();
        long deadline = clock.millis() + wait.toMillis();
        checkPermanentFailure(source.key());
        for (int attempt = 0; attempt < 3; attempt++) {
            CompletableFuture<Token> future = inflight.computeIfAbsent(id, k -> start(source, stale, rejected));
            Token token;
            try {
                token = future.get(Math.max(1, deadline - clock.millis()), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                metrics.counter("orgsync_token_wait_timeouts_total", "kind", source.key().kind().name()).increment();
                throw new TokenUnavailableException("No access token for " + source.key().subject() + " within "
                        + wait.toMillis() + " ms: the upstream token service is slow or unreachable. Retry later.", 0, null);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TokenUnavailableException("Interrupted while waiting for an access token", 0, e);
            } catch (ExecutionException e) {
                inflight.remove(id, future);
                throw unavailable(source.key(), e.getCause());
            }
            // a refresh that started for another reason may hand back the very token that was rejected
            if (stale == null || !token.value().equals(stale)) {
                return token;
            }
            inflight.remove(id, future);
        }
        throw new TokenUnavailableException("The upstream keeps handing out the token it rejects for "
                + source.key().subject() + ". Retry later.", 0, null);
    }

    private CompletableFuture<Token> start(TokenSource source, String stale, boolean rejected) {
        String id = source.key().id();
        CompletableFuture<Token> future = new CompletableFuture<>();
        fetchers.execute(() -> {
            try {
                future.complete(acquire(source, stale, rejected));
            } catch (Throwable e) {
                future.completeExceptionally(e);
            } finally {
                inflight.remove(id, future);
            }
        });
        return future;
    }

    /** Runs on a fetcher thread: finds a good stored token or, holding the lease, fetches one. */
    private Token acquire(TokenSource source, String stale, boolean rejected) throws Exception {
        String id = source.key().id();
        long giveUp = clock.millis() + lease.toMillis() + wait.toMillis();
        store.ensureRow(id);
        while (true) {
            long now = clock.millis();
            TokenStore.Row row = store.find(id).orElseThrow(() -> new SQLException("token row vanished: " + id));
            Token stored = row.token();
            if (acceptable(stored, stale, now)) {
                local.put(id, stored);
                return stored;
            }
            if (store.tryLease(id, owner, now, now + lease.toMillis())) {
                boolean stored0 = false;
                try {
                    // re-check: between our read and the lease another node may have stored a new token
                    stored = store.find(id).map(TokenStore.Row::token).orElse(null);
                    if (acceptable(stored, stale, now)) {
                        local.put(id, stored);
                        return stored;
                    }
                    if (rejected && stored != null && Objects.equals(stored.value(), stale)) {
                        alertIfEarly(source.key(), stored, now);
                    }
                    Token fresh = fetch(source, stored == null ? 0 : stored.version());
                    stored0 = store.store(id, owner, fresh, clock.millis());
                    if (!stored0) {
                        log.warn("Token for {} fetched after this node's lease ran out; using it without storing it", source.key().subject());
                    }
                    local.put(id, fresh);
                    return fresh;
                } finally {
                    if (!stored0) {
                        store.release(id, owner);
                    }
                }
            }
            if (clock.millis() > giveUp) {
                throw new TokenFetchException("another node has been fetching the token of " + source.key().subject()
                        + " for too long", 0, false, null);
            }
            Thread.sleep(POLL_MILLIS);
        }
    }

    private static boolean acceptable(Token stored, String stale, long now) {
        return stored != null && stored.usable(now) && !stored.value().equals(stale);
    }

    private Token fetch(TokenSource source, long previousVersion) throws TokenFetchException {
        TokenKey key = source.key();
        TokenSource.Fetched fetched;
        try {
            fetched = source.fetch();
        } catch (TokenFetchException e) {
            metrics.counter("orgsync_token_fetches_total", "kind", key.kind().name(), "outcome", "error").increment();
            if (e.permanent()) {
                permanentFailures.put(key.id(), e);
                permanentFailureUntil.put(key.id(), clock.millis() + PERMANENT_FAILURE_MILLIS);
            }
            throw e;
        }
        metrics.counter("orgsync_token_fetches_total", "kind", key.kind().name(), "outcome", "ok").increment();
        long now = clock.millis();
        long ttl = fetched.expiresInSeconds() * 1000;
        long ahead = key.kind() == TokenKey.Kind.MINIAPP_STABLE
                ? Math.min(refreshAhead.toMillis(), STABLE_AHEAD_CAP_MILLIS) : refreshAhead.toMillis();
        // never closer together than half a lifetime, or a short-lived token would be fetched in a loop
        long refreshAt = now + Math.max(ttl - ahead, ttl / 2);
        log.info("Fetched a new access token for {} ({}), valid {} s", key.subject(), key.kind(), fetched.expiresInSeconds());
        return new Token(fetched.value(), now + ttl, refreshAt, previousVersion + 1);
    }

    private void alertIfEarly(TokenKey key, Token rejected, long now) {
        long left = rejected.expiresAt() - now;
        if (left > EARLY_REJECTION_MILLIS) {
            metrics.counter("orgsync_token_invalidated_early_total", "kind", key.kind().name()).increment();
            alerts.raise(new Alert("token_invalidated", key.subject(), "The upstream rejected the access token of "
                    + key.subject() + " " + (left / 60_000) + " minutes before it was due to expire. Another server, "
                    + "environment or tool holding the same secret has most likely fetched a new token, which invalidates "
                    + "ours. Let orgsync be the only holder of this secret (other systems should get tokens from it), "
                    + "or give them a secret of their own."));
        }
    }

    private void checkPermanentFailure(TokenKey key) {
        Long until = permanentFailureUntil.get(key.id());
        if (until != null && clock.millis() < until) {
            TokenFetchException e = permanentFailures.get(key.id());
            throw new TokenUnavailableException(e.getMessage() + " (not retried for "
                    + (PERMANENT_FAILURE_MILLIS / 1000) + " s, to keep the IP from being banned)", e.errcode(), e);
        }
    }

    private TokenUnavailableException unavailable(TokenKey key, Throwable cause) {
        if (cause instanceof TokenFetchException e) {
            return new TokenUnavailableException(e.getMessage(), e.errcode(), e);
        }
        if (cause instanceof SQLException) {
            return new TokenUnavailableException("The token store of " + key.subject() + " is unreachable: the database is down or overloaded. Retry later.", 0, cause);
        }
        return new TokenUnavailableException("Could not get an access token for " + key.subject() + ": " + Failures.describe(cause), 0, cause);
    }

    @Override
    public void close() {
        fetchers.shutdownNow();
    }
}
