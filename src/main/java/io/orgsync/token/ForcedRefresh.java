package io.orgsync.token;

import io.micrometer.core.instrument.MeterRegistry;
import io.orgsync.alert.Alert;
import io.orgsync.alert.Alerts;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The budget of forced refreshes. WeChat may hand back a stable token it has just rejected; only
 * {@code force_refresh} replaces it, which WeChat allows 20 times a day and 30 s apart. The
 * cluster sends at most one per {@link #FORCE_SPACING_MILLIS} and {@link #FORCES_PER_DAY} a day
 * per app, counted on the key's row (China's calendar day). Past that the token is dropped, the
 * key held until a forced refresh is allowed, and an alert raised.
 */
final class ForcedRefresh {
    private static final Logger log = LoggerFactory.getLogger(ForcedRefresh.class);
    /** WeChat refuses a second force_refresh within 30 s. */
    static final long FORCE_SPACING_MILLIS = 30_000;
    /** WeChat allows 20 forced refreshes a day; orgsync leaves most of them to people. */
    static final int FORCES_PER_DAY = 5;
    /** WeChat counts its daily quotas by China's calendar day. */
    private static final ZoneId WECHAT_DAY = ZoneId.of("Asia/Shanghai");

    private final TokenStore store;
    private final String owner;
    private final Clock clock;
    private final LocalTokens local;
    private final HoldRules holds;
    private final Alerts alerts;
    private final MeterRegistry metrics;

    ForcedRefresh(
            TokenStore store,
            String owner,
            Clock clock,
            LocalTokens local,
            HoldRules holds,
            Alerts alerts,
            MeterRegistry metrics) {
        this.store = store;
        this.owner = owner;
        this.clock = clock;
        this.local = local;
        this.holds = holds;
        this.alerts = alerts;
        this.metrics = metrics;
    }

    /**
     * The platform handed back {@code handedBack}, the token it has just rejected: a forced
     * refresh if the budget allows one and the source can be forced, otherwise (or if even that
     * hands it back) a {@link HeldException}. The lease on the key's row is ours.
     */
    TokenSource.Fetched replace(TokenSource source, TokenRow row, String handedBack)
            throws TokenFetchException, HeldException, SQLException {
        TokenKey key = source.key();
        if (!source.forceRefreshable()) {
            throw new TokenFetchException(
                    "the upstream hands back the access token it has just rejected for " + key.subject()
                            + "; retry later",
                    0,
                    false,
                    null);
        }
        long now = clock.millis();
        int day =
                (int) LocalDate.ofInstant(Instant.ofEpochMilli(now), WECHAT_DAY).toEpochDay();
        int today = row.forcesOn(day);
        String stuck = "WeChat keeps handing back the access token of " + key.subject() + " that it rejects";
        long allowedAt;
        if (row.forceAt() != null && now - row.forceAt() < FORCE_SPACING_MILLIS) {
            allowedAt = row.forceAt() + FORCE_SPACING_MILLIS;
            stuck += ", and a forced refresh was sent less than " + FORCE_SPACING_MILLIS / 1000 + " s ago";
        } else if (today >= FORCES_PER_DAY) {
            allowedAt = LocalDate.ofEpochDay(day + 1L)
                    .atStartOfDay(WECHAT_DAY)
                    .toInstant()
                    .toEpochMilli();
            stuck += ", and orgsync has used today's " + FORCES_PER_DAY
                    + " forced refreshes for this app (WeChat allows 20 a day; " + "the rest are left for people)";
        } else {
            store.recordForce(key.id(), owner, now, day, today + 1);
            metrics.counter(
                            "orgsync_token_forced_refreshes_total",
                            "kind",
                            key.kind().name())
                    .increment();
            log.info(
                    "The platform handed back the rejected token of {}; forcing a refresh ({} of {} today)",
                    key.subject(),
                    today + 1,
                    FORCES_PER_DAY);
            TokenSource.Fetched forced = holds.fetchOrHold(source, row, source::forceRefresh);
            if (!forced.value().equals(handedBack)) {
                return forced;
            }
            allowedAt = now + FORCE_SPACING_MILLIS;
            stuck += ", even after a forced refresh";
        }
        String at = Instant.ofEpochMilli(allowedAt + 999)
                .truncatedTo(ChronoUnit.SECONDS)
                .toString();
        String reason = stuck + ". The next forced refresh is allowed at " + at + "; retry after that.";
        Hold hold = new Hold(Hold.Kind.REJECTED, allowedAt, 40001, reason);
        local.hold(key.id(), hold);
        local.drop(key.id(), handedBack);
        if (!store.dropRejected(key.id(), owner, TokenKey.fingerprint(handedBack), hold)) {
            log.warn("Could not record the hold on the token of {}: this node's lease ran out", key.subject());
        }
        alerts.raise(new Alert(
                "token_stuck", key.subject(), reason + " Until then calls that need this token fail with 503."));
        throw new HeldException(hold);
    }
}
