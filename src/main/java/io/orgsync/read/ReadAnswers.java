package io.orgsync.read;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.orgsync.error.Refusal;
import io.orgsync.error.RefusedException;
import io.orgsync.http.Json;
import io.orgsync.member.Member;
import io.orgsync.member.MemberQueries;
import io.orgsync.store.Sql;
import java.io.UncheckedIOException;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The answers of the read routes (lookup by mobile included), built from the stored copy
 * through the node's {@link ReadCache}: each is a status and the JSON bytes to write, so that a
 * hit costs no query and no serialisation. Inputs arrive validated ({@link ReadRoutes}).
 */
public final class ReadAnswers {
    private final DataSource ds;
    private final ReadCache cache;
    private final MemberQueries members;
    private final ReadQueries lists;
    private final DepartmentList departments;
    private final Cursors cursors;

    public ReadAnswers(DataSource ds, ReadCache cache, MemberQueries members, Cursors cursors) {
        this.ds = ds;
        this.cache = cache;
        this.members = members;
        this.lists = new ReadQueries(ds, cache);
        this.departments = new DepartmentList(ds, lists);
        this.cursors = cursors;
    }

    /** A list request's paging: where to continue (the cursor as given, or null) and how many. */
    public record Paging(String cursor, int limit) {}

    /** {@code corpId} null: across every enterprise. */
    public Answer byMobile(String mobile, String corpId) throws SQLException {
        if (corpId == null) {
            return cache.get(AnswerKey.mobile(null, mobile), () -> mobileAnswer(mobile, null));
        }
        if (Boolean.FALSE.equals(cache.knows(corpId))) {
            return mobileNotFound(mobile, corpId);
        }
        return cache.get(AnswerKey.mobile(corpId, mobile), () -> mobileAnswer(mobile, corpId));
    }

    private Answer mobileAnswer(String mobile, String corpId) throws SQLException {
        List<Member> found = members.byMobile(mobile, corpId);
        if (found.isEmpty()) {
            return mobileNotFound(mobile, corpId);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("mobile", mobile);
        body.put("members", found);
        return ok(body);
    }

    private static Answer mobileNotFound(String mobile, String corpId) {
        return notFound(
                "not_found",
                "no member has mobile " + mobile + (corpId == null ? "" : " in " + corpId)
                        + "; POST /api/v1/members/resolve asks WeCom");
    }

    public Answer member(String corpId, String userid, boolean includeDeparted) throws SQLException {
        requireCorp(corpId);
        return cache.get(AnswerKey.member(corpId, userid, includeDeparted), () -> {
            Optional<MemberQueries.Found> found = members.member(corpId, userid);
            if (found.isEmpty() || (found.get().departed() && !includeDeparted)) {
                return notFound(
                        "not_found",
                        "no member " + userid + " in " + corpId
                                + (found.isPresent()
                                        ? " (one has left: add includeDeparted=true to see departed members)"
                                        : ""));
            }
            return ok(found.get().member());
        });
    }

    /** Cursor scopes name the route and every parameter that shapes the list, so that a cursor fits only its own query. */
    public Answer search(String corpId, String prefix, boolean includeDeparted, Paging paging) throws SQLException {
        String folded = prefix.toLowerCase(java.util.Locale.ROOT);
        String scope = "members\n" + corpId + "\n" + folded + "\n" + flag(includeDeparted);
        String after = paging.cursor == null ? null : cursors.open(scope, paging.cursor);
        requireCorp(corpId);
        return cache.get(
                AnswerKey.search(corpId, folded, includeDeparted, paging.limit, after),
                () -> list(lists.search(corpId, folded, includeDeparted, after, paging.limit), scope));
    }

    public Answer departments(String corpId, boolean includeDeparted) throws SQLException {
        requireCorp(corpId);
        return cache.get(
                AnswerKey.departments(corpId, includeDeparted),
                () -> ok(departments.departments(corpId, includeDeparted)));
    }

    public Answer departmentMembers(
            String corpId, long department, boolean recursive, boolean includeDeparted, Paging paging)
            throws SQLException {
        String scope = "department\n" + corpId + "\n" + department + "\n" + flag(recursive) + flag(includeDeparted);
        String after = paging.cursor == null ? null : cursors.open(scope, paging.cursor);
        requireCorp(corpId);
        return cache.get(
                AnswerKey.department(corpId, department, recursive, includeDeparted, paging.limit, after),
                () -> lists.departmentMembers(corpId, department, recursive, includeDeparted, after, paging.limit)
                        .map(page -> list(page, scope))
                        .orElseGet(() -> notFound(
                                "not_found",
                                "no department " + department + " in " + corpId + ": GET /api/v1/corps/" + corpId
                                        + "/departments lists them")));
    }

    /**
     * 404 unknown_corp for an enterprise that is not registered, from the versions this node
     * polls (no query); only when those are too old to tell does it ask the database.
     */
    private void requireCorp(String corpId) throws SQLException {
        Boolean known = cache.knows(corpId);
        if (known == null) {
            known = Sql.withConnection(
                    ds,
                    c -> Sql.one(c, "SELECT 1 FROM enterprise WHERE corp_id = ?", rs -> 1, corpId)
                            .isPresent());
        }
        if (!known) {
            throw new RefusedException(
                    Refusal.UNKNOWN_CORP,
                    "no enterprise " + corpId
                            + " is registered: check the corpId (as WeCom shows it; GET /admin/api/enterprises lists them)");
        }
    }

    private Answer list(ReadQueries.Page page, String scope) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("items", page.items());
        body.put(
                "nextCursor",
                page.more()
                        ? cursors.issue(
                                scope, page.items().get(page.items().size() - 1).userid())
                        : null);
        return ok(body);
    }

    private static String flag(boolean b) {
        return b ? "+" : "-";
    }

    private static Answer ok(Object body) {
        return new Answer(200, bytes(body));
    }

    private static Answer notFound(String code, String message) {
        return new Answer(404, bytes(Map.of("error", Map.of("code", code, "message", message))));
    }

    private static byte[] bytes(Object body) {
        try {
            return Json.MAPPER.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
