package io.orgsync.token;

import io.micrometer.core.instrument.MeterRegistry;
import io.orgsync.alert.Alert;
import io.orgsync.alert.Alerts;
import java.sql.SQLException;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When no node of the cluster may ask the upstream for a key's token: a refusal the upstream
 * punishes when repeated puts a hold on the key's row. A refused credential (a wrong secret, an
 * unknown corp, an untrusted IP) is asked again after a minute, then 2, 4 ... up to 60 minutes
 * while it stays refused, with one alert per streak for the whole cluster; a 45009 holds the
 * key for the block's length. Every node that reads the hold remembers it and refuses locally.
 */
final class HoldRules {
    private static final Logger log = LoggerFactory.getLogger(HoldRules.class);
    /** A refused credential is asked again after this, then twice as long each time it stays refused... */
    private static final long FIRST_HOLD_MILLIS = 60_000;
    /** ...up to this: WeCom bans an IP for an hour after repeated wrong secrets. */
    private static final long LONGEST_HOLD_MILLIS = 3_600_000;

    /** One call that can fail: the plain fetch or the forced refresh. */
    interface Fetch {
        TokenSource.Fetched fetch() throws TokenFetchException;
    }

    private final TokenStore store;
    private final String owner;
    private final Clock clock;
    private final LocalTokens local;
    private final Alerts alerts;
    private final MeterRegistry metrics;

    private final PendingWrites pending;

    HoldRules(
            TokenStore store,
            String owner,
            Clock clock,
            LocalTokens local,
            PendingWrites pending,
            Alerts alerts,
            MeterRegistry metrics) {
        this.store = store;
        this.pending = pending;
        this.owner = owner;
        this.clock = clock;
        this.local = local;
        this.alerts = alerts;
        this.metrics = metrics;
    }

    /** Throws when the row holds the key; remembers the hold so that this node refuses locally. */
    void obey(String id, TokenRow row, long now) throws HeldException {
        Hold hold = row.activeHold(now);
        if (hold != null) {
            local.hold(id, hold);
            throw new HeldException(hold);
        }
    }

    /**
     * The fetch, made while holding the key's lease; a refusal that must not be repeated soon
     * becomes a hold on the row for the whole cluster ({@link HeldException}).
     */
    TokenSource.Fetched fetchOrHold(TokenSource source, TokenRow row, Fetch fetch)
            throws TokenFetchException, HeldException, SQLException {
        TokenKey key = source.key();
        try {
            TokenSource.Fetched fetched = fetch.fetch();
            metrics.counter("orgsync_token_fetches_total", "kind", key.kind().name(), "outcome", "ok")
                    .increment();
            return fetched;
        } catch (TokenFetchException e) {
            metrics.counter("orgsync_token_fetches_total", "kind", key.kind().name(), "outcome", "error")
                    .increment();
            long now = clock.millis();
            if (e.permanent()) {
                int failures = row.failCount() + 1;
                long holdMillis = Math.min(LONGEST_HOLD_MILLIS, FIRST_HOLD_MILLIS << Math.min(failures - 1, 6));
                Hold hold = new Hold(Hold.Kind.CONFIG, now + holdMillis, e.errcode(), e.getMessage());
                put(key, hold, failures, row.version());
                log.warn(
                        "The upstream refused the token of {} with errcode {} ({} time(s) in a row); no node asks again for {} s",
                        key.subject(),
                        e.errcode(),
                        failures,
                        holdMillis / 1000);
                if (failures == 1) {
                    // once per streak for the whole cluster: only the lease holder gets here
                    alerts.raise(new Alert(
                            "upstream_config",
                            key.subject(),
                            e.getMessage() + " orgsync asks again in a minute, "
                                    + "then less and less often (at most once an hour) until the setting is fixed."));
                }
                throw new HeldException(hold);
            }
            if (e.retryAfterSeconds() > 0) {
                Hold hold =
                        new Hold(Hold.Kind.BLOCKED, now + e.retryAfterSeconds() * 1000, e.errcode(), e.getMessage());
                put(key, hold, row.failCount(), row.version());
                throw new HeldException(hold);
            }
            throw e;
        }
    }

    /**
     * The hold holds from now on, on this node at once; on the row for the others too, once the
     * database answers if it does not now (else another node would ask the upstream again).
     */
    private void put(TokenKey key, Hold hold, int failures, long version) {
        local.hold(key.id(), hold);
        try {
            if (!store.hold(key.id(), owner, hold, failures)) {
                log.warn("Could not record the hold on the token of {}: this node's lease ran out", key.subject());
            }
        } catch (SQLException e) {
            log.warn(
                    "Could not record the hold on the token of {} (SQL state {}): it is recorded once the database answers",
                    key.subject(),
                    e.getSQLState());
            pending.add(
                    "the hold on the token of " + key.subject(),
                    hold.until(),
                    () -> store.holdIfUnchanged(key.id(), hold, failures, version));
        }
    }
}
