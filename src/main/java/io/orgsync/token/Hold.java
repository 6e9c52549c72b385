package io.orgsync.token;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * A time before which no node asks the upstream for a key's token, shared through the key's
 * row: asking again sooner would get the server's IP banned (a wrong secret), hit a block that
 * has not ended (45009), or spend a forced refresh that is not allowed yet. {@code reason} is
 * the message for callers and operators; it never holds a secret or a token.
 */
record Hold(Kind kind, long until, int errcode, String reason) {
    enum Kind {
        /** The upstream refused the credentials: wrong secret, unknown id, untrusted IP. */
        CONFIG,
        /** 45009: the token API is blocked for this key. */
        BLOCKED,
        /** The platform hands back the token it rejects and may not be forced to replace it now. */
        REJECTED
    }

    long secondsLeft(long now) {
        return Math.max(1, (until - now + 999) / 1000);
    }

    /** The failure a caller without a usable token gets while the hold lasts. */
    TokenUnavailableException unavailable(long now) {
        long seconds = secondsLeft(now);
        String when = Instant.ofEpochMilli(until + 999).truncatedTo(ChronoUnit.SECONDS) + " (in " + seconds + " s)";
        String sentence = reason.endsWith(".") ? reason : reason + ".";
        String message = switch (kind) {
            case CONFIG ->
                sentence + " The token is not asked for again before " + when
                        + ", so that repeated refusals do not get this server's IP banned.";
            case BLOCKED -> sentence + " The token is not asked for again before " + when + ".";
            case REJECTED -> reason;
        };
        TokenFetchException cause = new TokenFetchException(reason, errcode, kind == Kind.CONFIG, seconds, null);
        return new TokenUnavailableException(message, errcode, seconds, cause);
    }

    @Override
    public String toString() {
        return "Hold[" + kind + " until " + until + ", errcode " + errcode + "]";
    }
}
