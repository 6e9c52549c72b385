package io.orgsync.read;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import io.micrometer.core.instrument.MeterRegistry;
import io.orgsync.member.DepartmentTree;
import io.orgsync.member.TreeCache;
import io.orgsync.org.OrgChange;
import io.orgsync.time.Waiter;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * The node-local cache of read answers, bounded by memory: each entry weighs the bytes of its
 * answer plus an estimate of the key and the cache's own bookkeeping. Found and not-found
 * answers are kept alike.
 *
 * <p>A change of the organisation drops the answers it touched ({@link TouchedAnswers}) and no
 * other: on the node that wrote it at its commit, on the others when their {@link ChangeFollower}
 * reads it from the change log, within one poll. An answer is built from one statement or
 * snapshot, so never from half of a write; one whose load began before a change of its
 * enterprise was dropped is handed to its caller but not kept, so that no answer read before a
 * change outlives the drop. When the follower could not read the log for two poll intervals the
 * cache is bypassed: answers come from the database until it catches up. Department trees are
 * kept by the org version they were read at, which every write moves, so they are never stale.
 */
public final class ReadCache implements TreeCache {
    /** When the answer cache is off, department trees still get a little memory: they are checked against every read's version. */
    private static final long TREES_ONLY_BYTES = 4L << 20;

    /** Builds an answer from the database. */
    public interface Loader {
        Answer load() throws SQLException;
    }

    /** A load, with what the enterprise's drop count was when it began. */
    private record Load(AnswerKey key, long stamp) {}

    private final boolean answersOn;
    private final Cache<AnswerKey, Object> cache;
    private final long maxBytes;
    private final long staleAfterNanos;
    private final LongSupplier nanos;
    private final ScannedKeys scanned = new ScannedKeys();
    /** Per enterprise (and {@link AnswerKey#ACROSS}), how many drops it has had: a load that saw another count is not kept. */
    private final Map<String, AtomicLong> stamps = new ConcurrentHashMap<>();

    private final Map<String, Long> versions = new ConcurrentHashMap<>();

    private final SharedLoads<Load> loads = new SharedLoads<>();
    private volatile long lastPollStartNanos;
    private volatile boolean polled;
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final LongAdder dropped = new LongAdder();

    /**
     * {@code megabytes} 0: answers are not cached. {@code staleness}: the change follower's
     * interval. {@code waiter}: the monotonic time the follower's polls are dated by.
     */
    public ReadCache(int megabytes, Duration staleness, MeterRegistry metrics, Waiter waiter) {
        this(megabytes, staleness, metrics, waiter::nanoTime);
    }

    private ReadCache(int megabytes, Duration staleness, MeterRegistry metrics, LongSupplier nanos) {
        this.answersOn = megabytes > 0;
        this.maxBytes = answersOn ? megabytes * (1L << 20) : TREES_ONLY_BYTES;
        this.staleAfterNanos = staleness.multipliedBy(2).toNanos();
        this.nanos = nanos;
        this.cache = Caffeine.newBuilder()
                .maximumWeight(maxBytes)
                .weigher((AnswerKey k, Object v) -> (int) Math.min(Integer.MAX_VALUE, k.weight() + weight(v)))
                // maintenance on the callers' threads: the bound holds when put returns, and no pool is shared
                .executor(Runnable::run)
                .removalListener((AnswerKey k, Object v, RemovalCause cause) -> scanned.remove(k))
                .recordStats()
                .build();
        ReadCacheMetrics.bind(metrics, this, cache, hits, misses, dropped);
    }

    private static long weight(Object v) {
        return v instanceof Answer a ? a.weight() : ((DepartmentTree) v).weight();
    }

    // ---- answers

    /** The answer for {@code key}, from the cache or from {@code loader}. */
    Answer get(AnswerKey key, Loader loader) throws SQLException {
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
        // a load shares only with loads that began after the same drops: a change's writer reads its own write
        Load load = new Load(key, stamp(key.corpId()).get());
        return loads.load(load, loader, answer -> keep(load, answer));
    }

    private void keep(Load load, Object value) {
        AnswerKey key = load.key();
        if (stamp(key.corpId()).get() != load.stamp()) {
            return;
        }
        scanned.add(key);
        cache.put(key, value);
    }

