package io.orgsync.token;

import io.micrometer.core.instrument.MeterRegistry;
import io.orgsync.alert.Alert;
import io.orgsync.alert.Alerts;
import io.orgsync.time.Waiter;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How one node gets a key's token from the row or the upstream, one fetch at a time cluster-wide:
 * adopt a good stored token; else obey the row's hold; else take the row's lease (or poll the row
 * while another node holds it), re-read the row (another node may have just stored a token or a
 * hold), and only then fetch, store the token and give the lease back ({@link FetchLease} renews
 * it while the fetch runs).
 */
final class LeasedFetch implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LeasedFetch.class);
    private static final Duration POLL = Duration.ofMillis(50);
    /** Stable tokens rotate 5 minutes before expiry: asking earlier returns the same token. */
    private static final long STABLE_AHEAD_CAP_MILLIS = 240_000;
    /** A rejection with more life left than this means someone else invalidated our token. */
    private static final long EARLY_REJECTION_MILLIS = 600_000;

    private final TokenStore store;
    private final String owner;
    private final Clock clock;
    private final Waiter waiter;
    private final Duration wait;
    private final Duration refreshAhead;
    private final Duration lease;
    private final LocalTokens local;
    private final HoldRules holds;
    private final ForcedRefresh forced;
    private final Alerts alerts;
    private final MeterRegistry metrics;
    private final PendingWrites pending;
    private final FetchLease leases;
    /** Apart from the renewals: a retry may wait for a connection as long as the pool's time-out. */
    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "token-pending-writes");
        t.setDaemon(true);
        return t;
    });

    LeasedFetch(
            TokenStore store,
            String owner,
            Clock clock,
            Waiter waiter,
            Duration wait,
            Duration refreshAhead,
            Duration lease,
            LocalTokens local,
            Alerts alerts,
            MeterRegistry metrics) {
        this.store = store;
        this.owner = owner;
        this.clock = clock;
        this.waiter = waiter;
        this.wait = wait;
        this.refreshAhead = refreshAhead;
        this.lease = lease;
        this.local = local;
        this.pending = new PendingWrites(clock, retries);
        this.leases = new FetchLease(store, owner, clock, lease, pending);
        this.holds = new HoldRules(store, owner, clock, local, pending, alerts, metrics);
        this.forced = new ForcedRefresh(store, owner, clock, local, holds, alerts, metrics);
        this.alerts = alerts;
        this.metrics = metrics;
    }

    /**
     * Runs on a fetcher thread: finds a good stored token or, holding the lease, fetches one.
     * {@code stale} is the token the caller has and does not want back; {@code rejected} says
     * that the upstream rejected it.
     */
    Token acquire(TokenSource source, String stale, boolean rejected) throws Exception {
        String id = source.key().id();
        long giveUp = clock.millis() + lease.toMillis() + wait.toMillis();
        store.ensureRow(id);
        while (true) {
            long now = clock.millis();
            TokenRow row = find(id);
            if (acceptable(row.token(), stale, now)) {
                return local.adopt(id, row.token());
            }
            holds.obey(id, row, now);
            if (store.tryLease(id, owner, now, now + lease.toMillis())) {
                try (FetchLease.Held held = leases.renewed(source.key(), now)) {
                    // re-check: between our read and the lease another node may have stored a new token or a hold
                    now = clock.millis();
                    row = find(id);
                    if (acceptable(row.token(), stale, now)) {
                        return local.adopt(id, row.token());
                    }
                    holds.obey(id, row, now);
                    return fetchHoldingLease(source, row, stale, rejected);
                }
            }
            if (clock.millis() > giveUp) {
                throw new TokenFetchException(
                        "another node has been fetching the token of "
                                + source.key().subject() + " for too long",
                        0,
                        false,
                        null);
            }
            waiter.sleep(POLL);
        }
    }

    private TokenRow find(String id) throws SQLException {
        return store.find(id).orElseThrow(() -> new SQLException("token row vanished: " + id));
    }

    private static boolean acceptable(Token stored, String stale, long now) {
        return stored != null && stored.usable(now) && !stored.value().equals(stale);
    }

    /** Fetches, stores and returns a new token; the lease is ours. */
    private Token fetchHoldingLease(TokenSource source, TokenRow row, String stale, boolean rejected) throws Exception {
        TokenKey key = source.key();
        Token stored = row.token();
        if (rejected && stored != null && Objects.equals(stored.value(), stale)) {
            alertIfEarly(key, stored, clock.millis());
        }
        TokenSource.Fetched fetched = holds.fetchOrHold(source, row, source::fetch);
        String value = fetched.value();
        boolean handedBack = (rejected && value.equals(stale))
                || (row.rejectedHash() != null && row.rejectedHash().equals(TokenKey.fingerprint(value)));
        if (handedBack) {
            fetched = forced.replace(source, row, value);
        }
        Token fresh = tokenOf(key, fetched, row.version());
        try {
            if (!store.store(key.id(), owner, fresh, clock.millis())) {
                log.warn(
                        "Token for {} fetched after this node's lease ran out; using it without storing it",
                        key.subject());
            }
        } catch (SQLException e) {
            // the upstream answered: the token is good, and asking again would only replace it
            log.warn(
                    "Could not store the token fetched for {} (SQL state {}): this node uses it, and stores it once "
                            + "the database answers",
                    key.subject(),
                    e.getSQLState());
            pending.add(
                    "the token fetched for " + key.subject(),
                    fresh.refreshAt(),
                    () -> store.store(key.id(), owner, fresh, clock.millis()));
        }
        local.endHold(key.id());
        return local.adopt(key.id(), fresh);
    }

    private Token tokenOf(TokenKey key, TokenSource.Fetched fetched, long previousVersion) {
        long now = clock.millis();
        long ttl = fetched.expiresInSeconds() * 1000;
        long ahead = key.kind() == TokenKey.Kind.MINIAPP_STABLE
                ? Math.min(refreshAhead.toMillis(), STABLE_AHEAD_CAP_MILLIS)
                : refreshAhead.toMillis();
        // never closer together than half a lifetime, or a short-lived token would be fetched in a loop
        long refreshAt = now + Math.max(ttl - ahead, ttl / 2);
        log.info(
                "Fetched a new access token for {} ({}), valid {} s",
                key.subject(),
                key.kind(),
                fetched.expiresInSeconds());
        return new Token(fetched.value(), now + ttl, refreshAt, previousVersion + 1);
    }

    private void alertIfEarly(TokenKey key, Token rejected, long now) {
        long left = rejected.expiresAt() - now;
        if (left > EARLY_REJECTION_MILLIS) {
            metrics.counter(
                            "orgsync_token_invalidated_early_total",
                            "kind",
                            key.kind().name())
                    .increment();
            alerts.raise(new Alert(
                    "token_invalidated",
                    key.subject(),
                    "The upstream rejected the access token of "
                            + key.subject() + " " + (left / 60_000)
                            + " minutes before it was due to expire. Another server, "
                            + "environment or tool holding the same secret has most likely fetched a new token, which invalidates "
                            + "ours. Let orgsync be the only holder of this secret (other systems should get tokens from it), "
                            + "or give them a secret of their own."));
        }
    }

    @Override
    public void close() {
        leases.close();
        retries.shutdownNow();
    }
}
