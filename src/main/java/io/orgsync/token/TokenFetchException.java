package io.orgsync.token;

/**
 * The upstream refused or failed to hand out a token. {@code permanent} means asking again
 * will not help (wrong secret, unknown corp, untrusted IP): the holder then stops asking for a
 * while, because repeated bad gettoken calls get the IP banned. {@code retryAfterSeconds} is
 * set when the upstream said how long not to ask (a 45009 block).
 */
public class TokenFetchException extends Exception {
    private final boolean permanent;
    private final int errcode;
    private final long retryAfterSeconds;

    public TokenFetchException(String message, int errcode, boolean permanent, Throwable cause) {
        this(message, errcode, permanent, 0, cause);
    }

    public TokenFetchException(
            String message, int errcode, boolean permanent, long retryAfterSeconds, Throwable cause) {
        super(message, cause);
        this.errcode = errcode;
        this.permanent = permanent;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public boolean permanent() {
        return permanent;
    }

    public int errcode() {
        return errcode;
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
