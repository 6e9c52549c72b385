package io.orgsync.org;

import io.orgsync.member.DirectLeaders;
import io.orgsync.member.StoredDepartment;
import io.orgsync.member.StoredMember;
import io.orgsync.store.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The statements that write {@code member}, {@code member_department} and {@code department}: the
 * only ones in orgsync, called by {@link OrgTransaction} alone (their reads for writers:
 * member.MemberReads; for answers: member.MemberQueries). Each takes the caller's connection, so
 * that a whole sync applies in one transaction.
 */
final class OrgTables {
    private static final int BATCH = 1000;

    private OrgTables() {}

    /** Records that a resolve wrote the member while {@code runId} was the enterprise's current run. */
    static void markResolved(Connection c, String corpId, String userid, long runId) throws SQLException {
        Sql.update(c, "UPDATE member SET resolved_in_run = ? WHERE corp_id = ? AND userid = ?", runId, corpId, userid);
    }

    /** Records when a resolve learned the member's mobile (ORGSYNC_RESOLVE_RECHECK_DAYS counts from it). */
    static void markLearned(Connection c, String corpId, String userid, long at) throws SQLException {
        Sql.update(c, "UPDATE member SET mobile_learned_at = ? WHERE corp_id = ? AND userid = ?", at, corpId, userid);
    }

    /** The members of the enterprise stored with the mobile, but {@code keeper} (null: all). */
    static List<String> holders(Connection c, String corpId, String mobile, String keeper) throws SQLException {
        return Sql.query(
                c,
                "SELECT userid FROM member WHERE corp_id = ? AND mobile = ? AND userid <> ?",
                rs -> rs.getString(1),
                corpId,
                mobile,
                keeper == null ? "" : keeper);
    }

    /** The member keeps its row and loses the mobile (and what was known of how it was learned). */
    static void clearMobile(Connection c, String corpId, String userid, long now) throws SQLException {
        Sql.update(
                c,
                "UPDATE member SET mobile = NULL, mobile_source = NULL, mobile_learned_at = NULL, updated_at = ? "
                        + "WHERE corp_id = ? AND userid = ?",
                now,
                corpId,
                userid);
    }

    /** The userids with a membership in the department. */
    static List<String> membersIn(Connection c, String corpId, long departmentId) throws SQLException {
        return Sql.query(
                c,
                "SELECT userid FROM member_department WHERE corp_id = ? AND department_id = ?",
                rs -> rs.getString(1),
                corpId,
                departmentId);
    }

    /** Gives member {@code from} the userid {@code to}; a row already under {@code to} gives way. */
    static void rename(Connection c, String corpId, String from, String to) throws SQLException {
        Sql.update(c, "DELETE FROM member_department WHERE corp_id = ? AND userid = ?", corpId, to);
        Sql.update(c, "DELETE FROM member WHERE corp_id = ? AND userid = ?", corpId, to);
        Sql.update(c, "UPDATE member SET userid = ? WHERE corp_id = ? AND userid = ?", to, corpId, from);
        Sql.update(c, "UPDATE member_department SET userid = ? WHERE corp_id = ? AND userid = ?", to, corpId, from);
    }

    /** Every member, membership and department of the enterprise. */
    static void deleteOrganisation(Connection c, String corpId) throws SQLException {
        for (String table : List.of("member_department", "member", "department")) {
            Sql.update(c, "DELETE FROM " + table + " WHERE corp_id = ?", corpId);
        }
    }

    static void insertMembers(Connection c, String corpId, Collection<StoredMember> members, long now)
            throws SQLException {
        batch(
                c,
                "INSERT INTO member (name, mobile, mobile_source, email, position, status, main_department, departed, "
                        + "alias, telephone, direct_leader, updated_at, corp_id, userid) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                members,
                (ps, m) -> bindMember(ps, corpId, m, now));
        insertMemberships(c, corpId, members);
    }

    /** Rewrites the members' rows and their memberships. */
    static void updateMembers(Connection c, String corpId, Collection<StoredMember> members, long now)
            throws SQLException {
        updateMemberRows(c, corpId, members, now);
        replaceMemberships(c, corpId, members);
    }

