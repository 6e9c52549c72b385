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
    /** {@code path}: the department's names from the root down, joined by '/'. */
    public record DepartmentRef(long id, String name, String path) {}
}
