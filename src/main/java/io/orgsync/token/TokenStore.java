package io.orgsync.token;

import io.orgsync.store.Dialect;
import io.orgsync.store.SecretCipher;
import io.orgsync.store.SecretUnreadableException;
import io.orgsync.store.Sql;
import io.orgsync.store.Upsert;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The SQL of {@code upstream_token}: one row per key, its token, its fetch lease, the hold that
 * keeps every node from asking the upstream, and the count of forced refreshes (read as a
 * {@link TokenRow}). Every write but {@link #tryLease} and {@link #holdIfUnchanged} is made only
 * while holding the lease, so a node that lost it changes nothing.
 */
final class TokenStore {
    private static final String HOLD_SET =
            "hold_until = ?, hold_kind = ?, hold_errcode = ?, hold_reason = ?, fail_count = ?";

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

    Optional<TokenRow> find(String key) throws SQLException {
        return Sql.withConnection(
                ds,
                c -> Sql.one(
                        c,
                        "SELECT " + TokenRow.COLUMNS + " FROM upstream_token WHERE token_key = ?",
                        rs -> TokenRow.read(rs, this::open),
                        key));
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
        return updateLeased(key, owner, "lease_until = ?", until);
    }

    /**
     * Stores a fetched token, only while still holding the lease; false when the lease was lost.
     * A token that worked ends any hold and failure streak.
     */
    boolean store(String key, String owner, Token token, long now) throws SQLException {
        return updateLeased(
                key,
                owner,
                "access_token = ?, expires_at = ?, refresh_at = ?, fetched_at = ?, fetched_by = ?, "
                        + "version = version + 1, lease_owner = NULL, lease_until = NULL, hold_until = NULL, hold_kind = NULL, "
                        + "hold_errcode = NULL, hold_reason = NULL, fail_count = 0, rejected_hash = NULL",
                seal(token.value()),
                token.expiresAt(),
                token.refreshAt(),
                now,
                owner);
    }

    /** Records a hold (and the failure streak behind it) and gives the lease back. */
    boolean hold(String key, String owner, Hold hold, int failCount) throws SQLException {
        return updateLeased(
                key, owner, HOLD_SET + ", lease_owner = NULL, lease_until = NULL", holdArgs(hold, failCount));
    }

    /**
     * Records a hold that could not be written when it was decided (the database was unreachable),
     * unless a token was stored since (version moved) or a later hold is already there.
     */
    boolean holdIfUnchanged(String key, Hold hold, int failCount, long version) throws SQLException {
        Object[] args = append(holdArgs(hold, failCount), key, version, hold.until());
        return Sql.withConnection(
                        ds,
                        c -> Sql.update(
                                c,
                                "UPDATE upstream_token SET " + HOLD_SET
                                        + " WHERE token_key = ? AND version = ? AND (hold_until IS NULL OR hold_until < ?)",
                                args))
                == 1;
    }

    /**
     * The upstream rejected the stored token and keeps handing it back: the token is dropped (so
     * that no node hands it to a caller again), its fingerprint kept, and the key held.
     */
    boolean dropRejected(String key, String owner, String rejectedHash, Hold hold) throws SQLException {
        return updateLeased(
                key,
                owner,
                "access_token = NULL, expires_at = NULL, refresh_at = NULL, version = version + 1, "
                        + "rejected_hash = ?, hold_until = ?, hold_kind = ?, hold_errcode = ?, hold_reason = ?, "
                        + "lease_owner = NULL, lease_until = NULL",
                rejectedHash,
                hold.until(),
                hold.kind().name(),
                hold.errcode(),
                fit(hold.reason()));
    }

    /** Counts a forced refresh before it is sent, so that a crash in between still counts it. */
    boolean recordForce(String key, String owner, long at, int day, int countThatDay) throws SQLException {
        return updateLeased(key, owner, "force_at = ?, force_day = ?, force_count = ?", at, day, countThatDay);
    }

    void release(String key, String owner) throws SQLException {
        updateLeased(key, owner, "lease_owner = NULL, lease_until = NULL");
    }

    /**
     * Updates the key's row only while {@code owner} holds its fetch lease: the guard every write
     * but {@link #tryLease} and {@link #holdIfUnchanged} carries. False when the lease was lost.
     */
    private boolean updateLeased(String key, String owner, String set, Object... setArgs) throws SQLException {
        Object[] args = append(setArgs, key, owner);
        return Sql.withConnection(
                        ds,
                        c -> Sql.update(
                                c,
                                "UPDATE upstream_token SET " + set + " WHERE token_key = ? AND lease_owner = ?",
                                args))
                == 1;
    }

    private static Object[] holdArgs(Hold hold, int failCount) {
        return new Object[] {hold.until(), hold.kind().name(), hold.errcode(), fit(hold.reason()), failCount};
    }

    private static Object[] append(Object[] first, Object... more) {
        Object[] all = Arrays.copyOf(first, first.length + more.length);
        System.arraycopy(more, 0, all, first.length, more.length);
        return all;
    }

    /** hold_reason is a VARCHAR(1000). */
    private static String fit(String reason) {
        return reason.length() <= 1000 ? reason : reason.substring(0, 997) + "...";
    }
}
