package io.orgsync.token;

/**
 * The upstream refused or failed to hand out a token. {@code permanent} means asking again
 * will not help (wrong secret, unknown corp, untrusted IP): the holder then stops asking for a
 * while, because repeated bad gettoken calls get the IP banned.
 */
public class TokenFetchException extends Exception {
    private final boolean permanent;
    private final int errcode;

    public TokenFetchException(String message, int errcode, boolean permanent, Throwable cause) {
        super(message, cause);
        this.errcode = errcode;
        this.permanent = permanent;
    }

    public boolean permanent() {
        return permanent;
    }

    public int errcode() {
        return errcode;
    }
}
