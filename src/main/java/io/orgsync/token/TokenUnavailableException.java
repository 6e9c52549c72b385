package io.orgsync.token;

/** No usable token could be had within the bound: the caller answers 503 or fails its run. */
public final class TokenUnavailableException extends RuntimeException {
    private final int errcode;
    private final long retryAfterSeconds;

    public TokenUnavailableException(String message, int errcode, Throwable cause) {
        this(message, errcode, 0, cause);
    }

    public TokenUnavailableException(String message, int errcode, long retryAfterSeconds, Throwable cause) {
        super(message, cause);
        this.errcode = errcode;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** The upstream errcode behind it, or 0 when it was a time-out or a database failure. */
    public int errcode() {
        return errcode;
    }

    /** When asking again can help, in seconds (a hold or a block); 0 when unknown. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
