package io.orgsync.token;

import io.orgsync.store.Sql;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.function.UnaryOperator;

/**
 * One key's row of {@code upstream_token} as read: its token, its fetch lease, the hold that keeps
 * every node from asking the upstream, the failure streak and the count of forced refreshes.
 */
record TokenRow(
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
    static final String COLUMNS =
            "access_token, expires_at, refresh_at, version, lease_owner, lease_until, hold_until, "
                    + "hold_kind, hold_errcode, hold_reason, fail_count, rejected_hash, force_at, force_day, force_count";

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
        return "Row[version=" + version + ", leaseOwner=" + leaseOwner + ", hold=" + hold + ", failCount=" + failCount
                + "]";
    }

    /** The row at the result set's cursor; {@code open} turns the stored token back into its value. */
    static TokenRow read(ResultSet rs, UnaryOperator<String> open) throws SQLException {
        Long holdUntil = Sql.nullableLong(rs, "hold_until");
        Hold hold = null;
        if (holdUntil != null) {
            int errcode = rs.getInt("hold_errcode");
            hold = new Hold(
                    Hold.Kind.valueOf(rs.getString("hold_kind")), holdUntil, errcode, rs.getString("hold_reason"));
        }
        Long forceDay = Sql.nullableLong(rs, "force_day");
        return new TokenRow(
                open.apply(rs.getString("access_token")),
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
