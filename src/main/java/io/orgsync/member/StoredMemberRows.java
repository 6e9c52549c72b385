package io.orgsync.member;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.Set;

/** A {@link StoredMember} read from its member row ({@code MemberReads}' columns, by name) and its memberships. */
final class StoredMemberRows {
    private StoredMemberRows() {}

    /** A member's member_department rows: its departments, and the ones it leads unless a flag is unknown. */
    static final class Memberships {
        final Set<Long> departments = new HashSet<>();
        final Set<Long> leaderIn = new HashSet<>();
        boolean unknownFlag;

        /** Adds the row of (…, department_id, is_leader) in columns 2 and 3. */
        void add(ResultSet rs) throws SQLException {
            long department = rs.getLong(2);
            departments.add(department);
            boolean leader = rs.getBoolean(3);
            if (rs.wasNull()) {
                unknownFlag = true;
            } else if (leader) {
                leaderIn.add(department);
            }
        }
    }

    static StoredMember member(ResultSet rs, Memberships memberships) throws SQLException {
        int status = rs.getInt("status");
        Integer knownStatus = rs.wasNull() ? null : status;
        return new StoredMember(
                rs.getString("userid"),
                rs.getString("name"),
                rs.getString("mobile"),
                rs.getString("mobile_source"),
                rs.getString("email"),
                rs.getString("position"),
                knownStatus,
                rs.getLong("main_department"),
                rs.getBoolean("departed"),
                memberships.departments,
                memberships.unknownFlag ? null : memberships.leaderIn,
                DirectLeaders.parse(rs.getString("direct_leader")),
                rs.getString("alias"),
                rs.getString("telephone"));
    }
}
