package io.orgsync.read;

import com.github.benmanes.caffeine.cache.Cache;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.LongAdder;

/** The read cache's meters, kept apart from the cache so that its logic reads without them. */
final class ReadCacheMetrics {
    private ReadCacheMetrics() {}

    static void bind(
            MeterRegistry metrics,
            ReadCache owner,
            Cache<?, ?> cache,
            LongAdder hits,
            LongAdder misses,
            LongAdder swept) {
        FunctionCounter.builder("orgsync_lookup_cache_hits", hits, LongAdder::sum)
                .description("read answers served from the node's cache")
                .register(metrics);
        FunctionCounter.builder("orgsync_lookup_cache_misses", misses, LongAdder::sum)
                .description("read answers built from the database (cache off, missing, or bypassed)")
                .register(metrics);
        FunctionCounter.builder(
                        "orgsync_lookup_cache_evictions", cache, c -> c.stats().evictionCount())
                .description("entries evicted to stay within ORGSYNC_LOOKUP_CACHE_MB")
                .register(metrics);
        FunctionCounter.builder("orgsync_lookup_cache_invalidations", swept, LongAdder::sum)
                .description("entries removed because a change of the organisation touched them")
                .register(metrics);
        Gauge.builder("orgsync_lookup_cache_size", cache, Cache::estimatedSize)
                .description("entries in the cache (answers and department trees)")
                .register(metrics);
        Gauge.builder("orgsync_lookup_cache_weight_bytes", owner, ReadCache::weightedBytes)
                .description("estimated memory the entries take")
                .baseUnit("bytes")
                .register(metrics);
        Gauge.builder("orgsync_lookup_cache_max_bytes", owner, ReadCache::maxBytes)
                .baseUnit("bytes")
                .register(metrics);
    }
}
