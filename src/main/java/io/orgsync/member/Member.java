package io.orgsync.member;

import java.util.List;

/** A member as the HTTP API shows it (docs/http-api.md, "A member"). */
public record Member(
        String corpId,
        String userid,
        String name,
        String mobile,
        String email,
        String position,
        int status,
        long mainDepartment,
        List<DepartmentRef> departments,
        String updatedAt) {
    /**
     * WeCom's status for a member who has left the enterprise: what a departed member is shown
     * with (the row keeps the status WeCom last gave, which the sync compares against).
     */
    public static final int DEPARTED = 5;

    /** The status to show for a member row. */
    public static int status(int stored, boolean departed) {
        return departed ? DEPARTED : stored;
    }

    /** {@code path}: the department's names from the root down, joined by '/'. */
    public record DepartmentRef(long id, String name, String path) {}
}
