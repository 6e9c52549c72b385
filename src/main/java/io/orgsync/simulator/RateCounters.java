package io.orgsync.simulator;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Fixed-window call counters with blocks, as WeCom applies them: over the limit in a window,
 * and the key is refused for the block's length (60 s after a minute limit, an hour after an
 * hour limit) even once the window has rolled over.
 */
final class RateCounters {
    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    private static final class Window {
        long start = Long.MIN_VALUE;
        long count;
        long blockedUntil;
    }

    /**
     * Counts one call under {@code key}. Returns false, counting nothing, when the key is blocked
     * or the window is full; a full window then blocks the key for {@code blockMillis}.
     */
    boolean tryCount(String key, long now, long windowMillis, long limit, long blockMillis) {
        if (limit <= 0) {
            return true;
        }
        Window w = windows.computeIfAbsent(key, k -> new Window());
        synchronized (w) {
            if (now < w.blockedUntil) {
                return false;
            }
            long start = now - Math.floorMod(now, windowMillis);
            if (start != w.start) {
                w.start = start;
                w.count = 0;
            }
            if (w.count >= limit) {
                w.blockedUntil = Math.max(w.blockedUntil, now + blockMillis);
                return false;
            }
            w.count++;
            return true;
        }
    }

    /** Whether the key is currently blocked, without counting a call. */
    boolean blocked(String key, long now) {
        Window w = windows.get(key);
        if (w == null) {
            return false;
        }
        synchronized (w) {
            return now < w.blockedUntil;
        }
    }

    /**
     * Counts an event; returns true once {@code limit} of them happened in a window (time to
     * block: a limit of N allows N such events, the calls after them are refused).
     */
    boolean countReaches(String key, long now, long windowMillis, long limit) {
        if (limit <= 0) {
            return false;
        }
        Window w = windows.computeIfAbsent(key, k -> new Window());
        synchronized (w) {
            long start = now - Math.floorMod(now, windowMillis);
            if (start != w.start) {
                w.start = start;
                w.count = 0;
            }
            return ++w.count >= limit;
        }
    }

    void block(String key, long until) {
        Window w = windows.computeIfAbsent(key, k -> new Window());
        synchronized (w) {
            w.blockedUntil = Math.max(w.blockedUntil, until);
        }
    }

    void reset() {
        windows.clear();
    }
}
