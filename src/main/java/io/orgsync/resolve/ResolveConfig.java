package io.orgsync.resolve;

import io.orgsync.config.Settings;
import java.net.URI;
import java.time.Duration;

/**
 * What {@link ResolveService} needs beyond its collaborators. {@code budgetRatio}: the share of
 * active members that may get "not found" per day;
 * {@code ratePerEnterprise}: resolves a second per enterprise on this node;
 * {@code reservationLease}: how long a budget unit outlives a node that died holding it;
 * {@code recheck}: the age at which a learned mobile is confirmed with WeCom before it answers.
 */
public record ResolveConfig(
        URI wecomBaseUrl,
        double budgetRatio,
        double ratePerEnterprise,
        String instanceId,
        Duration reservationLease,
        Duration recheck) {
    public ResolveConfig(
            URI wecomBaseUrl,
            double budgetRatio,
            double ratePerEnterprise,
            String instanceId,
            Duration reservationLease) {
        this(wecomBaseUrl, budgetRatio, ratePerEnterprise, instanceId, reservationLease, Duration.ofDays(30));
    }

    public ResolveConfig {
        java.util.Objects.requireNonNull(wecomBaseUrl, "wecomBaseUrl");
        java.util.Objects.requireNonNull(instanceId, "instanceId");
        if (!(budgetRatio >= 0 && budgetRatio < 0.2)) {
            throw new IllegalArgumentException(
                    "budgetRatio must be at least 0 and below 0.2, where WeCom blocks getuserid for the day: "
                            + budgetRatio);
        }
        if (!(ratePerEnterprise >= 0 && Double.isFinite(ratePerEnterprise))) {
            throw new IllegalArgumentException(
                    "ratePerEnterprise must be a finite number of at least 0: " + ratePerEnterprise);
        }
        if (reservationLease == null || reservationLease.isNegative() || reservationLease.isZero()) {
            throw new IllegalArgumentException("reservationLease must be positive: " + reservationLease);
        }
        if (recheck == null || recheck.isNegative() || recheck.isZero()) {
            throw new IllegalArgumentException("recheck must be positive: " + recheck);
        }
    }

    public static ResolveConfig from(Settings s) {
        return new ResolveConfig(
                s.wecomBaseUrl(),
                s.resolveBudgetRatio(),
                s.resolveRate(),
                s.instanceId(),
                reservationLease(s),
                s.resolveRecheck());
    }

    /**
     * Longer than a live resolve's worst case (getuserid and user/get, each up to 4 attempts, a
     * token fetched again and one more attempt, every one within the upstream time-out, plus the
     * token waits), so that a slow call never loses its unit to another resolve.
     */
    private static Duration reservationLease(Settings s) {
        return s.upstreamTimeout()
                .multipliedBy(14)
                .plus(s.tokenWait().multipliedBy(2))
                .plusMinutes(1);
    }
}
