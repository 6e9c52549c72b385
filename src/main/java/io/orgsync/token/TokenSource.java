package io.orgsync.token;

/** Fetches a fresh token for one key from the upstream (WeCom gettoken, stable_token, token). */
public interface TokenSource {
    TokenKey key();

    Fetched fetch() throws TokenFetchException;

    /**
     * Whether the upstream can be told to replace its token ({@link #forceRefresh}): only the
     * stable mini-program token can, and only a few times a day.
     */
    default boolean forceRefreshable() {
        return false;
    }

    /** Makes the upstream replace the token it hands out; see {@link #forceRefreshable}. */
    default Fetched forceRefresh() throws TokenFetchException {
        throw new UnsupportedOperationException(key().kind() + " tokens cannot be force-refreshed");
    }

    /** What the upstream handed out. */
    record Fetched(String value, long expiresInSeconds) {
        @Override
        public String toString() {
            return "Fetched[expiresIn=" + expiresInSeconds + "]";
        }
    }
}
