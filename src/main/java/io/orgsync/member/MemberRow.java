package io.orgsync.member;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Map;

/**
 * A member row as the read queries select it ({@link #COLUMNS}, first in the select list, read by
 * position), made into the API's {@link Member} with its memberships and the department tree.
 */
public record MemberRow(
        String corpId,
        String userid,
        String name,
        String mobile,
        String email,
        String position,
        Integer status,
        long mainDepartment,
        long updatedAt,
        boolean departed,
        String alias,
        String telephone,
        String directLeader) {
    /** The columns of {@code member m}, in the order {@link #read} takes them. */
    public static final String COLUMNS = "m.corp_id, m.userid, m.name, m.mobile, m.email, m.position, m.status, "
            + "m.main_department, m.updated_at, m.departed, m.alias, m.telephone, m.direct_leader";

    /** How many columns {@link #COLUMNS} names: the next one selected is column {@code WIDTH + 1}. */
    public static final int WIDTH = 13;

    public static MemberRow read(ResultSet rs) throws SQLException {
        int status = rs.getInt(7);
        Integer knownStatus = rs.wasNull() ? null : status;
        return new MemberRow(
                rs.getString(1),
                rs.getString(2),
                rs.getString(3),
                rs.getString(4),
                rs.getString(5),
                rs.getString(6),
                knownStatus,
                rs.getLong(8),
                rs.getLong(9),
                rs.getBoolean(10),
                rs.getString(11),
                rs.getString(12),
                rs.getString(13));
    }

    /**
     * The member with {@code memberships} (department id to its leader flag, null: not known).
     * Empty texts are shown as null here too: a node of an earlier build, during a rolling
     * upgrade, still writes a hidden e-mail as ''.
     */
    public Member toMember(DepartmentTree tree, Map<Long, Boolean> memberships) {
        return new Member(
                corpId,
                userid,
                StoredMember.known(name),
                mobile,
                StoredMember.known(email),
                StoredMember.known(position),
                Member.status(status, departed),
                mainDepartment,
                tree.refs(memberships),
                DirectLeaders.parse(directLeader),
                StoredMember.known(alias),
                StoredMember.known(telephone),
                Instant.ofEpochMilli(updatedAt).toString());
    }
}
