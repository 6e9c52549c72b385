package io.orgsync.sync;

import java.sql.SQLException;

/** Which enterprises receive WeCom's contact-change events: their syncs are reconciles that record a drift. */
public interface EventFeed {
    EventFeed NONE = corpId -> false;

    boolean receivesEvents(String corpId) throws SQLException;
}
