package io.orgsync.member;

import io.orgsync.store.Snapshot;
import io.orgsync.store.Sql;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Reads members by mobile or userid: one indexed statement per read, which also returns the
 * enterprise's org version as that statement saw it. Department names and paths come from the
 * enterprise's department tree at that same version (kept in a {@link TreeCache}), so that a
 * member and its paths always come from one committed state; a tree not kept yet is read with
 * the members again in one snapshot.
 */
public final class MemberQueries {
    /**
     * No ORDER BY: MariaDB would build a temporary table and filesort for every lookup to order
     * a handful of rows; {@link #collect} orders them in Java instead. Columns are read by
     * position (the order of this list), which spares the driver a lookup by name per value.
     */
    private static final String SELECT = "SELECT " + MemberRow.COLUMNS + ", md.department_id, md.is_leader, v.version "
            + "FROM member m "
            + "LEFT JOIN member_department md ON md.corp_id = m.corp_id AND md.userid = m.userid "
            + "LEFT JOIN org_version v ON v.corp_id = m.corp_id ";

    private static final Comparator<Row> ORDER = Comparator.comparing((Row r) -> r.member.corpId())
            .thenComparing(r -> r.member.userid())
            .thenComparing(r -> r.departmentId == null ? Long.MIN_VALUE : r.departmentId);
    private final DataSource ds;
    private final TreeCache trees;

    public MemberQueries(DataSource ds) {
        this(ds, TreeCache.NONE);
    }

    public MemberQueries(DataSource ds, TreeCache trees) {
        this.ds = ds;
        this.trees = trees;
    }

    /** A member, and whether they have left the enterprise (departed members are kept, marked). */
    public record Found(Member member, boolean departed) {}

    /** Current (not departed) members with this normalised mobile, optionally in one enterprise. */
    public List<Member> byMobile(String mobile, String corpId) throws SQLException {
        List<Found> found = corpId == null
                ? read("WHERE m.mobile = ? AND m.departed = FALSE", mobile)
                : read("WHERE m.mobile = ? AND m.corp_id = ? AND m.departed = FALSE", mobile, corpId);
        return found.stream().map(Found::member).toList();
    }

    /** The member with this userid, departed or not, as a list of none or one. */
    public List<Member> byUserid(String corpId, String userid) throws SQLException {
        return member(corpId, userid).map(f -> List.of(f.member())).orElse(List.of());
    }

    public Optional<Found> member(String corpId, String userid) throws SQLException {
        List<Found> found = read("WHERE m.corp_id = ? AND m.userid = ?", corpId, userid);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    /** Members not departed, per enterprise (for a resolve budget and the demo's summary). */
    public int activeCount(String corpId) throws SQLException {
        return Sql.withConnection(
                ds,
                c -> Sql.one(
                                c,
                                "SELECT COUNT(*) FROM member WHERE corp_id = ? AND departed = FALSE",
                                rs -> rs.getInt(1),
                                corpId)
                        .orElse(0));
    }

    /** The enterprise's department tree as the connection's transaction sees it. */
    public static DepartmentTree loadTree(Connection c, String corpId) throws SQLException {
        return DepartmentTree.of(MemberReads.departments(c, corpId).values());
    }

    private List<Found> read(String where, Object... args) throws SQLException {
        List<Row> rows = Sql.withConnection(ds, c -> Sql.query(c, SELECT + where, Row::of, args));
        Map<String, DepartmentTree> kept = new HashMap<>();
        for (Row r : rows) {
            if (!kept.containsKey(r.corpId())) {
                DepartmentTree tree = trees.tree(r.corpId(), r.version());
                if (tree == null) {
                    kept = null;
                    break;
                }
                kept.put(r.corpId(), tree);
            }
        }
        if (kept != null) {
            return collect(rows, kept);
        }
        // the tree at the rows' version is not kept: read both again in one snapshot, so that they agree
        return Snapshot.read(ds, c -> {
            List<Row> again = Sql.query(c, SELECT + where, Row::of, args);
            Map<String, DepartmentTree> loaded = new HashMap<>();
            for (Row r : again) {
                if (!loaded.containsKey(r.corpId())) {
                    DepartmentTree tree = trees.tree(r.corpId(), r.version());
                    if (tree == null) {
                        tree = loadTree(c, r.corpId());
                        trees.keep(r.corpId(), r.version, tree);
                    }
                    loaded.put(r.corpId(), tree);
                }
            }
            return collect(again, loaded);
        });
    }

    private record Row(MemberRow member, Long departmentId, Boolean isLeader, long version) {
        String corpId() {
            return member.corpId();
        }

        static Row of(java.sql.ResultSet rs) throws SQLException {
            int at = MemberRow.WIDTH;
            long id = rs.getLong(at + 1);
            // right after its getLong: wasNull tells of the last column read
            Long departmentId = rs.wasNull() ? null : id;
            boolean leader = rs.getBoolean(at + 2);
            Boolean isLeader = rs.wasNull() ? null : leader;
            // no version row yet (nothing written since the table came): version 0, as the version watch counts it
            return new Row(MemberRow.read(rs), departmentId, isLeader, rs.getLong(at + 3));
        }
    }

    private static List<Found> collect(List<Row> rows, Map<String, DepartmentTree> trees) {
        rows.sort(ORDER);
        Map<String, List<Row>> byMember = new LinkedHashMap<>();
        rows.forEach(r -> byMember.computeIfAbsent(r.corpId() + "\n" + r.member.userid(), k -> new ArrayList<>())
                .add(r));
        List<Found> out = new ArrayList<>();
        for (List<Row> group : byMember.values()) {
            MemberRow first = group.get(0).member;
            Map<Long, Boolean> memberships = new HashMap<>();
            for (Row r : group) {
                if (r.departmentId != null) {
                    memberships.put(r.departmentId, r.isLeader);
                }
            }
            out.add(new Found(first.toMember(trees.get(first.corpId()), memberships), first.departed()));
        }
        return out;
    }
}
