package io.orgsync.member;

import io.orgsync.store.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The SQL of {@code member}, {@code member_department} and {@code department}. Writes take the
 * caller's connection, so that a whole sync applies in one transaction.
 */
public final class MemberStore {
    private static final String MEMBER_COLUMNS = "userid, name, mobile, mobile_source, email, position, status, "
            + "main_department, departed, alias, telephone, direct_leader";

    private static final int BATCH = 1000;

    private MemberStore() {}

    /** Every member of the enterprise, departed ones included, with their departments. */
    public static Map<String, StoredMember> loadForSync(Connection c, String corpId) throws SQLException {
        Map<String, StoredMemberRows.Memberships> memberships = new HashMap<>();
        Sql.query(
                c,
                "SELECT userid, department_id, is_leader FROM member_department WHERE corp_id = ?",
                rs -> {
                    memberships
                            .computeIfAbsent(rs.getString(1), k -> new StoredMemberRows.Memberships())
                            .add(rs);
                    return null;
                },
                corpId);
        Map<String, StoredMember> out = new HashMap<>();
        Sql.query(
                c,
                "SELECT " + MEMBER_COLUMNS + " FROM member WHERE corp_id = ?",
                rs -> {
                    String userid = rs.getString("userid");
                    out.put(
                            userid,
                            StoredMemberRows.member(
                                    rs, memberships.getOrDefault(userid, new StoredMemberRows.Memberships())));
                    return null;
                },
                corpId);
        return out;
    }

    /** One member with its departments, locked for the caller's transaction. */
    public static java.util.Optional<StoredMember> findForUpdate(Connection c, String corpId, String userid)
            throws SQLException {
        StoredMemberRows.Memberships memberships = new StoredMemberRows.Memberships();
        Sql.query(
                c,
                "SELECT userid, department_id, is_leader FROM member_department WHERE corp_id = ? AND userid = ?",
                rs -> {
                    memberships.add(rs);
                    return null;
                },
                corpId,
                userid);
        return Sql.one(
                c,
                "SELECT " + MEMBER_COLUMNS + " FROM member WHERE corp_id = ? AND userid = ? FOR UPDATE",
                rs -> StoredMemberRows.member(rs, memberships),
                corpId,
                userid);
    }

    /** Records that a resolve wrote the member while {@code runId} was the enterprise's current run. */
    public static void markResolved(Connection c, String corpId, String userid, long runId) throws SQLException {
        Sql.update(c, "UPDATE member SET resolved_in_run = ? WHERE corp_id = ? AND userid = ?", runId, corpId, userid);
    }

    /** The members a resolve wrote while {@code runId}, or a later run, was the enterprise's current one. */
    public static Set<String> resolvedSince(Connection c, String corpId, long runId) throws SQLException {
        return new HashSet<>(Sql.query(
                c,
                "SELECT userid FROM member WHERE corp_id = ? AND resolved_in_run >= ?",
                rs -> rs.getString(1),
                corpId,
                runId));
    }

    /** Records when a resolve learned the member's mobile (ORGSYNC_RESOLVE_RECHECK_DAYS counts from it). */
    public static void markLearned(Connection c, String corpId, String userid, long at) throws SQLException {
        Sql.update(c, "UPDATE member SET mobile_learned_at = ? WHERE corp_id = ? AND userid = ?", at, corpId, userid);
    }

    /**
     * Whether a current member holds this mobile as learned by a resolve before {@code cutoff}
     * (or at a time not recorded): the pair is due to be confirmed with WeCom.
     */
    public static boolean learnedBefore(Connection c, String corpId, String mobile, long cutoff) throws SQLException {
        return Sql.one(
                        c,
                        "SELECT 1 FROM member WHERE corp_id = ? AND mobile = ? AND mobile_source = ? AND departed = FALSE "
                                + "AND (mobile_learned_at IS NULL OR mobile_learned_at < ?)",
                        rs -> 1,
                        corpId,
                        mobile,
                        StoredMember.LEARNED,
                        cutoff)
                .isPresent();
    }

    /** Whether the current member {@code userid} is stored with this mobile. */
    public static boolean holds(Connection c, String corpId, String userid, String mobile) throws SQLException {
        return Sql.one(
                        c,
                        "SELECT 1 FROM member WHERE corp_id = ? AND userid = ? AND mobile = ? AND departed = FALSE",
                        rs -> 1,
                        corpId,
                        userid,
                        mobile)
                .isPresent();
    }

    /**
     * Takes the mobile from every member of the enterprise stored with it but {@code keeper} (null:
     * from all): WeCom said it is someone else's now, or nobody's. Answers how many rows changed.
     */
    public static int clearMobile(Connection c, String corpId, String mobile, String keeper, long now)
            throws SQLException {
        return Sql.update(
                c,
                "UPDATE member SET mobile = NULL, mobile_source = NULL, mobile_learned_at = NULL, updated_at = ? "
                        + "WHERE corp_id = ? AND mobile = ? AND userid <> ?",
                now,
                corpId,
                mobile,
                keeper == null ? "" : keeper);
    }

    public static Map<Long, StoredDepartment> departments(Connection c, String corpId) throws SQLException {
        Map<Long, StoredDepartment> out = new HashMap<>();
        Sql.query(
                c,
                "SELECT id, name, parent_id, sort_order FROM department WHERE corp_id = ?",
                rs -> {
                    out.put(
                            rs.getLong(1),
                            new StoredDepartment(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getLong(4)));
                    return null;
                },
                corpId);
        return out;
    }

    public static void insertMembers(Connection c, String corpId, Collection<StoredMember> members, long now)
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
    public static void updateMembers(Connection c, String corpId, Collection<StoredMember> members, long now)
            throws SQLException {
        updateMemberRows(c, corpId, members, now);
        replaceMemberships(c, corpId, members);
    }

    /** Rewrites the members' rows only: a sync calls it for the many changes that leave departments alone. */
    public static void updateMemberRows(Connection c, String corpId, Collection<StoredMember> members, long now)
            throws SQLException {
        batch(
                c,
                "UPDATE member SET name = ?, mobile = ?, mobile_source = ?, email = ?, position = ?, status = ?, main_department = ?, "
                        + "departed = ?, alias = ?, telephone = ?, direct_leader = ?, updated_at = ? WHERE corp_id = ? AND userid = ?",
                members,
                (ps, m) -> bindMember(ps, corpId, m, now));
    }

    /** Makes the members' memberships their {@code departments()}. */
    public static void replaceMemberships(Connection c, String corpId, Collection<StoredMember> members)
            throws SQLException {
        batch(c, "DELETE FROM member_department WHERE corp_id = ? AND userid = ?", members, (ps, m) -> {
            ps.setString(1, corpId);
            ps.setString(2, m.userid());
        });
        insertMemberships(c, corpId, members);
    }

    public static void upsertDepartments(
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
