package io.orgsync.callback;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The callback settings as the endpoint sees them, kept per corp so that unauthenticated requests
 * do not each read the database and unseal two secrets (docs/callbacks.md, "Settings cache"). An
 * unknown corp is remembered as such too. A change on this node drops the entry at once; a
 * change on another node is seen when a request fails verification against the cached keys
 * (the settings are read again, at most once a second per corp, and the request checked against
 * them) or, for callbacks turned off, when the entry expires.
 */
final class CallbackKeyCache {
    /** How long an entry is used before it is read again. */
    static final Duration EXPIRY = Duration.ofSeconds(10);
    /** At most one read per corp in this time for requests that fail verification. */
    static final Duration RELOAD_GAP = Duration.ofSeconds(1);

    interface Loader {
        /** Reads the corp's settings from the database; empty when callbacks are off or the corp is unknown. */
        Optional<CallbackKeys> load(String corpId) throws SQLException;
    }

    private record Entry(Optional<CallbackKeys> keys, long loadedAt) {}

    private final Cache<String, Entry> entries;
    private final Loader loader;
    private final Clock clock;

    CallbackKeyCache(Loader loader, Clock clock) {
        this.loader = loader;
        this.clock = clock;
        // expiry on the node's clock, like everything else that ages here (and testable with it)
        this.entries = Caffeine.newBuilder()
                .maximumSize(10_000)
                .expireAfterWrite(EXPIRY)
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
                .build();
    }

    /** The cached keys, read when not cached. */
    Optional<CallbackKeys> get(String corpId) throws SQLException {
        Entry e = entries.getIfPresent(corpId);
        return e != null ? e.keys() : load(corpId).keys();
    }

    /**
     * After a failed verification: the keys read again when they were not read within the last
     * {@link #RELOAD_GAP} and differ from the cached ones; otherwise empty (nothing new to try).
     */
    Optional<CallbackKeys> reloaded(String corpId) throws SQLException {
        Entry e = entries.getIfPresent(corpId);
        if (e != null && clock.millis() - e.loadedAt() < RELOAD_GAP.toMillis()) {
            return Optional.empty();
        }
        Entry fresh = load(corpId);
        return e != null && fresh.keys().equals(e.keys()) ? Optional.empty() : fresh.keys();
    }

    void invalidate(String corpId) {
        entries.invalidate(corpId);
    }

    private Entry load(String corpId) throws SQLException {
        // two requests missing at once may both read: harmless, and simpler than a loading lock
        Entry e = new Entry(loader.load(corpId), clock.millis());
        entries.put(corpId, e);
        return e;
    }
}
