package io.orgsync.read;

import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * One load per key at a time, outside the cache's locks: a burst for one number after a change
 * costs one query, and a slow query holds up no other key (Caffeine's own compute would hold a
 * lock of its map for the whole query, and the load puts trees).
 */
final class SharedLoads<K> {
    private final Map<K, CompletableFuture<Answer>> loading = new ConcurrentHashMap<>();

    /** Runs the loader, or waits for the one already running for this key; {@code store} sees each new answer. */
    Answer load(K key, ReadCache.Loader loader, Consumer<Answer> store) throws SQLException {
        CompletableFuture<Answer> mine = new CompletableFuture<>();
        CompletableFuture<Answer> shared = loading.putIfAbsent(key, mine);
        if (shared != null) {
            return join(shared);
        }
        try {
            Answer answer = loader.load();
            store.accept(answer);
            mine.complete(answer);
            return answer;
        } catch (Throwable e) {
            // whatever it was, the requests waiting for this load get it too instead of waiting forever
            mine.completeExceptionally(e);
            throw e;
        } finally {
            loading.remove(key, mine);
        }
    }

    private static Answer join(CompletableFuture<Answer> future) throws SQLException {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof SQLException sql) {
                throw sql;
            }
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }
}
