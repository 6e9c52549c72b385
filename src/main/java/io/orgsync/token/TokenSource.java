package io.orgsync.token;

/** Fetches a fresh token for one key from the upstream (WeCom gettoken, stable_token, token). */
public interface TokenSource {
    TokenKey key();

    Fetched fetch() throws TokenFetchException;

    /** What the upstream handed out. */
    record Fetched(String value, long expiresInSeconds) {
        @Override
        public String toString() {
            return "Fetched[expiresIn=" + expiresInSeconds + "]";
        }
    }
}
