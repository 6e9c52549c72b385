package io.orgsync.feed;

import io.orgsync.org.ChangeLog;
import io.orgsync.org.OrgChange;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/**
 * How far a subscription is behind, from the database (the deliverer writes its cursors after
 * every batch): the changes not yet handed on, and the age of the oldest of them.
 */
record Lag(long events, long seconds) {
    static Lag of(Subscription s, List<String> corps, Map<String, CursorStore.Cursor> cursors, ChangeLog log, long now)
            throws SQLException {
        long events = 0;
        long oldest = now;
        for (String corpId : corps) {
            if (!s.covers(corpId)) {
                continue;
            }
            CursorStore.Cursor c = cursors.get(corpId);
            long at = c == null ? 0 : c.seq();
            long latest = log.latest(corpId);
            if (latest > at) {
                events += latest - at;
                List<OrgChange> next = log.after(corpId, at, 1);
                if (!next.isEmpty()) {
                    oldest = Math.min(oldest, next.get(0).changedAt());
                }
            }
        }
        return new Lag(events, Math.max(0, (now - oldest) / 1000));
    }
}
