package io.orgsync.enterprise;

import io.orgsync.store.Sql;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * The columns of {@code enterprise} the syncs write: what the set-up could read ({@link Access})
 * and when the contact-sync secret last answered 48009 (docs/setups.md).
 */
public final class AccessStore {
    /** A contact-sync secret that answered 48009 is asked for details again after this. */
    static final long IDS_ONLY_RECHECK_MILLIS = 24 * 3_600_000L;

    private AccessStore() {}

    /** Whether the contact-sync secret answered 48009 less than a day before {@code now}. */
    static boolean idsOnlyKnown(DataSource ds, String corpId, long now) throws SQLException {
        // 0 for never: a day has passed since
        long at = Sql.withConnection(
                        ds,
                        c -> Sql.one(
                                c,
                                "SELECT COALESCE(contact_ids_only_at, 0) FROM enterprise WHERE corp_id = ?",
                                rs -> rs.getLong(1),
                                corpId))
                .orElse(0L);
        return at > 0 && now - at < IDS_ONLY_RECHECK_MILLIS;
    }

    /** A new contact-sync secret has answered nothing yet: the next sync asks it for details again. */
    static void forgetIdsOnly(DataSource ds, String corpId) throws SQLException {
        Sql.withConnection(
                ds, c -> Sql.update(c, "UPDATE enterprise SET contact_ids_only_at = NULL WHERE corp_id = ?", corpId));
    }

    /**
     * The contact-sync secret answered 48009 at {@code now}: written as soon as the fetch learns it,
     * so that a run that applies nothing (refused, failed) still does not ask again within the day.
     */
    static void learnedIdsOnly(DataSource ds, String corpId, long now) throws SQLException {
        Sql.withConnection(
                ds, c -> Sql.update(c, "UPDATE enterprise SET contact_ids_only_at = ? WHERE corp_id = ?", now, corpId));
    }

    /**
     * Records what a complete sync read, inside its apply. {@code idsOnly}: whether the contact-sync
     * secret is known to list ids only (its time stays); else the time is cleared.
     */
    public static void record(
            Connection c, String corpId, boolean names, boolean complete, boolean wholeRange, boolean idsOnly, long now)
            throws SQLException {
        Sql.update(
                c,
                "UPDATE enterprise SET access_names = ?, access_complete = ?, access_whole = ?, access_checked_at = ?"
                        + (idsOnly ? "" : ", contact_ids_only_at = NULL") + " WHERE corp_id = ?",
                names,
                complete,
                wholeRange,
                now,
                corpId);
    }
}
