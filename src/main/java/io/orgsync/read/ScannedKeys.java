package io.orgsync.read;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per enterprise, the keys of the cached answers a change has to be matched against (lists and
 * department trees), so that a change looks at these and not at the whole cache. Answers named by
 * one mobile or userid are dropped by their key and need no entry here.
 */
final class ScannedKeys {
    private final Map<String, Set<AnswerKey>> byCorp = new ConcurrentHashMap<>();

    static boolean scanned(AnswerKey key) {
        return key.list() || key.kind() == AnswerKey.Kind.TREE;
    }

    void add(AnswerKey key) {
        if (scanned(key)) {
            byCorp.computeIfAbsent(key.corpId(), c -> ConcurrentHashMap.newKeySet())
                    .add(key);
        }
    }

    /** The cache removed the entry (dropped, evicted or replaced). */
    void remove(AnswerKey key) {
        Set<AnswerKey> keys = byCorp.get(key.corpId());
        if (keys != null) {
            keys.remove(key);
        }
    }

    /** A copy: the caller may drop entries while it goes through them. */
    List<AnswerKey> of(String corpId) {
        Set<AnswerKey> keys = byCorp.get(corpId);
        return keys == null ? List.of() : List.copyOf(keys);
    }

    /** The key of the enterprise's department tree read at the highest version kept. */
    Optional<AnswerKey> latestTree(String corpId) {
        return of(corpId).stream()
                .filter(k -> k.kind() == AnswerKey.Kind.TREE)
                .max(java.util.Comparator.comparingLong(k -> Long.parseLong(k.subject())));
    }
}
