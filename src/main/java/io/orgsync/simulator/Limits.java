package io.orgsync.simulator;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The limits the simulator enforces. Defaults are the documented upstream ones; tests make them
 * tighter through {@code PUT /__sim/limits}. A value of 0 switches a limit off.
 */
final class Limits {
    /** Department calls (department/*, user/list, user/simplelist) per second per enterprise; 0 = off. */
    volatile long deptCallsPerSecond;
    /** Calls per minute per enterprise (or app) and API. */
    volatile long perMinute = 10_000;
    volatile long perHour = 150_000;
    /** Calls per minute per caller IP and API, across enterprises. */
    volatile long ipPerMinute = 20_000;
    volatile long ipPerHour = 600_000;
    /** Concurrent calls per enterprise and API before 45033. */
    volatile long maxConcurrent = 200;
    /** getuserid is blocked for the day once failures pass this share of the member limit. */
    volatile double getuseridFailureRatio = 0.2;
    /** getwxacodeunlimit calls per minute per app. */
    volatile long wxacodePerMinute = 5_000;
    volatile long classicTokensPerDay = 2_000;
    volatile long stableTokensPerMinute = 10_000;
    /** Wrong-secret gettoken calls per hour from one IP before the IP is banned for an hour. */
    volatile long badSecretPerHour = 100;
    /** Calls with an invalid token per hour from one IP before 45009 for an hour. */
    volatile long invalidTokenPerHour = 1_000;
    /** Token lifetime in seconds (the upstream's is 7200). */
    volatile long tokenTtlSeconds = 7_200;
    /** Whether gettoken hands out the live token again (older WeCom docs) or a new one. */
    volatile boolean wecomSameTokenWithinValidity;
    /**
     * Whether stable_token (without force_refresh) hands back a stable token that was invalidated
     * before its expiry, as the platform has been seen to do; only force_refresh replaces it then.
     */
    volatile boolean stableHandsBackInvalidated;

    Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("deptCallsPerSecond", deptCallsPerSecond);
        m.put("perMinute", perMinute);
        m.put("perHour", perHour);
        m.put("ipPerMinute", ipPerMinute);
        m.put("ipPerHour", ipPerHour);
        m.put("maxConcurrent", maxConcurrent);
        m.put("getuseridFailureRatio", getuseridFailureRatio);
        m.put("wxacodePerMinute", wxacodePerMinute);
        m.put("classicTokensPerDay", classicTokensPerDay);
        m.put("stableTokensPerMinute", stableTokensPerMinute);
        m.put("badSecretPerHour", badSecretPerHour);
        m.put("invalidTokenPerHour", invalidTokenPerHour);
        m.put("tokenTtlSeconds", tokenTtlSeconds);
        m.put("wecomSameTokenWithinValidity", wecomSameTokenWithinValidity);
        m.put("stableHandsBackInvalidated", stableHandsBackInvalidated);
        return m;
    }

    /** Applies the given fields; unknown names or bad values reject the whole update. */
    synchronized void apply(Map<String, Object> update) {
        Limits copy = new Limits();
        copy.copyFrom(this);
        for (Map.Entry<String, Object> e : update.entrySet()) {
            Object v = e.getValue();
            switch (e.getKey()) {
                case "deptCallsPerSecond" -> copy.deptCallsPerSecond = whole(e.getKey(), v);
                case "perMinute" -> copy.perMinute = whole(e.getKey(), v);
                case "perHour" -> copy.perHour = whole(e.getKey(), v);
                case "ipPerMinute" -> copy.ipPerMinute = whole(e.getKey(), v);
                case "ipPerHour" -> copy.ipPerHour = whole(e.getKey(), v);
                case "maxConcurrent" -> copy.maxConcurrent = whole(e.getKey(), v);
                case "getuseridFailureRatio" -> copy.getuseridFailureRatio = ratio(e.getKey(), v);
                case "wxacodePerMinute" -> copy.wxacodePerMinute = whole(e.getKey(), v);
                case "classicTokensPerDay" -> copy.classicTokensPerDay = whole(e.getKey(), v);
                case "stableTokensPerMinute" -> copy.stableTokensPerMinute = whole(e.getKey(), v);
                case "badSecretPerHour" -> copy.badSecretPerHour = whole(e.getKey(), v);
                case "invalidTokenPerHour" -> copy.invalidTokenPerHour = whole(e.getKey(), v);
                case "tokenTtlSeconds" -> {
                    copy.tokenTtlSeconds = whole(e.getKey(), v);
                    if (copy.tokenTtlSeconds < 1) {
                        throw new IllegalArgumentException("tokenTtlSeconds must be at least 1");
                    }
                }
                case "wecomSameTokenWithinValidity" -> {
                    if (!(v instanceof Boolean b)) {
                        throw new IllegalArgumentException("wecomSameTokenWithinValidity must be true or false");
                    }
                    copy.wecomSameTokenWithinValidity = b;
                }
                case "stableHandsBackInvalidated" -> {
                    if (!(v instanceof Boolean b)) {
                        throw new IllegalArgumentException("stableHandsBackInvalidated must be true or false");
                    }
                    copy.stableHandsBackInvalidated = b;
                }
                default -> throw new IllegalArgumentException("unknown limit '" + e.getKey() + "'; known: " + toMap().keySet());
            }
        }
        copyFrom(copy);
    }

    synchronized void reset() {
        copyFrom(new Limits());
    }

    private void copyFrom(Limits o) {
        deptCallsPerSecond = o.deptCallsPerSecond;
        perMinute = o.perMinute;
        perHour = o.perHour;
        ipPerMinute = o.ipPerMinute;
        ipPerHour = o.ipPerHour;
        maxConcurrent = o.maxConcurrent;
        getuseridFailureRatio = o.getuseridFailureRatio;
        wxacodePerMinute = o.wxacodePerMinute;
        classicTokensPerDay = o.classicTokensPerDay;
        stableTokensPerMinute = o.stableTokensPerMinute;
        badSecretPerHour = o.badSecretPerHour;
        invalidTokenPerHour = o.invalidTokenPerHour;
        tokenTtlSeconds = o.tokenTtlSeconds;
        wecomSameTokenWithinValidity = o.wecomSameTokenWithinValidity;
        stableHandsBackInvalidated = o.stableHandsBackInvalidated;
    }

    private static long whole(String name, Object v) {
        if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue()) && n.longValue() >= 0) {
            return n.longValue();
        }
        throw new IllegalArgumentException(name + " must be a whole number of 0 or more (0 switches it off)");
    }

    private static double ratio(String name, Object v) {
        if (v instanceof Number n && n.doubleValue() >= 0 && n.doubleValue() <= 1) {
            return n.doubleValue();
        }
        throw new IllegalArgumentException(name + " must be a number from 0 to 1");
    }
}
