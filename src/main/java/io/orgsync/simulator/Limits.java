package io.orgsync.simulator;

/**
 * The limits the simulator enforces, as one value: calls read one consistent set. The defaults
 * are the documented upstream ones; tests make them tighter through {@code PUT /__sim/limits}.
 * A count of 0 switches that limit off.
 *
 * @param deptCallsPerSecond     department calls (department/*, user/list, user/simplelist) per second per enterprise
 * @param perMinute              calls per minute per enterprise (or app) and API
 * @param perHour                calls per hour per enterprise (or app) and API
 * @param ipPerMinute            calls per minute per caller IP and API, across enterprises
 * @param ipPerHour              calls per hour per caller IP and API, across enterprises
 * @param maxConcurrent          concurrent calls per enterprise and API before 45033
 * @param getuseridFailureRatio  getuserid is blocked for the day once failures pass this share of the member limit
 * @param wxacodePerMinute       getwxacodeunlimit calls per minute per app
 * @param classicTokensPerDay    classic mini-program tokens per app and day
 * @param stableTokensPerMinute  stable_token calls per minute per app
 * @param badSecretPerHour       wrong-secret gettoken calls per hour from one IP before the IP is banned for an hour
 * @param invalidTokenPerHour    calls with an invalid token per hour from one IP before 45009 for an hour
 * @param tokenTtlSeconds        token lifetime in seconds (the upstream's is 7200)
 * @param wecomSameTokenWithinValidity whether gettoken hands out the live token again (older WeCom docs) or a new one
 * @param stableHandsBackInvalidated   whether stable_token (without force_refresh) hands back a stable token that was
 *                               invalidated before its expiry, as the platform has been seen to do; only
 *                               force_refresh replaces it then
 * @param listIdPageRows         the most rows a user/list_id page answers, whatever the {@code limit} asked (0: the
 *                               limit's, as WeCom's documented default); WeCom calls the limit the rows it
 *                               "expects", so a client follows {@code next_cursor} however short a page is, and
 *                               tests see several pages without an org of 10,000 memberships
 */
record Limits(
        long deptCallsPerSecond,
        long perMinute,
        long perHour,
        long ipPerMinute,
        long ipPerHour,
        long maxConcurrent,
        double getuseridFailureRatio,
        long wxacodePerMinute,
        long classicTokensPerDay,
        long stableTokensPerMinute,
        long badSecretPerHour,
        long invalidTokenPerHour,
        long tokenTtlSeconds,
        boolean wecomSameTokenWithinValidity,
        boolean stableHandsBackInvalidated,
        long listIdPageRows) {

    static final Limits DEFAULTS = new Limits(
            0, 10_000, 150_000, 20_000, 600_000, 200, 0.2, 5_000, 2_000, 10_000, 100, 1_000, 7_200, false, false, 0);

    Limits {
        count("deptCallsPerSecond", deptCallsPerSecond);
        count("perMinute", perMinute);
        count("perHour", perHour);
        count("ipPerMinute", ipPerMinute);
        count("ipPerHour", ipPerHour);
        count("maxConcurrent", maxConcurrent);
        if (getuseridFailureRatio < 0 || getuseridFailureRatio > 1) {
            throw new IllegalArgumentException("getuseridFailureRatio must be a number from 0 to 1");
        }
        count("wxacodePerMinute", wxacodePerMinute);
        count("classicTokensPerDay", classicTokensPerDay);
        count("stableTokensPerMinute", stableTokensPerMinute);
        count("badSecretPerHour", badSecretPerHour);
        count("invalidTokenPerHour", invalidTokenPerHour);
        count("tokenTtlSeconds", tokenTtlSeconds);
        count("listIdPageRows", listIdPageRows);
        if (tokenTtlSeconds < 1) {
            throw new IllegalArgumentException("tokenTtlSeconds must be at least 1");
        }
    }

    long tokenTtlMillis() {
        return tokenTtlSeconds * 1000;
    }

    private static void count(String name, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must be a whole number of 0 or more (0 switches it off)");
        }
    }
}
