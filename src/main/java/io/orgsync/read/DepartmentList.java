package io.orgsync.read;

import io.orgsync.member.DepartmentTree;
import io.orgsync.member.StoredDepartment;
import io.orgsync.store.Snapshot;
import io.orgsync.store.Sql;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import javax.sql.DataSource;

/**
 * The department tree route's answer: every department in tree order with its member count and
 * its leaders, read in one snapshot. A department's leaders are its current members marked
 * is_leader_in_dept in it, which is what WeCom's department_leader lists (docs/upstream.md,
 * "WeCom set-ups"): kept with the memberships, they follow every member change a callback
 * brings, which never sends a department event for them.
 */
final class DepartmentList {
    private final DataSource ds;
    private final ReadQueries queries;

    DepartmentList(DataSource ds, ReadQueries queries) {
        this.ds = ds;
        this.queries = queries;
    }

    /**
     * A department as the tree route shows it. {@code leaders}: userids in order; null when a
     * current member's flag in it is not known (the set-up listed the member by id only).
     */
    record DepartmentView(
            long id, String name, long parentId, long order, String path, int memberCount, List<String> leaders) {}

    /** Every department, with how many members (departed ones only if asked) are directly in it. */
    List<DepartmentView> departments(String corpId, boolean includeDeparted) throws SQLException {
        return Snapshot.read(ds, c -> {
            DepartmentTree tree = queries.tree(c, corpId);
            Map<Long, Integer> counts = new HashMap<>();
            Set<Long> unknownLeaders = new HashSet<>();
            Sql.query(
                    c,
                    "SELECT md.department_id, COUNT(*), "
                            + "SUM(CASE WHEN m.departed = FALSE AND md.is_leader IS NULL THEN 1 ELSE 0 END) "
                            + "FROM member_department md JOIN member m "
                            + "ON m.corp_id = md.corp_id AND m.userid = md.userid WHERE md.corp_id = ?"
                            + (includeDeparted ? "" : " AND m.departed = FALSE") + " GROUP BY md.department_id",
                    rs -> {
                        counts.put(rs.getLong(1), rs.getInt(2));
                        if (rs.getInt(3) > 0) {
                            unknownLeaders.add(rs.getLong(1));
                        }
                        return null;
                    },
                    corpId);
            Map<Long, Set<String>> leaders = new HashMap<>();
            Sql.query(
                    c,
                    "SELECT md.department_id, md.userid FROM member_department md JOIN member m "
                            + "ON m.corp_id = md.corp_id AND m.userid = md.userid "
                            + "WHERE md.corp_id = ? AND md.is_leader = TRUE AND m.departed = FALSE",
                    rs -> leaders.computeIfAbsent(rs.getLong(1), k -> new TreeSet<>())
                            .add(rs.getString(2)),
                    corpId);
            List<DepartmentView> out = new ArrayList<>(tree.size());
            for (StoredDepartment d : tree.inOrder()) {
                out.add(new DepartmentView(
                        d.id(),
                        d.name(),
                        d.parentId(),
                        d.order(),
                        tree.path(d.id()),
                        counts.getOrDefault(d.id(), 0),
                        unknownLeaders.contains(d.id()) ? null : List.copyOf(leaders.getOrDefault(d.id(), Set.of()))));
            }
            return out;
        });
    }
}
