package io.orgsync.read;

import io.orgsync.member.DepartmentTree;
import io.orgsync.member.Member;
import io.orgsync.member.MemberQueries;
import io.orgsync.member.MemberRow;
import io.orgsync.member.TreeCache;
import io.orgsync.store.Snapshot;
import io.orgsync.store.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;

/**
 * The list reads of the read API: members by name or userid prefix, a department's members, the
 * department tree with member counts. Each answer is read in one snapshot (its page, the page's
 * memberships and the tree agree), on indexes: keyset pages by userid, never OFFSET.
 */
final class ReadQueries {
    private static final String COLUMNS = MemberRow.COLUMNS;
    private final DataSource ds;
    private final TreeCache trees;

    ReadQueries(DataSource ds, TreeCache trees) {
        this.ds = ds;
        this.trees = trees;
    }

    /** A page of members in userid order; {@code more}: another page follows. */
    record Page(List<Member> items, boolean more) {}

    /** Members whose lower-cased name or userid starts with {@code folded} (every member when empty). */
    Page search(String corpId, String folded, boolean includeDeparted, String after, int limit) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM member m WHERE m.corp_id = ?");
        List<Object> args = new ArrayList<>(List.of(corpId));
        if (!folded.isEmpty()) {
            String pattern = likePrefix(folded);
            sql.append(" AND (m.name_folded LIKE ? ESCAPE '!' OR m.userid_folded LIKE ? ESCAPE '!')");
            args.add(pattern);
            args.add(pattern);
        }
        return page(corpId, sql, args, "m.userid", includeDeparted, after, limit);
    }

    /** The department's members (with its sub-departments' when {@code recursive}); empty when there is no such department. */
    Optional<Page> departmentMembers(
            String corpId, long department, boolean recursive, boolean includeDeparted, String after, int limit)
            throws SQLException {
        return Snapshot.read(ds, c -> {
            DepartmentTree tree = tree(c, corpId, version(c, corpId));
            if (tree.department(department).isEmpty()) {
                return Optional.empty();
            }
            List<Object> args = new ArrayList<>(List.of(corpId));
            StringBuilder sql;
            if (!recursive) {
                // on the (corp_id, department_id, userid) index: the page is one range, already in order
                sql = new StringBuilder(
                        "SELECT " + COLUMNS + " FROM member_department md JOIN member m "
                                + "ON m.corp_id = md.corp_id AND m.userid = md.userid WHERE md.corp_id = ? AND md.department_id = ?");
                args.add(department);
                return Optional.of(pageIn(c, tree, corpId, sql, args, "md.userid", includeDeparted, after, limit));
            }
            Set<Long> ids = tree.subtree(department);
            sql = new StringBuilder("SELECT " + COLUMNS
                    + " FROM member m WHERE m.corp_id = ? AND EXISTS (SELECT 1 FROM member_department md "
                    + "WHERE md.corp_id = m.corp_id AND md.userid = m.userid AND md.department_id IN ("
                    + marks(ids.size()) + "))");
            args.addAll(ids);
            return Optional.of(pageIn(c, tree, corpId, sql, args, "m.userid", includeDeparted, after, limit));
        });
    }

    private Page page(
            String corpId,
            StringBuilder sql,
            List<Object> args,
            String keyColumn,
            boolean includeDeparted,
            String after,
            int limit)
            throws SQLException {
        return Snapshot.read(
                ds,
                c -> pageIn(
                        c,
                        tree(c, corpId, version(c, corpId)),
                        corpId,
                        sql,
                        args,
                        keyColumn,
                        includeDeparted,
                        after,
                        limit));
    }

    private static Page pageIn(
            Connection c,
            DepartmentTree tree,
            String corpId,
            StringBuilder sql,
            List<Object> args,
            String keyColumn,
            boolean includeDeparted,
            String after,
            int limit)
            throws SQLException {
        if (!includeDeparted) {
            sql.append(" AND m.departed = FALSE");
        }
        if (after != null) {
            sql.append(" AND ").append(keyColumn).append(" > ?");
            args.add(after);
        }
        sql.append(" ORDER BY ").append(keyColumn).append(" LIMIT ?");
        args.add(limit + 1);
        List<MemberRow> rows = Sql.query(c, sql.toString(), MemberRow::read, args.toArray());
        boolean more = rows.size() > limit;
        if (more) {
            rows = rows.subList(0, limit);
        }
        Map<String, Map<Long, Boolean>> memberships =
                memberships(c, corpId, rows.stream().map(MemberRow::userid).toList());
        List<Member> items = new ArrayList<>(rows.size());
        for (MemberRow r : rows) {
            items.add(r.toMember(tree, memberships.getOrDefault(r.userid(), Map.of())));
        }
        return new Page(items, more);
    }

    /** Per member, its departments and its leader flag in each (null: not known). */
    private static Map<String, Map<Long, Boolean>> memberships(Connection c, String corpId, Collection<String> userids)
            throws SQLException {
        Map<String, Map<Long, Boolean>> out = new HashMap<>();
        if (userids.isEmpty()) {
            return out;
        }
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT userid, department_id, is_leader FROM member_department WHERE corp_id = ? AND userid IN ("
                        + marks(userids.size()) + ")")) {
            ps.setString(1, corpId);
            int i = 2;
            for (String u : userids) {
                ps.setString(i++, u);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long department = rs.getLong(2);
                    boolean leader = rs.getBoolean(3);
                    out.computeIfAbsent(rs.getString(1), k -> new HashMap<>())
                            .put(department, rs.wasNull() ? null : leader);
                }
            }
        }
        return out;
    }

    /** The first statement of a snapshot: it fixes what every later one sees. */
    private static long version(Connection c, String corpId) throws SQLException {
        return Sql.one(c, "SELECT version FROM org_version WHERE corp_id = ?", rs -> rs.getLong(1), corpId)
                .orElse(0L);
    }

    /** The enterprise's department tree as this snapshot sees it; call it first in the snapshot. */
    DepartmentTree tree(Connection c, String corpId) throws SQLException {
        return tree(c, corpId, version(c, corpId));
    }

    private DepartmentTree tree(Connection c, String corpId, long version) throws SQLException {
        DepartmentTree tree = trees.tree(corpId, version);
        if (tree == null) {
            tree = MemberQueries.loadTree(c, corpId);
            trees.keep(corpId, version, tree);
        }
        return tree;
    }

    private static String marks(int n) {
        return String.join(", ", java.util.Collections.nCopies(n, "?"));
    }

    /** A LIKE pattern for "starts with": '!' escapes the wildcards and itself. */
    static String likePrefix(String prefix) {
        return prefix.replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%";
    }
}
