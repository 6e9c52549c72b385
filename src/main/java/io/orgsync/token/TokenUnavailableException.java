package io.orgsync.token;

/** No usable token could be had within the bound: the caller answers 503 or fails its run. */
public final class TokenUnavailableException extends RuntimeException {
    private final int errcode;

    public TokenUnavailableException(String message, int errcode, Throwable cause) {
        super(message, cause);
        this.errcode = errcode;
    }

    /** The upstream errcode behind it, or 0 when it was a time-out or a database failure. */
    public int errcode() {
        return errcode;
    }
}
