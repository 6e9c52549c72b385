package io.orgsync.upstream;

/**
 * An upstream call that failed. The message names the API, the corp or app and the errcode, and
 * never a token or secret. {@code retryAfterSeconds} is set for blocks (45009) and local limits.
 */
public final class UpstreamException extends RuntimeException {
    public enum Kind {
        /** The upstream (or our own node limit) says: not now. */
        RATE_LIMITED,
        /** A setting on the upstream side is wrong; an alert has been raised. */
        CONFIGURATION,
        /** Network trouble, time-outs, system busy after retries. */
        UNAVAILABLE,
        /** The upstream refused this call for a reason of its own (see errcode). */
        REFUSED
    }

    private final Kind kind;
    private final int errcode;
    private final String api;
    private final long retryAfterSeconds;

    public UpstreamException(
            Kind kind, int errcode, String api, String message, long retryAfterSeconds, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.errcode = errcode;
        this.api = api;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public Kind kind() {
        return kind;
    }

    /** The upstream errcode, or 0 when none came back (network, time-out, local limit). */
    public int errcode() {
        return errcode;
    }

    public String api() {
        return api;
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
