package io.orgsync.token;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What this node keeps of each key between calls: its copy of the token, and the hold it last
 * saw on the key's row, so that while the hold lasts it refuses locally instead of reading the
 * row on every call.
 */
final class LocalTokens {
    private final Map<String, Token> tokens = new ConcurrentHashMap<>();
    private final Map<String, Hold> holds = new ConcurrentHashMap<>();

    Token get(String id) {
        return tokens.get(id);
    }

    /** Keeps {@code token} as this node's copy and returns it. */
    Token adopt(String id, Token token) {
        tokens.put(id, token);
        return token;
    }

    /** Forgets this node's copy if it is still {@code value} (one fetched meanwhile stays). */
    void drop(String id, String value) {
        tokens.computeIfPresent(id, (k, v) -> v.value().equals(value) ? null : v);
    }

    /** The hold this node knows of for the key, if it has not ended. */
    Hold activeHold(String id, long now) {
        Hold hold = holds.get(id);
        if (hold != null && hold.until() <= now) {
            holds.remove(id, hold);
            return null;
        }
        return hold;
    }

    void hold(String id, Hold hold) {
        holds.put(id, hold);
    }

    void endHold(String id) {
        holds.remove(id);
    }
}
