package io.orgsync.callback;

import java.sql.Connection;
import java.sql.SQLException;

/** Told inside each transaction that applies an event, before it commits (the read cache bumps the enterprise's version here). */
public interface AppliedHook {
    AppliedHook NONE = (c, corpId) -> {
    };

    void applied(Connection c, String corpId) throws SQLException;
}
