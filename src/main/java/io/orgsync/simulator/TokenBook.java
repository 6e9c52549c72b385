package io.orgsync.simulator;

import java.security.SecureRandom;
import java.time.LocalDate;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Issues and checks access tokens with the upstream semantics:
 * WeCom tokens live 2 hours and can be revoked early; a classic mini-program token makes every
 * earlier one of the app expire 5 minutes later; a stable token is handed out unchanged until
 * 5 minutes before its expiry, when a new one overlaps it.
 */
final class TokenBook {
    static final long OVERLAP_MILLIS = 300_000;
    private static final SecureRandom RANDOM = new SecureRandom();

    enum Check {
        VALID,
        MISSING,
        UNKNOWN,
        REVOKED,
        EXPIRED
    }

    record Lookup(Check check, SimToken token) {}

    private final Map<String, SimToken> byValue = new ConcurrentHashMap<>();
    /** Newest token per key ("corpId", "corpId/contact", "appId/classic", "appId/stable"). */
    private final Map<String, SimToken> newest = new ConcurrentHashMap<>();

    private final Map<String, LongAdder> issued = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> fetches = new ConcurrentHashMap<>();
    private final Map<String, ForceRefreshes> forceRefreshes = new ConcurrentHashMap<>();
    /** Forced stable-token refreshes granted, per app, for the statistics (the quota above is separate). */
    private final Map<String, LongAdder> forced = new ConcurrentHashMap<>();

    private static final class ForceRefreshes {
        LocalDate day;
        int count;
        long last;
    }

    static String key(SimToken.Kind kind, String subject) {
        return switch (kind) {
            case WECOM_APP -> subject;
            case WECOM_CONTACT -> subject + "/contact";
            case CLASSIC -> subject + "/classic";
            case STABLE -> subject + "/stable";
        };
    }

    /** WeCom gettoken. With {@code reuse}, a live token of the same secret is handed out again. */
    synchronized SimToken wecom(SimToken.Kind kind, String corpId, long now, long ttlMillis, boolean reuse) {
        SimToken current = newest.get(key(kind, corpId));
        if (reuse && current != null && current.live(now)) {
            countFetch(current);
            return current;
        }
        return issue(kind, corpId, now, ttlMillis);
    }

    /** Classic mini-program token: a new one every time; the earlier ones die 5 minutes later. */
    synchronized SimToken classic(String appId, long now, long ttlMillis) {
        for (SimToken t : byValue.values()) {
            if (t.kind == SimToken.Kind.CLASSIC && t.subject.equals(appId)) {
                t.expireNoLaterThan(now + OVERLAP_MILLIS);
            }
        }
        return issue(SimToken.Kind.CLASSIC, appId, now, ttlMillis);
    }

    /**
     * Stable token. Returns null when a forced refresh is over its quota. With
     * {@code handBackInvalidated}, a token invalidated before its expiry is handed out again
     * until a forced refresh replaces it.
     */
    synchronized SimToken stable(
            String appId,
            long now,
            long ttlMillis,
            boolean forceRefresh,
            LocalDate today,
            boolean handBackInvalidated) {
        SimToken current = newest.get(key(SimToken.Kind.STABLE, appId));
        if (forceRefresh) {
            ForceRefreshes quota = forceRefreshes.computeIfAbsent(appId, k -> new ForceRefreshes());
            if (!today.equals(quota.day)) {
                quota.day = today;
                quota.count = 0;
            }
            if (quota.count >= 20 || (quota.last > 0 && now - quota.last < 30_000)) {
                return null;
            }
            quota.count++;
            quota.last = now;
            forced.computeIfAbsent(appId, k -> new LongAdder()).increment();
            // every stable token of the app dies, the one still in its rotation overlap too
            for (SimToken t : byValue.values()) {
                if (t.kind == SimToken.Kind.STABLE && t.subject.equals(appId)) {
                    t.revoke();
                }
            }
            return issue(SimToken.Kind.STABLE, appId, now, ttlMillis);
        }
        boolean handBack = handBackInvalidated && current != null && current.revoked() && now < current.expiresAt();
        if (handBack || (current != null && current.live(now) && current.expiresAt() - now > OVERLAP_MILLIS)) {
            countFetch(current);
            return current;
        }
        return issue(SimToken.Kind.STABLE, appId, now, ttlMillis);
    }

    Lookup check(String value, boolean wechat, long now) {
        if (value == null || value.isEmpty()) {
            return new Lookup(Check.MISSING, null);
        }
        SimToken token = byValue.get(value);
        if (token == null || token.wechat() != wechat) {
            return new Lookup(Check.UNKNOWN, null);
        }
        if (token.revoked()) {
            return new Lookup(Check.REVOKED, token);
        }
        if (now >= token.expiresAt()) {
            // a classic token replaced by a newer one is "invalid or not latest" (40001), not expired
            return new Lookup(token.superseded() ? Check.REVOKED : Check.EXPIRED, token);
        }
        return new Lookup(Check.VALID, token);
    }

    /** The subject a token belongs to, valid or not: faults and statistics are kept by it. */
    String subjectOf(String value) {
        SimToken token = value == null ? null : byValue.get(value);
        return token == null ? null : token.subject;
    }

    /** Every live token of the corp or app stops working, as when another holder refreshes. */
    int invalidate(String subject) {
        int count = 0;
        for (SimToken t : byValue.values()) {
            if (t.subject.equals(subject) && !t.revoked()) {
                t.revoke();
                count++;
            }
        }
        return count;
    }

    /** New tokens made, per key. */
    Map<String, Long> issuedCounts() {
        return sums(issued);
    }

    /** Token requests answered (a reused token counts here, not as issued), per key. */
    Map<String, Long> fetchCounts() {
        return sums(fetches);
    }

    /** Forced stable-token refreshes granted, per app. */
    Map<String, Long> forcedCounts() {
        return sums(forced);
    }

    void resetCounts() {
        issued.clear();
        fetches.clear();
        forced.clear();
    }

    /** Forgets every token and quota: a reset corp of the same id must not accept old tokens. */
    synchronized void clear() {
        byValue.clear();
        newest.clear();
        forceRefreshes.clear();
        resetCounts();
    }

    private static Map<String, Long> sums(Map<String, LongAdder> counters) {
        Map<String, Long> out = new TreeMap<>();
        counters.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    private SimToken issue(SimToken.Kind kind, String subject, long now, long ttlMillis) {
        byte[] bytes = new byte[kind == SimToken.Kind.CLASSIC || kind == SimToken.Kind.STABLE ? 96 : 72];
        RANDOM.nextBytes(bytes);
        String value = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        SimToken token = new SimToken(value, kind, subject, now, now + ttlMillis);
        byValue.put(value, token);
        newest.put(key(kind, subject), token);
        issued.computeIfAbsent(key(kind, subject), k -> new LongAdder()).increment();
        countFetch(token);
        byValue.values().removeIf(t -> t.expiresAt() < now - 86_400_000L);
        return token;
    }

    private void countFetch(SimToken token) {
        fetches.computeIfAbsent(key(token.kind, token.subject), k -> new LongAdder())
                .increment();
    }
}
