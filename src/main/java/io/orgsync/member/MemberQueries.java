package io.orgsync.member;

import io.orgsync.store.Sql;

import javax.sql.DataSource;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads members for the lookup API: one indexed query per lookup, departments joined in. */
public final class MemberQueries {
    /**
     * No ORDER BY: MariaDB would build a temporary table and filesort for every lookup to order
     * a handful of rows; {@link #collect} orders them in Java instead. Columns are read by
     * position (the order of this list), which spares the driver a lookup by name per value.
     */
    private static final String SELECT = "SELECT m.corp_id, m.userid, m.name, m.mobile, m.email, m.position, m.status, "
            + "m.main_department, m.updated_at, md.department_id, d.name AS department_name FROM member m "
            + "LEFT JOIN member_department md ON md.corp_id = m.corp_id AND md.userid = m.userid "
            + "LEFT JOIN department d ON d.corp_id = md.corp_id AND d.id = md.department_id ";
    private static final Comparator<Row> ORDER = Comparator.comparing(Row::corpId).thenComparing(Row::userid)
            .thenComparing(r -> r.departmentId == null ? Long.MIN_VALUE : r.departmentId);
    private final DataSource ds;

    public MemberQueries(DataSource ds) {
        this.ds = ds;
    }

    /** Current (not departed) members with this normalised mobile, optionally in one enterprise. */
    public List<Member> byMobile(String mobile, String corpId) throws SQLException {
        return Sql.withConnection(ds, c -> collect(corpId == null
                ? Sql.query(c, SELECT + "WHERE m.mobile = ? AND m.departed = FALSE", Row::of, mobile)
                : Sql.query(c, SELECT + "WHERE m.mobile = ? AND m.corp_id = ? AND m.departed = FALSE", Row::of, mobile, corpId)));
    }

    public List<Member> byUserid(String corpId, String userid) throws SQLException {
        return Sql.withConnection(ds, c -> collect(Sql.query(c,
                SELECT + "WHERE m.corp_id = ? AND m.userid = ?", Row::of, corpId, userid)));
    }

    /** Members not departed, per enterprise (for a resolve budget and the demo's summary). */
    public int activeCount(String corpId) throws SQLException {
        return Sql.withConnection(ds, c -> Sql.one(c, "SELECT COUNT(*) FROM member WHERE corp_id = ? AND departed = FALSE",
                rs -> rs.getInt(1), corpId).orElse(0));
    }

    private record Row(String corpId, String userid, String name, String mobile, String email, String position, int status,
                       long mainDepartment, long updatedAt, Long departmentId, String departmentName) {
        static Row of(java.sql.ResultSet rs) throws SQLException {
            long id = rs.getLong(10);
            Long departmentId = rs.wasNull() ? null : id; // right after its getLong: wasNull tells of the last column read
            return new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6),
                    rs.getInt(7), rs.getLong(8), rs.getLong(9), departmentId, rs.getString(11));
        }
    }

    private static List<Member> collect(List<Row> rows) {
        rows.sort(ORDER);
        Map<String, List<Row>> byMember = new LinkedHashMap<>();
        rows.forEach(r -> byMember.computeIfAbsent(r.corpId + "\n" + r.userid, k -> new ArrayList<>()).add(r));
        List<Member> out = new ArrayList<>();
        for (List<Row> group : byMember.values()) {
            Row first = group.get(0);
            List<Member.DepartmentRef> departments = new ArrayList<>();
            for (Row r : group) {
                if (r.departmentId != null) {
                    departments.add(new Member.DepartmentRef(r.departmentId, r.departmentName));
                }
            }
            out.add(new Member(first.corpId, first.userid, first.name, first.mobile, first.email, first.position, first.status,
                    first.mainDepartment, departments, Instant.ofEpochMilli(first.updatedAt).toString()));
        }
        return out;
    }
}
