package io.orgsync.member;

import java.util.List;

/**
 * A member as the HTTP API shows it (docs/http-api.md, "A member"). A field the enterprise's
 * set-up did not read is null, never an empty string: a hidden mobile or e-mail, and every detail
 * of a member only listed by id; {@code directLeader} and a department's {@code isLeader} too.
 */
public record Member(
        String corpId,
        String userid,
        String name,
        String mobile,
        String email,
        String position,
        Integer status,
        long mainDepartment,
        List<DepartmentRef> departments,
        List<String> directLeader,
        String alias,
        String telephone,
        String updatedAt) {
    /**
     * WeCom's status for a member who has left the enterprise: what a departed member is shown
     * with (the row keeps the status WeCom last gave, which the sync compares against).
     */
    public static final int DEPARTED = 5;

    /** The status to show for a member row (null: not known). */
    public static Integer status(Integer stored, boolean departed) {
        return departed ? Integer.valueOf(DEPARTED) : stored;
    }

    /**
     * {@code path}: the department's names from the root down, joined by '/'; {@code isLeader}:
     * WeCom's is_leader_in_dept for the member in it.
     */
    public record DepartmentRef(long id, String name, String path, Boolean isLeader) {}
}
