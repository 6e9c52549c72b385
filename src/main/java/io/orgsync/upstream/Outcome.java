package io.orgsync.upstream;

import java.util.Set;

/** What a client does about an errcode, from the tables of docs/upstream.md. */
enum Outcome {
    OK,
    /** -1: retry with backoff, at most 3 times. */
    BUSY,
    /** 45033: too many concurrent calls; back off and retry. */
    CONCURRENCY,
    /** The token was rejected: compare-and-replace it, retry once. */
    TOKEN_REJECTED,
    /** 45009: do not call this API again until the block has passed. */
    BLOCKED,
    /** Settings on the upstream side are wrong: fail and alert with the fix. */
    CONFIGURATION,
    /** Anything else: fail. */
    FAILED;

    private static final Set<Integer> WECOM_TOKEN = Set.of(40014, 42001);
    private static final Set<Integer> WECHAT_TOKEN = Set.of(40001, 40014, 42001);
    /** Settings on the upstream side are wrong (UpstreamClient answers token calls with these itself). */
    static final Set<Integer> CONFIG = Set.of(40001, 40013, 40125, 40164, 48002, 48009, 60011, 60020);

    static Outcome of(Family family, int errcode, boolean withToken) {
        if (errcode == 0) {
            return OK;
        }
        if (errcode == -1) {
            return BUSY;
        }
        if (errcode == 45033) {
            return CONCURRENCY;
        }
        if (errcode == 45009) {
            return BLOCKED;
        }
        if (withToken && (family == Family.WECOM ? WECOM_TOKEN : WECHAT_TOKEN).contains(errcode)) {
            return TOKEN_REJECTED;
        }
        return CONFIG.contains(errcode) ? CONFIGURATION : FAILED;
    }
}
