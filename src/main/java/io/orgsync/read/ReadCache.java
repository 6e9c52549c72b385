package io.orgsync.read;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.MeterRegistry;
import io.orgsync.member.DepartmentTree;
import io.orgsync.member.TreeCache;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node-local cache of read answers, bounded by memory: each entry weighs the bytes of its
 * answer plus an estimate of the key and the cache's own bookkeeping. Found and not-found
 * answers are kept alike.
 *
 * <p>Entries are keyed by the enterprise's org version as this node last saw it (cross-enterprise
 * lookups by a generation that moves whenever any enterprise's version does). A write commits
 * its data and its new version together; once this node knows the new version (at once on the
 * node that wrote, within one poll of {@link VersionWatch} elsewhere) no reader asks for an old
 * key again, so no answer outlives the change by more than that, and every answer was built from
 * one snapshot: never half of a write. Entries of old versions are removed in the background.
 * When the versions could not be read for two poll intervals the cache is bypassed: answers come
 * from the database until the watch catches up.
 *
 * <p>The versions also say which enterprises exist, so that a read for an unknown one is refused
 * without a query.
 */
public final class ReadCache implements TreeCache, OrgVersions.Listener {
    private static final Logger log = LoggerFactory.getLogger(ReadCache.class);
    /**
     * Bookkeeping per entry beyond the key's strings and the value: Caffeine's node, its map's entry and
     * slot, the key object, the strings' headers. Measured: about 250 bytes beside the body of a
     * by-mobile answer (heap after a full GC, 20,000 answers, docs/BENCHMARKS.md); the estimate errs above.
     */
    static final int ENTRY_OVERHEAD = 224;
    /** When the answer cache is off, department trees still get a little memory: they are checked against every read's version. */
    private static final long TREES_ONLY_BYTES = 4L << 20;

    private static final String CROSS = "";

    /**
     * What an answer depends on: one enterprise at one version (or all, at one generation), and the
     * request. {@code epoch} changes when the enterprise's version went back or it was removed: a
     * version number seen again then may stand for other data, so nothing cached before is reused.
     */
    record Key(String corpId, long epoch, long version, String kind, String arg) {
        long weight() {
            return ENTRY_OVERHEAD + 2L * (corpId.length() + kind.length() + arg.length());
        }
    }

    /** Builds an answer from the database. */
    public interface Loader {
        Answer load() throws SQLException;
    }

    private final boolean answersOn;
    private final Cache<Key, Object> cache;
    private final long maxBytes;
    private final long staleAfterNanos;
    private final Map<String, Long> versions = new ConcurrentHashMap<>();
    private final Map<String, Long> epochs = new ConcurrentHashMap<>();
    private final AtomicLong nextEpoch = new AtomicLong();
    /** Enterprises changed on this node, by when: a poll that began before must not undo what they say. */
    private final Map<String, Long> localChanges = new ConcurrentHashMap<>();

    private final Set<String> toSweep = ConcurrentHashMap.newKeySet();
    private final SharedLoads<Key> loads = new SharedLoads<>();
    private final AtomicLong generation = new AtomicLong();
    private volatile long lastPollStartNanos;
    private volatile boolean polled;
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final LongAdder swept = new LongAdder();

    /** {@code megabytes} 0: answers are not cached. {@code staleness}: the version watch's interval. */
    public ReadCache(int megabytes, Duration staleness, MeterRegistry metrics) {
        this.answersOn = megabytes > 0;
        this.maxBytes = answersOn ? megabytes * (1L << 20) : TREES_ONLY_BYTES;
        this.staleAfterNanos = staleness.multipliedBy(2).toNanos();
        this.cache = Caffeine.newBuilder()
                .maximumWeight(maxBytes)
                .weigher((Key k, Object v) -> (int) Math.min(Integer.MAX_VALUE, k.weight() + weight(v)))
                // maintenance on the callers' threads: the bound holds when put returns, and no pool is shared
                .executor(Runnable::run)
                .recordStats()
                .build();
        ReadCacheMetrics.bind(metrics, this, cache, hits, misses, swept);
    }

    private static long weight(Object v) {
        return v instanceof Answer a ? a.weight() : ((DepartmentTree) v).weight();
    }

    // ---- answers

    /** The answer for a read of one enterprise. */
    public Answer get(String corpId, String kind, String arg, Loader loader) throws SQLException {
        return get(new Key(corpId, epoch(corpId), versions.getOrDefault(corpId, 0L), kind, arg), loader);
    }

    /** The answer for a read across every enterprise. */
    public Answer getAcross(String kind, String arg, Loader loader) throws SQLException {
        return get(new Key(CROSS, 0, generation.get(), kind, arg), loader);
    }

    private Answer get(Key key, Loader loader) throws SQLException {
        if (!answersOn || !fresh()) {
            misses.increment();
            return loader.load();
        }
        Object cached = cache.getIfPresent(key);
        if (cached instanceof Answer a) {
            hits.increment();
            return a;
        }
        misses.increment();
        return loads.load(key, loader, answer -> cache.put(key, answer));
    }

    // ---- department trees (TreeCache): keyed by the version their rows were read at, never stale

