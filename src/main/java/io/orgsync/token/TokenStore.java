package io.orgsync.token;

import io.orgsync.store.Dialect;
import io.orgsync.store.SecretCipher;
import io.orgsync.store.SecretUnreadableException;
import io.orgsync.store.Sql;
import io.orgsync.store.Upsert;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The SQL of {@code upstream_token}: one row per key, its token, its fetch lease, the hold that
 * keeps every node from asking the upstream, and the count of forced refreshes. Every write but
 * {@link #tryLease} is made only while holding the lease, so a node that lost it changes nothing.
 */
final class TokenStore {
    record Row(
            String value,
            Long expiresAt,
            Long refreshAt,
            long version,
            String leaseOwner,
            Long leaseUntil,
            Hold hold,
            int failCount,
            String rejectedHash,
            Long forceAt,
            Integer forceDay,
            int forceCount) {
        Token token() {
            return value == null ? null : new Token(value, expiresAt, refreshAt, version);
        }

        Hold activeHold(long now) {
            return hold != null && hold.until() > now ? hold : null;
        }

        /** Forced refreshes already sent on {@code day}. */
        int forcesOn(int day) {
            return forceDay != null && forceDay == day ? forceCount : 0;
        }

        @Override
        public String toString() {
            return "Row[version=" + version + ", leaseOwner=" + leaseOwner + ", hold=" + hold + ", failCount="
                    + failCount + "]";
        }
    }

    private static final String COLUMNS =
            "access_token, expires_at, refresh_at, version, lease_owner, lease_until, hold_until, "
                    + "hold_kind, hold_errcode, hold_reason, fail_count, rejected_hash, force_at, force_day, force_count";

    private static final Upsert NEW_ROW =
            Upsert.into("upstream_token", "token_key").keep("version");

    private final DataSource ds;
    private final Dialect dialect;
    private final SecretCipher cipher;

    TokenStore(DataSource ds) {
        this(ds, new SecretCipher(null));
    }

    /**
     * {@code cipher}: with ORGSYNC_SECRET_KEY, tokens are stored sealed like secrets, so that the
     * SELECT-only account of a read-only node cannot call the upstream with them. Without it they
     * are stored as they are, as older builds stored them; either kind of row is read.
     */
    TokenStore(DataSource ds, SecretCipher cipher) {
        this.ds = ds;
        this.dialect = Dialect.of(ds);
        this.cipher = cipher;
    }

    private String seal(String token) {
        return cipher.encrypting() ? cipher.seal(token) : token;
    }

    /**
     * The stored token: sealed by this or another node with the same key, or as an older build (or
     * a node without a key) stored it. One this node cannot open counts as none: a fetch replaces it.
     */
    private String open(String stored) {
        if (stored == null || !stored.startsWith(SecretCipher.SEALED)) {
            return stored;
        }
        try {
            return cipher.open(stored, "an access token");
        } catch (SecretUnreadableException e) {
            return null;
        }
    }

    Optional<Row> find(String key) throws SQLException {
        return Sql.withConnection(
                ds, c -> Sql.one(c, "SELECT " + COLUMNS + " FROM upstream_token WHERE token_key = ?", this::row, key));
    }

    /** Creates the key's row if it is missing; a no-op otherwise (also when two nodes race). */
    void ensureRow(String key) throws SQLException {
        Sql.run(ds, c -> dialect.insertIfAbsent(c, NEW_ROW, key, 0));
    }

    /** Takes the fetch lease unless another holder has a live one. */
    boolean tryLease(String key, String owner, long now, long until) throws SQLException {
        return Sql.withConnection(
                        ds,
                        c -> Sql.update(
                                c,
                                "UPDATE upstream_token SET lease_owner = ?, lease_until = ? WHERE token_key = ? AND (lease_owner IS NULL OR lease_until < ?)",
                                owner,
                                until,
                                key,
                                now))
                == 1;
    }

    /** Moves the end of a lease this holder still has; false when it was lost. */
    boolean extendLease(String key, String owner, long until) throws SQLException {
        return Sql.withConnection(
                        ds,
                        c -> Sql.update(
                                c,
                                "UPDATE upstream_token SET lease_until = ? WHERE token_key = ? AND lease_owner = ?",
                                until,
                                key,
                                owner))
                == 1;
    }

    /**
     * Stores a fetched token, only while still holding the lease; false when the lease was lost.
     * A token that worked ends any hold and failure streak.
     */
    boolean store(String key, String owner, Token token, long now) throws SQLException {
        return Sql.withConnection(
                        ds,
                        c -> Sql.update(
                                c,
                                "UPDATE upstream_token SET access_token = ?, expires_at = ?, refresh_at = ?, fetched_at = ?, fetched_by = ?, "
                                        + "version = version + 1, lease_owner = NULL, lease_until = NULL, hold_until = NULL, hold_kind = NULL, "
                                        + "hold_errcode = NULL, hold_reason = NULL, fail_count = 0, rejected_hash = NULL "
                                        + "WHERE token_key = ? AND lease_owner = ?",
                                seal(token.value()),
                                token.expiresAt(),
                                token.refreshAt(),
                                now,
                                owner,
                                key,
                                owner))
                == 1;
    }

    /** Records a hold (and the failure streak behind it) and gives the lease back. */
    boolean hold(String key, String owner, Hold hold, int failCount) throws SQLException {
        return putHold(
                hold,
                failCount,
                ", lease_owner = NULL, lease_until = NULL WHERE token_key = ? AND lease_owner = ?",
                key,
                owner);
    }

    /**
     * Records a hold that could not be written when it was decided (the database was unreachable),
     * unless a token was stored since (version moved) or a later hold is already there.
     */
    boolean holdIfUnchanged(String key, Hold hold, int failCount, long version) throws SQLException {
        return putHold(
                hold,
                failCount,
                " WHERE token_key = ? AND version = ? AND (hold_until IS NULL OR hold_until < ?)",
                key,
                version,
                hold.until());
    }

    private boolean putHold(Hold hold, int failCount, String rest, Object... restArgs) throws SQLException {
        Object[] args = new Object[5 + restArgs.length];
        args[0] = hold.until();
        args[1] = hold.kind().name();
        args[2] = hold.errcode();
        args[3] = fit(hold.reason());
        args[4] = failCount;
        System.arraycopy(restArgs, 0, args, 5, restArgs.length);
        return Sql.withConnection(
                        ds,
                        c -> Sql.update(
                                c,
                                "UPDATE upstream_token SET hold_until = ?, hold_kind = ?, hold_errcode = ?, hold_reason = ?, fail_count = ?"
                                        + rest,
                                args))
                == 1;
    }

    /**
     * The upstream rejected the stored token and keeps handing it back: the token is dropped (so
     * that no node hands it to a caller again), its fingerprint kept, and the key held.
     */
    boolean dropRejected(String key, String owner, String rejectedHash, Hold hold) throws SQLException {
        return Sql.withConnection(
                        ds,
                        c -> Sql.update(
                                c,
                                "UPDATE upstream_token SET access_token = NULL, expires_at = NULL, refresh_at = NULL, version = version + 1, "
                                        + "rejected_hash = ?, hold_until = ?, hold_kind = ?, hold_errcode = ?, hold_reason = ?, "
                                        + "lease_owner = NULL, lease_until = NULL WHERE token_key = ? AND lease_owner = ?",
                                rejectedHash,
                                hold.until(),
                                hold.kind().name(),
                                hold.errcode(),
                                fit(hold.reason()),
                                key,
                                owner))
                == 1;
    }

    /** Counts a forced refresh before it is sent, so that a crash in between still counts it. */
    boolean recordForce(String key, String owner, long at, int day, int countThatDay) throws SQLException {
        return Sql.withConnection(
                        ds,
                        c -> Sql.update(
                                c,
                                "UPDATE upstream_token SET force_at = ?, force_day = ?, force_count = ? WHERE token_key = ? AND lease_owner = ?",
                                at,
                                day,
                                countThatDay,
                                key,
                                owner))
                == 1;
    }

    void release(String key, String owner) throws SQLException {
        Sql.withConnection(
                ds,
                c -> Sql.update(
                        c,
                        "UPDATE upstream_token SET lease_owner = NULL, lease_until = NULL WHERE token_key = ? AND lease_owner = ?",
                        key,
                        owner));
    }

    /** hold_reason is a VARCHAR(1000). */
    private static String fit(String reason) {
        return reason.length() <= 1000 ? reason : reason.substring(0, 997) + "...";
    }

    private Row row(ResultSet rs) throws SQLException {
        Long holdUntil = Sql.nullableLong(rs, "hold_until");
        Hold hold = null;
        if (holdUntil != null) {
            int errcode = rs.getInt("hold_errcode");
            hold = new Hold(
                    Hold.Kind.valueOf(rs.getString("hold_kind")), holdUntil, errcode, rs.getString("hold_reason"));
        }
        Long forceDay = Sql.nullableLong(rs, "force_day");
        return new Row(
                open(rs.getString("access_token")),
                Sql.nullableLong(rs, "expires_at"),
                Sql.nullableLong(rs, "refresh_at"),
                rs.getLong("version"),
                rs.getString("lease_owner"),
                Sql.nullableLong(rs, "lease_until"),
                hold,
                rs.getInt("fail_count"),
                rs.getString("rejected_hash"),
                Sql.nullableLong(rs, "force_at"),
                forceDay == null ? null : forceDay.intValue(),
                rs.getInt("force_count"));
    }
}
