package io.orgsync.callback;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * What else happens when an event is applied: {@link #applied} inside the applying transaction,
 * before it commits (the read cache bumps the enterprise's version there, so that data and
 * version commit together), and {@link #committed} after it (this node drops its cached answers
 * at once instead of at its next poll).
 */
public interface AppliedHook {
    AppliedHook NONE = new AppliedHook() {
        @Override
        public long applied(Connection c, String corpId) {
            return 0;
        }

        @Override
        public void committed(String corpId, long version) {}
    };

    /** Returns what {@link #committed} is handed after the commit (the new version). */
    long applied(Connection c, String corpId) throws SQLException;

    void committed(String corpId, long version);
}
