package io.orgsync.read;

import io.orgsync.org.OrgChange;
import io.orgsync.org.OrgVersions;
import io.orgsync.org.OrgWriter;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the {@link ReadCache} in step with the organisations: told of this node's own commits at
 * once ({@link OrgWriter.Listener}), and of every node's by {@link #polled}, which compares each
 * enterprise's version and last change number with what it followed so far and reads the changes
 * in between from the change log. The cache then drops exactly what those changes touched. When
 * it cannot tell what changed (the log no longer holds the changes, there are too many to read,
 * the version went back after a restore, a version moved without a change) it drops all of that
 * enterprise's answers instead.
 */
final class ChangeFollower implements OrgWriter.Listener {
    private static final Logger log = LoggerFactory.getLogger(ChangeFollower.class);
    /** More changes than this since the last poll (a first sync of a large enterprise): its answers go wholesale. */
    static final int MOST_FOLLOWED = 2000;

    /** Reads the change log. */
    interface Changes {
        List<OrgChange> after(String corpId, long seq, int limit) throws SQLException;
    }

    /** How far this node followed an enterprise. */
    private record Followed(long version, long seq) {}

    private final ReadCache cache;
    private final Changes changes;
    private final LongSupplier nanos;
    private final Map<String, Followed> followed = new ConcurrentHashMap<>();
    /** Enterprises changed on this node, by when: a poll that began before must not undo what they say. */
    private final Map<String, Long> localChanges = new ConcurrentHashMap<>();

    private final Map<String, Object> locks = new ConcurrentHashMap<>();

    ChangeFollower(ReadCache cache, Changes changes, LongSupplier nanos) {
        this.cache = cache;
        this.changes = changes;
        this.nanos = nanos;
    }

    // ---- this node's commits

    @Override
    public void written(String corpId, long version, List<OrgChange> written) {
        synchronized (lock(corpId)) {
            localChanges.put(corpId, nanos.getAsLong());
            cache.drop(corpId, written);
            Followed f = followed.get(corpId);
            // only an unbroken run of numbers is followed: another node's change in between is read at the next poll
            long first = written.get(0).seq();
            if (f == null && first == 1) {
                f = new Followed(0, 0);
            }
            if (f != null && first == f.seq() + 1) {
                followed.put(
                        corpId,
                        new Followed(
                                Math.max(f.version(), version),
                                written.get(written.size() - 1).seq()));
            }
            cache.serve(corpId, Math.max(version, cache.version(corpId)));
        }
    }

    @Override
    public void registered(String corpId) {
        synchronized (lock(corpId)) {
            localChanges.put(corpId, nanos.getAsLong());
            if (cache.version(corpId) < 0) {
                cache.serve(corpId, 0);
            }
        }
    }

    @Override
    public void removed(String corpId) {
        synchronized (lock(corpId)) {
            localChanges.put(corpId, nanos.getAsLong());
            forget(corpId);
        }
    }

    // ---- every node's commits

    /**
     * What a poll that started at {@code startedNanos} read: every registered enterprise with its
     * version and last change number. Intervals come from the monotonic clock: this is about
     * elapsed time between two reads on this node, not about the time of day.
     */
    void polled(Map<String, OrgVersions.Version> current, long startedNanos) throws SQLException {
        boolean first = !cache.fresh() && followed.isEmpty();
        for (Map.Entry<String, OrgVersions.Version> e : current.entrySet()) {
            String corpId = e.getKey();
            synchronized (lock(corpId)) {
                if (!changedLocallySince(corpId, startedNanos)) {
                    follow(corpId, e.getValue(), first);
                }
            }
        }
        for (String corpId : cache.served()) {
            if (!current.containsKey(corpId)) {
                synchronized (lock(corpId)) {
                    if (!changedLocallySince(corpId, startedNanos)) {
                        forget(corpId);
                    }
                }
            }
        }
        localChanges.values().removeIf(at -> at - startedNanos < 0);
        cache.polledAt(startedNanos);
    }

    private void follow(String corpId, OrgVersions.Version now, boolean first) throws SQLException {
        Followed f = followed.get(corpId);
        if (f == null) {
            // an enterprise new to this node: a lookup across enterprises may have answered without its members
            if (!first && now.changeSeq() > 0) {
                cache.dropAll(corpId);
            }
        } else if (now.version() < f.version() || now.changeSeq() < f.seq()) {
            log.warn(
                    "The org version of {} went back from {} to {} (a restored database, or a replica that lags?): "
                            + "its cached answers are dropped",
                    corpId,
                    f.version(),
                    now.version());
            cache.dropAll(corpId);
        } else if (now.changeSeq() > f.seq()) {
            long upTo = now.changeSeq();
            // changes committed after the versions were read are left to the next poll, with their version
            List<OrgChange> read = changes.after(corpId, f.seq(), MOST_FOLLOWED + 1).stream()
                    .filter(ch -> ch.seq() <= upTo)
                    .toList();
            if (read.isEmpty() || read.get(0).seq() != f.seq() + 1 || read.size() > MOST_FOLLOWED) {
                cache.dropAll(corpId);
            } else {
                cache.drop(corpId, read);
            }
        } else if (now.version() > f.version()) {
            // moved without a change: removed and registered again meanwhile
            cache.dropAll(corpId);
        }
        followed.put(corpId, new Followed(now.version(), now.changeSeq()));
        cache.serve(corpId, now.version());
        cache.dropTreesBefore(corpId, now.version());
    }

    private void forget(String corpId) {
        followed.remove(corpId);
        if (cache.version(corpId) >= 0) {
            cache.unserve(corpId);
            cache.dropAll(corpId);
        }
    }

    private boolean changedLocallySince(String corpId, long startedNanos) {
        Long at = localChanges.get(corpId);
        return at != null && at - startedNanos >= 0;
    }

    private Object lock(String corpId) {
        return locks.computeIfAbsent(corpId, k -> new Object());
    }
}
