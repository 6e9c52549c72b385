package io.orgsync.read;

import io.javalin.config.RoutesConfig;
import io.javalin.http.ContentType;
import io.javalin.http.Context;
import io.orgsync.error.Refusal;
import io.orgsync.error.RefusedException;
import io.orgsync.http.HttpServer;
import io.orgsync.http.IdFormats;
import java.util.regex.Pattern;

/**
 * The read API over the stored copy (docs/http-api.md, "Public routes"). Every parameter is checked here,
 * before the cache, the database or the upstream sees the request; a bad one answers 400 with
 * what to send instead.
 */
public final class ReadRoutes implements HttpServer.Routes {
    static final Pattern USERID = Pattern.compile("[A-Za-z0-9_.@-]{1,64}");
    private static final Pattern DEPARTMENT = Pattern.compile("[1-9][0-9]{0,9}");
    private static final long MAX_DEPARTMENT = 0xFFFF_FFFFL;
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;
    static final int MAX_QUERY = 64;
    private final ReadAnswers answers;

    public ReadRoutes(ReadAnswers answers) {
        this.answers = answers;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.get("/api/v1/corps/{corpId}/members/{userid}", ctx -> {
            String corpId = corpId(ctx);
            String userid = ctx.pathParam("userid");
            if (!USERID.matcher(userid).matches()) {
                throw invalid(
                        "userid must be 1 to 64 letters, digits or _ . @ - (the member's account as WeCom shows it)");
            }
            write(ctx, answers.member(corpId, userid, flag(ctx, "includeDeparted")));
        });
        routes.get("/api/v1/corps/{corpId}/members", ctx -> {
            String corpId = corpId(ctx);
            String q = ctx.queryParam("q");
            q = q == null ? "" : q.strip();
            if (q.length() > MAX_QUERY || q.codePoints().anyMatch(Character::isISOControl)) {
                throw invalid("q must be at most " + MAX_QUERY
                        + " characters without control characters: the start of a name or userid");
            }
            boolean includeDeparted = flag(ctx, "includeDeparted");
            write(ctx, answers.search(corpId, q, includeDeparted, paging(ctx)));
        });
        routes.get(
                "/api/v1/corps/{corpId}/departments",
                ctx -> write(ctx, answers.departments(corpId(ctx), flag(ctx, "includeDeparted"))));
        routes.get("/api/v1/corps/{corpId}/departments/{id}/members", ctx -> {
            String corpId = corpId(ctx);
            String id = ctx.pathParam("id");
            if (!DEPARTMENT.matcher(id).matches() || Long.parseLong(id) > MAX_DEPARTMENT) {
                throw invalid("department id must be a whole number from 1 to " + MAX_DEPARTMENT
                        + " (GET /api/v1/corps/" + corpId + "/departments lists them)");
            }
            boolean recursive = flag(ctx, "recursive");
            boolean includeDeparted = flag(ctx, "includeDeparted");
            write(ctx, answers.departmentMembers(corpId, Long.parseLong(id), recursive, includeDeparted, paging(ctx)));
        });
    }

    private static String corpId(Context ctx) {
        String corpId = ctx.pathParam("corpId");
        if (!IdFormats.CORP_ID.matcher(corpId).matches()) {
            throw invalid("corpId must be 1 to 64 letters, digits or _ . - (as WeCom shows it, e.g. ww1234abcd)");
        }
        return corpId;
    }

    private static boolean flag(Context ctx, String name) {
        String v = ctx.queryParam(name);
        if (v == null) {
            return false;
        }
        if (v.equalsIgnoreCase("true")) {
            return true;
        }
        if (v.equalsIgnoreCase("false")) {
            return false;
        }
        throw invalid(name + " must be true or false");
    }

    private static ReadAnswers.Paging paging(Context ctx) {
        String limit = ctx.queryParam("limit");
        int n = DEFAULT_LIMIT;
        if (limit != null) {
            if (!limit.matches("[0-9]{1,4}") || Integer.parseInt(limit) < 1 || Integer.parseInt(limit) > MAX_LIMIT) {
                throw invalid(
                        "limit must be a whole number from 1 to " + MAX_LIMIT + " (default " + DEFAULT_LIMIT + ")");
            }
            n = Integer.parseInt(limit);
        }
        String cursor = ctx.queryParam("cursor");
        if (cursor != null && (cursor.isEmpty() || cursor.length() > Cursors.MAX_LENGTH)) {
            throw invalid(
                    "cursor must be the nextCursor of the previous page, as received; leave it out for the first page");
        }
        return new ReadAnswers.Paging(cursor, n);
    }

    /** Writes the answer as it is: UTF-8 JSON bytes, straight to the response. */
    public static void write(Context ctx, Answer answer) {
        ctx.status(answer.status()).contentType(ContentType.APPLICATION_JSON).result(answer.body());
    }

    private static RefusedException invalid(String message) {
        return new RefusedException(Refusal.INVALID_REQUEST, message);
    }
}