    @Override
    public DepartmentTree tree(String corpId, long version) {
        return cache.getIfPresent(new Key(corpId, epoch(corpId), version, "tree", "")) instanceof DepartmentTree t
                ? t
                : null;
    }

    @Override
    public void keep(String corpId, long version, DepartmentTree tree) {
        cache.put(new Key(corpId, epoch(corpId), version, "tree", ""), tree);
    }

    private long epoch(String corpId) {
        return epochs.getOrDefault(corpId, 0L);
    }

    // ---- versions

    /**
     * Whether the enterprise is registered, as of the last poll or this node's own changes; null
     * when the versions are too old to tell (the caller asks the database).
     */
    public Boolean knows(String corpId) {
        return fresh() ? versions.containsKey(corpId) : null;
    }

    /** A change committed on this node. */
    @Override
    public void changed(String corpId, long version, boolean exists) {
        localChanges.put(corpId, System.nanoTime());
        if (exists) {
            advance(corpId, version);
        } else {
            forget(corpId);
        }
    }

    /**
     * What a poll that started at {@code startedNanos} read: every registered enterprise with its
     * version. A version lower than the one served means the database went back (a restore, a
     * fail-over to a replica that lags): that enterprise's answers are dropped and the database's
     * version is served from then on. Only a poll says so: this node's own commits may report
     * their versions out of order, a poll's read is one snapshot taken after every commit it
     * follows. Intervals come from the monotonic clock: this is about elapsed time between two
     * reads on this node, not about the time of day.
     */
    void polled(Map<String, Long> current, long startedNanos) {
        for (Map.Entry<String, Long> e : current.entrySet()) {
            if (changedLocallySince(e.getKey(), startedNanos)) {
                continue;
            }
            Long served = versions.get(e.getKey());
            if (served != null && e.getValue() < served) {
                wentBack(e.getKey(), served, e.getValue());
            } else {
                advance(e.getKey(), e.getValue());
            }
        }
        for (String corpId : Set.copyOf(versions.keySet())) {
            if (!current.containsKey(corpId) && !changedLocallySince(corpId, startedNanos)) {
                forget(corpId);
            }
        }
        localChanges.values().removeIf(at -> at - startedNanos < 0);
        lastPollStartNanos = startedNanos;
        polled = true;
    }

    private boolean changedLocallySince(String corpId, long startedNanos) {
        Long at = localChanges.get(corpId);
        return at != null && at - startedNanos >= 0;
    }

    private void wentBack(String corpId, long served, long version) {
        log.warn(
                "The org version of {} went back from {} to {} (a restored database, or a replica that lags?): "
                        + "its cached answers are dropped",
                corpId,
                served,
                version);
        epochs.put(corpId, nextEpoch.incrementAndGet());
        versions.put(corpId, version);
        generation.incrementAndGet();
        toSweep.add(corpId);
    }

    private void forget(String corpId) {
        if (versions.remove(corpId) != null) {
            epochs.put(corpId, nextEpoch.incrementAndGet());
            generation.incrementAndGet();
            toSweep.add(corpId);
        }
    }

    private void advance(String corpId, long version) {
        Long before = versions.get(corpId);
        long now = versions.merge(corpId, version, Math::max);
        if (before == null || now != before) {
            generation.incrementAndGet();
            if (before != null) {
                toSweep.add(corpId);
            }
        }
    }

    /** Whether the last successful poll is recent enough to trust what the cache holds. */
    boolean fresh() {
        return polled && System.nanoTime() - lastPollStartNanos <= staleAfterNanos;
    }

    /**
     * Removes the entries of enterprises that changed since the last sweep (unreachable already:
     * this only gives their memory back early) and every cross-enterprise entry with them.
     */
    void sweep() {
        if (toSweep.isEmpty()) {
            return;
        }
        Set<String> corps = new HashSet<>(toSweep);
        toSweep.removeAll(corps);
        long current = generation.get();
        cache.asMap().keySet().removeIf(k -> {
            long served = versions.getOrDefault(k.corpId, Long.MAX_VALUE);
            // a tree may be newer than the version served (read at a later snapshot): only older ones go
            boolean stale = k.corpId.equals(CROSS)
                    ? k.version != current
                    : corps.contains(k.corpId)
                            && (k.epoch != epoch(k.corpId)
                                    || (k.kind.equals("tree") ? k.version < served : k.version != served));
            if (stale) {
                swept.increment();
            }
            return stale;
        });
    }

    // ---- for the operator, tests and the benchmark

    public boolean answersCached() {
        return answersOn;
    }

    public long entries() {
        cache.cleanUp();
        return cache.estimatedSize();
    }

    /** The estimated memory the entries take, in bytes. */
    public long weightedBytes() {
        return cache.policy().eviction().map(e -> e.weightedSize().orElse(0)).orElse(0L);
    }

    public long maxBytes() {
        return maxBytes;
    }

    /** The version this node serves for the enterprise (0 before its first write), or -1 when it is not registered. */
    public long version(String corpId) {
        return versions.getOrDefault(corpId, -1L);
    }
}
