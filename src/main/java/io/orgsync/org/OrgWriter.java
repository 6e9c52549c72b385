package io.orgsync.org;

import io.orgsync.store.Sql;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;

/**
 * The one home for writing an enterprise's organisation. Every writer (a sync's apply, a contact
 * event, a resolve, the removal of an enterprise) goes through {@link #write}, which runs the
 * writer's work in one transaction that first locks the enterprise's row, so that writes of one
 * enterprise never interleave and each sees the last one's result. The work's changes go to the
 * change log in that same transaction, numbered per enterprise, with the enterprise's version;
 * after the commit this node's listeners (its read cache, its change feed) hear exactly what
 * changed. Other nodes learn it from the log ({@link ChangeLog}).
 */
public final class OrgWriter {
    /** A writer's work inside the transaction. */
    public interface Work<T> {
        T write(OrgTransaction tx) throws SQLException;
    }

    /** Told on this node after a commit. */
    public interface Listener {
        /** Changes committed with the enterprise's new {@code version}; never empty. */
        void written(String corpId, long version, List<OrgChange> changes);

        /** An enterprise was registered: its (empty) org can be read at once. */
        void registered(String corpId);

        /** An enterprise and its org were removed. */
        void removed(String corpId);
    }

    private final DataSource ds;
    private final Clock clock;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();

    public OrgWriter(DataSource ds, Clock clock) {
        this.ds = ds;
        this.clock = clock;
    }

    public void listen(Listener listener) {
        listeners.add(listener);
    }

    /**
     * Runs {@code work} under the enterprise's lock in one transaction, with its changes logged;
     * answers what the work answered, or empty when the enterprise is not registered (removed
     * while the writer prepared), in which case nothing ran. A work that throws leaves every row
     * as it was.
     */
    public <T> Optional<T> write(String corpId, OrgChange.Source source, Work<T> work) throws SQLException {
        OrgVersions.ensureRow(ds, corpId);
        Committed<T> done = Sql.inTransaction(ds, c -> {
            Optional<Optional<Long>> run = lock(c, corpId);
            if (run.isEmpty()) {
                return null;
            }
            OrgTransaction tx = new OrgTransaction(c, corpId, run.get().orElse(null), clock.millis());
            T result = work.write(tx);
            if (!tx.changed()) {
                return new Committed<>(result, 0, List.of());
            }
            OrgVersions.Version v = OrgVersions.bump(c, corpId, tx.pendingCount());
            List<OrgChange> changes = tx.log(v.changeSeq() - tx.pendingCount() + 1, source);
            return new Committed<>(result, v.version(), changes);
        });
        if (done == null) {
            return Optional.empty();
        }
        if (!done.changes.isEmpty()) {
            listeners.forEach(l -> l.written(corpId, done.version, done.changes));
        }
        return Optional.ofNullable(done.result);
    }

    private record Committed<T>(T result, long version, List<OrgChange> changes) {}

    /** Locks the enterprise row: empty when there is none, else its current run (empty before the first). */
    private static Optional<Optional<Long>> lock(Connection c, String corpId) throws SQLException {
        return Sql.one(
                c,
                "SELECT current_run_id FROM enterprise WHERE corp_id = ? FOR UPDATE",
                rs -> Optional.ofNullable(Sql.nullableLong(rs, "current_run_id")),
                corpId);
    }

    /**
     * Records when a resolve confirmed that the member still holds its mobile: bookkeeping that no
     * answer shows, so neither the lock nor a change.
     */
    public void confirmLearned(String corpId, String userid, long at) throws SQLException {
        Sql.run(ds, c -> OrgTables.markLearned(c, corpId, userid, at));
    }

    /** After an enterprise was registered: its version row exists, and this node answers for it at once. */
    public void registered(String corpId) throws SQLException {
        OrgVersions.ensureRow(ds, corpId);
        listeners.forEach(l -> l.registered(corpId));
    }

    /**
     * Removes the enterprise's organisation and its change log inside the caller's transaction,
     * which holds the enterprise's lock and removes the enterprise itself: its version moves, so
     * that every node drops what it cached. Call {@link #removed} after the commit.
     */
    public static void removeOrganisation(Connection c, String corpId) throws SQLException {
        OrgTables.deleteOrganisation(c, corpId);
        ChangeLog.deleteAll(c, corpId);
        OrgVersions.bump(c, corpId, 0);
    }

    /** After the commit of an enterprise's removal. */
    public void removed(String corpId) {
        listeners.forEach(l -> l.removed(corpId));
    }
}
