package io.orgsync.member;

import io.orgsync.store.Sql;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The reads of {@code member}, {@code member_department} and {@code department} that writers make
 * on the connection of their transaction ({@link MemberStore} writes): a sync's load before its
 * apply, a change's locked member, a resolve's checks of a learned pair.
 */
public final class MemberReads {
    private static final String MEMBER_COLUMNS = "userid, name, mobile, mobile_source, email, position, status, "
            + "main_department, departed, alias, telephone, direct_leader";

    private MemberReads() {}

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
    public static Optional<StoredMember> findForUpdate(Connection c, String corpId, String userid) throws SQLException {
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

    /** The members a resolve wrote while {@code runId}, or a later run, was the enterprise's current one. */
    public static Set<String> resolvedSince(Connection c, String corpId, long runId) throws SQLException {
        return new HashSet<>(Sql.query(
                c,
                "SELECT userid FROM member WHERE corp_id = ? AND resolved_in_run >= ?",
                rs -> rs.getString(1),
                corpId,
                runId));
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
}