    private AtomicLong stamp(String corpId) {
        return stamps.computeIfAbsent(corpId, c -> new AtomicLong());
    }

    // ---- department trees (TreeCache): keyed by the version their rows were read at, never stale

    @Override
    public DepartmentTree tree(String corpId, long version) {
        return cache.getIfPresent(AnswerKey.tree(corpId, version)) instanceof DepartmentTree t ? t : null;
    }

    @Override
    public void keep(String corpId, long version, DepartmentTree tree) {
        keep(new Load(AnswerKey.tree(corpId, version), stamp(corpId).get()), tree);
    }

    // ---- what changed

    /** Drops the enterprise's answers (and cross-enterprise lookups) that the changes touched. */
    void drop(String corpId, List<OrgChange> changes) {
        stamp(corpId).incrementAndGet();
        stamp(AnswerKey.ACROSS).incrementAndGet();
        DepartmentTree tree = latestTree(corpId);
        for (OrgChange change : changes) {
            for (String mobile : change.touched().mobiles()) {
                invalidate(AnswerKey.mobile(corpId, mobile));
                invalidate(AnswerKey.mobile(null, mobile));
            }
            for (String userid : change.touched().userids()) {
                invalidate(AnswerKey.member(corpId, userid, true));
                invalidate(AnswerKey.member(corpId, userid, false));
            }
            if (change.touched().tree()) {
                dropAll(corpId);
                return;
            }
        }
        for (AnswerKey key : scanned.of(corpId)) {
            if (changes.stream().anyMatch(ch -> TouchedAnswers.touches(ch, key, tree))) {
                invalidate(key);
            }
        }
    }

    /**
     * Drops every answer of the enterprise, and every cross-enterprise lookup: it was removed, its
     * version went back (a restored database), or this node could not follow its changes.
     */
    void dropAll(String corpId) {
        stamp(corpId).incrementAndGet();
        stamp(AnswerKey.ACROSS).incrementAndGet();
        cache.asMap().keySet().removeIf(k -> {
            boolean gone = (k.corpId().equals(corpId) && k.kind() != AnswerKey.Kind.TREE)
                    || k.corpId().equals(AnswerKey.ACROSS);
            if (gone) {
                dropped.increment();
            }
            return gone;
        });
    }

    /** Trees read at versions older than {@code version} will not be asked for again. */
    void dropTreesBefore(String corpId, long version) {
        for (AnswerKey key : scanned.of(corpId)) {
            if (key.kind() == AnswerKey.Kind.TREE && Long.parseLong(key.subject()) < version) {
                cache.invalidate(key);
            }
        }
    }

    private void invalidate(AnswerKey key) {
        if (cache.asMap().remove(key) != null) {
            dropped.increment();
        }
    }

    private DepartmentTree latestTree(String corpId) {
        return scanned.latestTree(corpId)
                .map(k -> cache.getIfPresent(k) instanceof DepartmentTree t ? t : null)
                .orElse(null);
    }

    // ---- the enterprises served, and freshness: set by the follower

    /**
     * Whether the enterprise is registered, as of the last poll or this node's own changes; null
     * when the follower is too far behind to tell (the caller asks the database).
     */
    public Boolean knows(String corpId) {
        return fresh() ? versions.containsKey(corpId) : null;
    }

    /** The version this node serves for the enterprise (0 before its first write), or -1 when it is not registered. */
    public long version(String corpId) {
        return versions.getOrDefault(corpId, -1L);
    }

    /** The enterprise is registered, its org at {@code version} as far as this node knows. */
    void serve(String corpId, long version) {
        versions.put(corpId, version);
    }

    /** The enterprise is no longer registered. */
    void unserve(String corpId) {
        versions.remove(corpId);
    }

    Set<String> served() {
        return Set.copyOf(versions.keySet());
    }

    /** A poll that began at {@code startedNanos} read the versions and the changes after them. */
    void polledAt(long startedNanos) {
        lastPollStartNanos = startedNanos;
        polled = true;
    }

    /** Whether the last successful poll is recent enough to trust what the cache holds. */
    boolean fresh() {
        return polled && nanos.getAsLong() - lastPollStartNanos <= staleAfterNanos;
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

    /** Answers dropped because a change touched them (or their enterprise as a whole). */
    public long dropped() {
        return dropped.sum();
    }
}
