package io.orgsync.feed;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.orgsync.error.Refusal;
import io.orgsync.error.RefusedException;
import io.orgsync.http.HttpServer;
import io.orgsync.http.IdFormats;
import io.orgsync.org.ChangeLog;
import io.orgsync.org.OrgChange;
import io.orgsync.store.Sql;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.List;
import java.util.OptionalLong;
import javax.sql.DataSource;

/**
 * The pull feed, {@code GET /api/v1/corps/{corpId}/changes?after=&limit=}: the same events a
 * subscription receives, a page at a time in sequence order, behind the read API's token. An
 * {@code after} whose successors the retention deleted answers 410 gone.
 */
final class ChangesRoute implements HttpServer.Routes {
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;

    private final DataSource ds;
    private final ChangeLog log;
    private final FeedEvents events;

    ChangesRoute(DataSource ds, ChangeLog log, FeedEvents events) {
        this.ds = ds;
        this.log = log;
        this.events = events;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.get("/api/v1/corps/{corpId}/changes", this::page);
    }

    private void page(Context ctx) throws SQLException {
        String corpId = ctx.pathParam("corpId");
        if (!IdFormats.CORP_ID.matcher(corpId).matches()) {
            throw invalid("corpId must be 1 to 64 letters, digits or _ . - (as WeCom shows it, e.g. ww1234abcd)");
        }
        long after = number(
                ctx.queryParam("after"),
                0,
                Long.MAX_VALUE,
                0,
                "after must be a sequence number, 0 or "
                        + "more: the \"next\" of the previous page (0 or left out for the first)");
        int limit = (int) number(
                ctx.queryParam("limit"),
                1,
                MAX_LIMIT,
                DEFAULT_LIMIT,
                "limit must be a whole number from 1 to " + MAX_LIMIT + " (default " + DEFAULT_LIMIT + ")");
        requireCorp(corpId);
        long latest = log.latest(corpId);
        if (after < latest) {
            OptionalLong oldest = log.oldest(corpId);
            if (oldest.isEmpty() || after < oldest.getAsLong() - 1) {
                throw new RefusedException(
                        Refusal.GONE,
                        "the changes of " + corpId + " after sequence " + after + " are no longer kept "
                                + "(ORGSYNC_CHANGE_RETENTION_DAYS): read the members and departments once through "
                                + "the read API, then continue with after=" + latest + " (sequence " + latest + ")");
            }
        }
        List<OrgChange> changes = log.after(corpId, after, limit);
        ByteArrayOutputStream body = new ByteArrayOutputStream(512 * (changes.size() + 1));
        body.writeBytes("{\"items\":[".getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < changes.size(); i++) {
            if (i > 0) {
                body.write(',');
            }
            body.writeBytes(events.event(changes.get(i)));
        }
        long next = changes.isEmpty() ? after : changes.get(changes.size() - 1).seq();
        body.writeBytes(("],\"next\":\"" + next + "\"}").getBytes(StandardCharsets.UTF_8));
        ctx.status(200).contentType("application/json").result(body.toByteArray());
    }

    private void requireCorp(String corpId) throws SQLException {
        boolean known = Sql.withConnection(
                ds,
                c -> Sql.one(c, "SELECT 1 FROM enterprise WHERE corp_id = ?", rs -> 1, corpId)
                        .isPresent());
        if (!known) {
            throw new RefusedException(
                    Refusal.UNKNOWN_CORP,
                    "no enterprise " + corpId
                            + " is registered: check the corpId (as WeCom shows it; GET /admin/api/enterprises lists them)");
        }
    }

    private static long number(String value, long min, long max, long absent, String message) {
        if (value == null) {
            return absent;
        }
        if (!value.matches("[0-9]{1,18}")) {
            throw invalid(message);
        }
        long n = Long.parseLong(value);
        if (n < min || n > max) {
            throw invalid(message);
        }
        return n;
    }

    private static RefusedException invalid(String message) {
        return new RefusedException(Refusal.INVALID_REQUEST, message);
    }
}
