package io.orgsync.member;

import java.util.Set;

/** A member row with its departments, as the sync compares and writes it. */
public record StoredMember(
        String userid,
        String name,
        String mobile,
        String mobileSource,
        String email,
        String position,
        int status,
        long mainDepartment,
        boolean departed,
        Set<Long> departments) {
    public StoredMember {
        departments = Set.copyOf(departments);
    }

    /** Same stored values (the departed flag included). */
    public boolean sameAs(StoredMember o) {
        return name.equals(o.name)
                && java.util.Objects.equals(mobile, o.mobile)
                && java.util.Objects.equals(mobileSource, o.mobileSource)
                && email.equals(o.email)
                && position.equals(o.position)
                && status == o.status
                && mainDepartment == o.mainDepartment
                && departed == o.departed
                && departments.equals(o.departments);
    }
}
