package io.orgsync.resolve;

import io.orgsync.store.Dialect;
import io.orgsync.store.Sql;
import io.orgsync.store.Upsert;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.OptionalLong;
import javax.sql.DataSource;

/**
 * The SQL of {@code resolve_miss}, {@code resolve_budget} and {@code resolve_reservation}: the
 * cluster-wide resolve guards. Every change to an enterprise's budget of a day takes the lock of
 * its {@code resolve_budget} row first, so that "failures plus reservations below the budget"
 * is checked and acted on as one step on any number of nodes.
 */
final class ResolveStore {
    /** Deadlock or serialisation failure: the database rolled one side back, which may simply go again. */
    private static final String ROLLED_BACK = "40001";

    private static final int ATTEMPTS = 3;
    private static final Upsert BUDGET_ROW =
            Upsert.into("resolve_budget", "corp_id", "day_key").keep("failures");
    private static final Upsert FAILURE =
            Upsert.into("resolve_budget", "corp_id", "day_key").add("failures");
    private static final Upsert MISS =
            Upsert.into("resolve_miss", "corp_id", "mobile").replace("expires_at");

    private final DataSource ds;
    private final Dialect dialect;

    ResolveStore(DataSource ds) {
        this.ds = ds;
        this.dialect = Dialect.of(ds);
    }

    /** What a reservation attempt found: the day's failures and the live reservations before it, and its id if it got one. */
    record Reservation(int failures, int held, OptionalLong id) {
        boolean granted() {
            return id.isPresent();
        }
    }

    DataSource dataSource() {
        return ds;
    }

    boolean missRemembered(String corpId, String mobile, long now) throws SQLException {
        return Sql.withConnection(
                        ds,
                        c -> Sql.one(
                                c,
                                "SELECT 1 FROM resolve_miss WHERE corp_id = ? AND mobile = ? AND expires_at > ?",
                                rs -> 1,
                                corpId,
                                mobile,
                                now))
                .isPresent();
    }

    int failures(String corpId, String day) throws SQLException {
        return Sql.withConnection(
                ds,
                c -> Sql.one(
                                c,
                                "SELECT failures FROM resolve_budget WHERE corp_id = ? AND day_key = ?",
                                rs -> rs.getInt(1),
                                corpId,
                                day)
                        .orElse(0));
    }

    /**
     * Takes one unit of the day's budget if failures plus live reservations leave one. Expired
     * reservations (their node died mid-resolve) are deleted on the way and no longer count.
     */
    Reservation reserve(String corpId, String day, int budget, String instanceId, long now, long expiresAt)
            throws SQLException {
        // the row must exist to be locked; creating it on its own keeps the locking transaction to one row lock
        retrying(() -> {
            Sql.run(ds, c -> dialect.insertIfAbsent(c, BUDGET_ROW, corpId, day, 0));
            return null;
        });
        return retrying(() -> Sql.inTransaction(ds, c -> {
            int failures = Sql.one(
                            c,
                            "SELECT failures FROM resolve_budget WHERE corp_id = ? AND day_key = ? FOR UPDATE",
                            rs -> rs.getInt(1),
                            corpId,
                            day)
                    .orElse(0);
            // plain reads and deletes by primary key: a locking range read on resolve_reservation would
            // take gap locks that other enterprises' reservations need, and two could deadlock
            List<Long> expired = Sql.query(
                    c,
                    "SELECT id FROM resolve_reservation WHERE corp_id = ? AND expires_at <= ?",
                    rs -> rs.getLong(1),
                    corpId,
                    now);
            for (long id : expired) {
                Sql.update(c, "DELETE FROM resolve_reservation WHERE id = ?", id);
            }
            int held = Sql.one(
                            c,
                            "SELECT COUNT(*) FROM resolve_reservation WHERE corp_id = ? AND day_key = ? AND expires_at > ?",
                            rs -> rs.getInt(1),
                            corpId,
                            day,
                            now)
                    .orElse(0);
            if (failures + held >= budget) {
                return new Reservation(failures, held, OptionalLong.empty());
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO resolve_reservation (corp_id, day_key, instance_id, expires_at) VALUES (?, ?, ?, ?)",
                    Statement.RETURN_GENERATED_KEYS)) {
                ps.setString(1, corpId);
                ps.setString(2, day);
                ps.setString(3, instanceId);
                ps.setLong(4, expiresAt);
                ps.executeUpdate();
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    keys.next();
                    return new Reservation(failures, held, OptionalLong.of(keys.getLong(1)));
                }
            }
        }));
    }

    /** Gives a reservation back: the number was found, or the call failed without a "not found". */
    void release(long reservationId) throws SQLException {
        retrying(() -> Sql.withConnection(
                ds, c -> Sql.update(c, "DELETE FROM resolve_reservation WHERE id = ?", reservationId)));
    }

    /**
     * WeCom said "not found": the reservation becomes one of the day's failures and the number is
     * remembered, in one transaction, so that no other resolve sees the budget with neither.
     */
    void settleNotFound(long reservationId, String corpId, String day, String mobile, long missExpiresAt)
            throws SQLException {
        retrying(() -> Sql.inTransaction(ds, c -> {
            dialect.upsert(c, FAILURE, corpId, day, 1);
            Sql.update(c, "DELETE FROM resolve_reservation WHERE id = ?", reservationId);
            dialect.upsert(c, MISS, corpId, mobile, missExpiresAt);
            return null;
        }));
    }

    private interface Step<T> {
        T run() throws SQLException;
    }

    private static <T> T retrying(Step<T> step) throws SQLException {
        for (int attempt = 1; ; attempt++) {
            try {
                return step.run();
            } catch (SQLException e) {
                if (attempt >= ATTEMPTS || !ROLLED_BACK.equals(e.getSQLState())) {
                    throw e;
                }
            }
        }
    }
}
