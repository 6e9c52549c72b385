package io.orgsync.token;

/**
 * A shared access token. {@code refreshAt} is when a node should start fetching its successor
 * (ahead of {@code expiresAt}, so that callers never wait for one).
 */
public record Token(String value, long expiresAt, long refreshAt, long version) {
    /** A token must have this much life left to be handed to a caller. */
    static final long SAFETY_MILLIS = 30_000;

    boolean usable(long now) {
        return value != null && now < expiresAt - SAFETY_MILLIS;
    }

    boolean dueForRefresh(long now) {
        return now >= refreshAt;
    }

    /** Never part of a log line or a message: the token is a credential. */
    @Override
    public String toString() {
        return "Token[expiresAt=" + expiresAt + ", refreshAt=" + refreshAt + ", version=" + version + "]";
    }
}