    /** Rewrites the members' rows only: a sync calls it for the many changes that leave departments alone. */
    static void updateMemberRows(Connection c, String corpId, Collection<StoredMember> members, long now)
            throws SQLException {
        batch(
                c,
                "UPDATE member SET name = ?, mobile = ?, mobile_source = ?, email = ?, position = ?, status = ?, main_department = ?, "
                        + "departed = ?, alias = ?, telephone = ?, direct_leader = ?, updated_at = ? WHERE corp_id = ? AND userid = ?",
                members,
                (ps, m) -> bindMember(ps, corpId, m, now));
    }

    /** Makes the members' memberships their {@code departments()}. */
    static void replaceMemberships(Connection c, String corpId, Collection<StoredMember> members) throws SQLException {
        batch(c, "DELETE FROM member_department WHERE corp_id = ? AND userid = ?", members, (ps, m) -> {
            ps.setString(1, corpId);
            ps.setString(2, m.userid());
        });
        insertMemberships(c, corpId, members);
    }

    static void upsertDepartments(
            Connection c,
            String corpId,
            Collection<StoredDepartment> inserts,
            Collection<StoredDepartment> updates,
            Collection<Long> deletes)
            throws SQLException {
        batch(
                c,
                "INSERT INTO department (name, parent_id, sort_order, corp_id, id) VALUES (?, ?, ?, ?, ?)",
                inserts,
                (ps, d) -> bindDepartment(ps, corpId, d));
        batch(
                c,
                "UPDATE department SET name = ?, parent_id = ?, sort_order = ? WHERE corp_id = ? AND id = ?",
                updates,
                (ps, d) -> bindDepartment(ps, corpId, d));
        batch(c, "DELETE FROM department WHERE corp_id = ? AND id = ?", deletes, (ps, id) -> {
            ps.setString(1, corpId);
            ps.setLong(2, id);
        });
    }

    private static void insertMemberships(Connection c, String corpId, Collection<StoredMember> members)
            throws SQLException {
        List<Object[]> rows = new ArrayList<>();
        for (StoredMember m : members) {
            for (long d : m.departments()) {
                rows.add(new Object[] {
                    m.userid(), d, m.leaderIn() == null ? null : m.leaderIn().contains(d)
                });
            }
        }
        batch(
                c,
                "INSERT INTO member_department (corp_id, userid, department_id, is_leader) VALUES (?, ?, ?, ?)",
                rows,
                (ps, r) -> {
                    ps.setString(1, corpId);
                    ps.setString(2, (String) r[0]);
                    ps.setLong(3, (Long) r[1]);
                    ps.setObject(4, r[2], java.sql.Types.BOOLEAN);
                });
    }

    private static void bindMember(PreparedStatement ps, String corpId, StoredMember m, long now) throws SQLException {
        ps.setString(1, m.name());
        ps.setString(2, m.mobile());
        ps.setString(3, m.mobileSource());
        ps.setString(4, m.email());
        ps.setString(5, m.position());
        ps.setObject(6, m.status(), java.sql.Types.INTEGER);
        ps.setLong(7, m.mainDepartment());
        ps.setBoolean(8, m.departed());
        ps.setString(9, m.alias());
        ps.setString(10, m.telephone());
        ps.setString(11, DirectLeaders.format(m.directLeader()));
        ps.setLong(12, now);
        ps.setString(13, corpId);
        ps.setString(14, m.userid());
    }

    private static void bindDepartment(PreparedStatement ps, String corpId, StoredDepartment d) throws SQLException {
        ps.setString(1, d.name());
        ps.setLong(2, d.parentId());
        ps.setLong(3, d.order());
        ps.setString(4, corpId);
        ps.setLong(5, d.id());
    }

    private interface Binder<T> {
        void bind(PreparedStatement ps, T item) throws SQLException;
    }

    private static <T> void batch(Connection c, String sql, Collection<T> items, Binder<T> binder) throws SQLException {
        if (items.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int n = 0;
            for (T item : items) {
                binder.bind(ps, item);
                ps.addBatch();
                if (++n % BATCH == 0) {
                    ps.executeBatch();
                }
            }
            if (n % BATCH != 0) {
                ps.executeBatch();
            }
        }
    }
}
