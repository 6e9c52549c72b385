package io.orgsync.simulator;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

/**
 * An immutable map for snapshots that each differ from the one before in a few keys: a base map,
 * shared by many snapshots and never changed, under a small overlay of the keys changed since.
 * A change copies only the overlay; once the overlay outgrows about the square root of the base
 * it is folded into a new base. So a change costs that much work on average, not a copy of the
 * whole map, and a lookup at most one more probe of a small map.
 */
final class LayeredMap<K, V> {
    /** In the overlay: the key was removed. */
    private static final Object REMOVED = new Object();

    private final Map<K, V> base;
    private final Map<K, Object> overlay;

    private LayeredMap(Map<K, V> base, Map<K, Object> overlay) {
        this.base = base;
        this.overlay = overlay;
    }

    /** The map {@code base}, which nobody may change afterwards. */
    static <K, V> LayeredMap<K, V> of(Map<K, V> base) {
        return new LayeredMap<>(base, Collections.emptyMap());
    }

    @SuppressWarnings("unchecked")
    V get(Object key) {
        Object value = overlay.get(key);
        if (value == REMOVED) {
            return null;
        }
        return value != null ? (V) value : base.get(key);
    }

    /** This map with the changes made: each key to its new value, or removed where that is null. */
    @SuppressWarnings("unchecked")
    LayeredMap<K, V> with(Map<K, V> changes) {
        if (changes.isEmpty()) {
            return this;
        }
        Map<K, Object> next = new HashMap<>(overlay);
        changes.forEach((k, v) -> next.put(k, v == null ? REMOVED : v));
        if (next.size() <= Math.max(16, (int) Math.sqrt(base.size()))) {
            return new LayeredMap<>(base, next);
        }
        Map<K, V> folded = new HashMap<>(base);
        next.forEach((k, v) -> {
            if (v == REMOVED) {
                folded.remove(k);
            } else {
                folded.put(k, (V) v);
            }
        });
        return of(folded);
    }
}
