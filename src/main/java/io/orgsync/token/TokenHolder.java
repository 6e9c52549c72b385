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
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The cluster-wide token holder. Every node keeps a local copy of each token and the database
 * keeps the one the whole cluster shares:
 * <ul>
 * <li>one fetch at a time, cluster-wide: a node fetches only while it holds the row's lease, and
 *     re-reads the row after taking it (another node may have just stored a fresh token); the
 *     lease is renewed while the fetch runs, so a slow fetch never lets a second node in;</li>
 * <li>within a node, concurrent callers share one refresh;</li>
 * <li>a token is refreshed ahead of its expiry, in the background, while callers go on using it;</li>
 * <li>a rejected token is replaced only if it is still the stored one (compare-and-replace), so
 *     a node never throws away the token another node has just fetched;</li>
 * <li>a refusal the upstream punishes when repeated (a wrong secret, a 45009 block) puts a hold
 *     on the row: no node asks again before it ends, while callers keep using a still-valid
 *     token; a wrong secret is held 1, 2, 4 ... up to 60 minutes while it stays wrong;</li>
 * <li>a stable token the platform hands back after rejecting it is replaced by a forced refresh,
 *     rationed cluster-wide (30 s apart, {@value #FORCES_PER_DAY} a day per app);</li>
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
    /** A refused credential is asked again after this, then twice as long each time it stays refused... */
    private static final long FIRST_HOLD_MILLIS = 60_000;
    /** ...up to this: WeCom bans an IP for an hour after repeated wrong secrets. */
    private static final long LONGEST_HOLD_MILLIS = 3_600_000;
    /** WeChat refuses a second force_refresh within 30 s. */
    static final long FORCE_SPACING_MILLIS = 30_000;
    /** WeChat allows 20 forced refreshes a day; orgsync leaves most of them to people. */
    static final int FORCES_PER_DAY = 5;
    /** WeChat counts its daily quotas by China's calendar day. */
    private static final ZoneId WECHAT_DAY = ZoneId.of("Asia/Shanghai");
    /** A fetch keeps its lease for at most this many lease lengths (by default 10 x 25 s). */
    private static final int MAX_RENEWALS = 10;

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
    /** The holds this node has seen, so that it refuses locally instead of reading the row on every call. */
    private final Map<String, Hold> holds = new ConcurrentHashMap<>();
    private final ExecutorService fetchers = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "token-fetch");
        t.setDaemon(true);
        return t;
    });
    private final ScheduledExecutorService leaseRenewals = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "token-lease");
        t.setDaemon(true);
        return t;
    });

    /**
     * @param wait         how long a caller waits for a token before giving up
     * @param refreshAhead how long before expiry a token is replaced
     * @param fetchTimeout the upstream call's own time-out: the lease outlives one call with its
     *                     retries, and is renewed while a fetch takes longer
     */
    public TokenHolder(DataSource ds, Clock clock, Duration wait, Duration refreshAhead, Duration fetchTimeout,
                       String instanceId, Alerts alerts, MeterRegistry metrics) {
        this(ds, clock, wait, refreshAhead, instanceId, alerts, metrics, fetchTimeout.multipliedBy(4).plusSeconds(5));
    }

    private TokenHolder(DataSource ds, Clock clock, Duration wait, Duration refreshAhead, String instanceId, Alerts alerts,
                        MeterRegistry metrics, Duration lease) {
        if (lease.toMillis() < 30) {
            throw new IllegalArgumentException("the token lease must be at least 30 ms, not " + lease.toMillis() + " ms");
        }
        this.store = new TokenStore(ds);
        this.clock = clock;
        this.wait = wait;
        this.refreshAhead = refreshAhead;
        this.lease = lease;
        this.owner = instanceId + "/" + UUID.randomUUID().toString().substring(0, 8);
        this.alerts = alerts;
        this.metrics = metrics;
        // at zero from the start: an alert rule's increase() misses a counter's first step from "absent" to 1
        for (TokenKey.Kind kind : TokenKey.Kind.values()) {
            metrics.counter("orgsync_token_invalidated_early_total", "kind", kind.name());
            metrics.counter("orgsync_token_wait_timeouts_total", "kind", kind.name());
        }
    }

    /** A holder whose fetch lease lasts {@code lease} (renewed every third of it while a fetch runs). */
    public static TokenHolder withLease(DataSource ds, Clock clock, Duration wait, Duration refreshAhead, Duration lease,
                                        String instanceId, Alerts alerts, MeterRegistry metrics) {
        return new TokenHolder(ds, clock, wait, refreshAhead, instanceId, alerts, metrics, lease);
    }

    /** A usable token for the source's key: local, stored, or fetched (by one node). */
    public Token token(TokenSource source) {
        String id = source.key().id();
        long now = clock.millis();
        Token t = local.get(id);
        if (t != null && t.usable(now)) {
            // during a hold the renewal waits; the current token serves until the hold ends
            if (t.dueForRefresh(now) && activeHold(id, now) == null) {
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
        Hold held = activeHold(id, clock.millis());
        if (held != null) {
            throw refusedLocally(source.key(), held);
        }
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
            // a refresh that started for another reason may hand back the very token that was rejected;
            // one started for this rejection never does (it forces a refresh or fails)
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
            TokenStore.Row row = find(id);
            if (acceptable(row.token(), stale, now)) {
                return adopt(id, row.token());
            }
            obeyHold(id, row, now);
            if (store.tryLease(id, owner, now, now + lease.toMillis())) {
                long every = Math.max(10, lease.toMillis() / 3);
                long renewUntil = now + MAX_RENEWALS * lease.toMillis();
                ScheduledFuture<?> renewal = leaseRenewals.scheduleAtFixedRate(() -> renewLease(source.key(), renewUntil), every, every,
                        TimeUnit.MILLISECONDS);
                try {
                    // re-check: between our read and the lease another node may have stored a new token or a hold
                    now = clock.millis();
                    row = find(id);
                    if (acceptable(row.token(), stale, now)) {
                        return adopt(id, row.token());
                    }
                    obeyHold(id, row, now);
                    return fetchHoldingLease(source, row, stale, rejected);
                } finally {
                    renewal.cancel(false);
                    // a no-op when the token or a hold was stored, which gave the lease back
                    store.release(id, owner);
                }
            }
            if (clock.millis() > giveUp) {
                throw new TokenFetchException("another node has been fetching the token of " + source.key().subject()
                        + " for too long", 0, false, null);
            }
            Thread.sleep(POLL_MILLIS);
        }
    }

    private TokenStore.Row find(String id) throws SQLException {
        return store.find(id).orElseThrow(() -> new SQLException("token row vanished: " + id));
    }

    private Token adopt(String id, Token stored) {
        local.put(id, stored);
        return stored;
    }

    private static boolean acceptable(Token stored, String stale, long now) {
        return stored != null && stored.usable(now) && !stored.value().equals(stale);
    }

    /** Fetches, stores and returns a new token; the lease is ours. */
    private Token fetchHoldingLease(TokenSource source, TokenStore.Row row, String stale, boolean rejected) throws Exception {
        TokenKey key = source.key();
        Token stored = row.token();
        if (rejected && stored != null && Objects.equals(stored.value(), stale)) {
            alertIfEarly(key, stored, clock.millis());
        }
        TokenSource.Fetched fetched = fetchOrHold(source, row, source::fetch);
        String value = fetched.value();
        boolean handedBack = (rejected && value.equals(stale))
                || (row.rejectedHash() != null && row.rejectedHash().equals(TokenKey.fingerprint(value)));
        if (handedBack) {
            fetched = replaceHandedBack(source, row, value);
        }
        Token fresh = tokenOf(key, fetched, row.version());
        if (!store.store(key.id(), owner, fresh, clock.millis())) {
            log.warn("Token for {} fetched after this node's lease ran out; using it without storing it", key.subject());
        }
        holds.remove(key.id());
        return adopt(key.id(), fresh);
    }

    /** One call that can fail: the plain fetch or the forced refresh. */
    private interface Fetch {
        TokenSource.Fetched fetch() throws TokenFetchException;
    }

    /** The fetch; a refusal that must not be repeated soon becomes a hold on the row for the whole cluster. */
    private TokenSource.Fetched fetchOrHold(TokenSource source, TokenStore.Row row, Fetch fetch) throws Exception {
        TokenKey key = source.key();
        try {
            TokenSource.Fetched fetched = fetch.fetch();
            metrics.counter("orgsync_token_fetches_total", "kind", key.kind().name(), "outcome", "ok").increment();
            return fetched;
        } catch (TokenFetchException e) {
            metrics.counter("orgsync_token_fetches_total", "kind", key.kind().name(), "outcome", "error").increment();
            long now = clock.millis();
            if (e.permanent()) {
                int failures = row.failCount() + 1;
                long holdMillis = Math.min(LONGEST_HOLD_MILLIS, FIRST_HOLD_MILLIS << Math.min(failures - 1, 6));
                Hold hold = new Hold(Hold.Kind.CONFIG, now + holdMillis, e.errcode(), e.getMessage());
                putHold(key, hold, failures);
                log.warn("The upstream refused the token of {} with errcode {} ({} time(s) in a row); no node asks again for {} s",
                        key.subject(), e.errcode(), failures, holdMillis / 1000);
                if (failures == 1) {
                    // once per streak for the whole cluster: only the lease holder gets here
                    alerts.raise(new Alert("upstream_config", key.subject(), e.getMessage() + " orgsync asks again in a minute, "
                            + "then less and less often (at most once an hour) until the setting is fixed."));
                }
                throw new HeldException(hold);
            }
            if (e.retryAfterSeconds() > 0) {
                Hold hold = new Hold(Hold.Kind.BLOCKED, now + e.retryAfterSeconds() * 1000, e.errcode(), e.getMessage());
                putHold(key, hold, row.failCount());
                throw new HeldException(hold);
            }
            throw e;
        }
    }

    private void putHold(TokenKey key, Hold hold, int failures) throws SQLException {
        holds.put(key.id(), hold);
        if (!store.hold(key.id(), owner, hold, failures)) {
            log.warn("Could not record the hold on the token of {}: this node's lease ran out", key.subject());
        }
    }

    /**
     * The platform handed back the token it has just rejected. A stable token can be replaced by
     * a forced refresh, which WeChat allows 20 times a day and 30 s apart: the cluster sends at
     * most one per {@link #FORCE_SPACING_MILLIS} and {@link #FORCES_PER_DAY} a day per app, counted
     * on the row. Otherwise the token is dropped, the key held until a forced refresh is allowed,
     * and an alert raised.
     */
    private TokenSource.Fetched replaceHandedBack(TokenSource source, TokenStore.Row row, String handedBack) throws Exception {
        TokenKey key = source.key();
        if (!source.forceRefreshable()) {
            throw new TokenFetchException("the upstream hands back the access token it has just rejected for " + key.subject()
                    + "; retry later", 0, false, null);
        }
        long now = clock.millis();
        int day = (int) LocalDate.ofInstant(Instant.ofEpochMilli(now), WECHAT_DAY).toEpochDay();
        int today = row.forcesOn(day);
        String stuck = "WeChat keeps handing back the access token of " + key.subject() + " that it rejects";
        long allowedAt;
        if (row.forceAt() != null && now - row.forceAt() < FORCE_SPACING_MILLIS) {
            allowedAt = row.forceAt() + FORCE_SPACING_MILLIS;
            stuck += ", and a forced refresh was sent less than " + FORCE_SPACING_MILLIS / 1000 + " s ago";
        } else if (today >= FORCES_PER_DAY) {
            allowedAt = LocalDate.ofEpochDay(day + 1L).atStartOfDay(WECHAT_DAY).toInstant().toEpochMilli();
            stuck += ", and orgsync has used today's " + FORCES_PER_DAY + " forced refreshes for this app (WeChat allows 20 a day; "
                    + "the rest are left for people)";
        } else {
            store.recordForce(key.id(), owner, now, day, today + 1);
            metrics.counter("orgsync_token_forced_refreshes_total", "kind", key.kind().name()).increment();
            log.info("The platform handed back the rejected token of {}; forcing a refresh ({} of {} today)", key.subject(),
                    today + 1, FORCES_PER_DAY);
            TokenSource.Fetched forced = fetchOrHold(source, row, source::forceRefresh);
            if (!forced.value().equals(handedBack)) {
                return forced;
            }
            allowedAt = now + FORCE_SPACING_MILLIS;
            stuck += ", even after a forced refresh";
        }
        String at = Instant.ofEpochMilli(allowedAt + 999).truncatedTo(ChronoUnit.SECONDS).toString();
        String reason = stuck + ". The next forced refresh is allowed at " + at + "; retry after that.";
        Hold hold = new Hold(Hold.Kind.REJECTED, allowedAt, 40001, reason);
        holds.put(key.id(), hold);
        local.computeIfPresent(key.id(), (k, v) -> v.value().equals(handedBack) ? null : v);
        if (!store.dropRejected(key.id(), owner, TokenKey.fingerprint(handedBack), hold)) {
            log.warn("Could not record the hold on the token of {}: this node's lease ran out", key.subject());
        }
        alerts.raise(new Alert("token_stuck", key.subject(), reason + " Until then calls that need this token fail with 503."));
        throw new HeldException(hold);
    }

    private Token tokenOf(TokenKey key, TokenSource.Fetched fetched, long previousVersion) {
        long now = clock.millis();
        long ttl = fetched.expiresInSeconds() * 1000;
        long ahead = key.kind() == TokenKey.Kind.MINIAPP_STABLE
                ? Math.min(refreshAhead.toMillis(), STABLE_AHEAD_CAP_MILLIS) : refreshAhead.toMillis();
        // never closer together than half a lifetime, or a short-lived token would be fetched in a loop
        long refreshAt = now + Math.max(ttl - ahead, ttl / 2);
        log.info("Fetched a new access token for {} ({}), valid {} s", key.subject(), key.kind(), fetched.expiresInSeconds());
        return new Token(fetched.value(), now + ttl, refreshAt, previousVersion + 1);
    }

    private void renewLease(TokenKey key, long renewUntil) {
        if (clock.millis() > renewUntil) {
            // the calls' own time-outs end any real fetch long before this: a stuck thread must not hold the key for ever
            return;
        }
        try {
            if (!store.extendLease(key.id(), owner, clock.millis() + lease.toMillis())) {
                log.warn("The token lease of {} was lost while fetching", key.subject());
            }
        } catch (SQLException e) {
            log.warn("Could not renew the token lease of {}: SQL state {}", key.subject(), e.getSQLState());
        } catch (RuntimeException e) {
            log.warn("Could not renew the token lease of {}: {}", key.subject(), e.getClass().getSimpleName());
        }
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

    /** The hold this node knows of for the key, if it has not ended. */
    private Hold activeHold(String id, long now) {
        Hold hold = holds.get(id);
        if (hold != null && hold.until() <= now) {
            holds.remove(id, hold);
            return null;
        }
        return hold;
    }

    /** Throws when the row holds the key; remembers the hold so that this node refuses locally. */
    private void obeyHold(String id, TokenStore.Row row, long now) throws HeldException {
        Hold hold = row.activeHold(now);
        if (hold != null) {
            holds.put(id, hold);
            throw new HeldException(hold);
        }
    }

    private TokenUnavailableException refusedLocally(TokenKey key, Hold hold) {
        metrics.counter("orgsync_token_held_total", "kind", key.kind().name(), "hold", hold.kind().name()).increment();
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
            return new TokenUnavailableException("The token store of " + key.subject() + " is unreachable: the database is down or overloaded. Retry later.", 0, cause);
        }
        return new TokenUnavailableException("Could not get an access token for " + key.subject() + ": " + Failures.describe(cause), 0, cause);
    }

    /** The key is held: thrown on the fetcher thread, turned into the hold's failure for the caller. */
    private static final class HeldException extends Exception {
        final Hold hold;

        HeldException(Hold hold) {
            super(hold.reason(), null, false, false);
            this.hold = hold;
        }
    }

    @Override
    public void close() {
        leaseRenewals.shutdownNow();
        fetchers.shutdownNow();
    }
}
