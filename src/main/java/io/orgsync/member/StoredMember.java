package io.orgsync.member;

import io.orgsync.wecom.WecomMember;
import java.util.HashSet;
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

    /** The row for a member as WeCom returned it, with the mobile to store and where that mobile came from. */
    public static StoredMember fromWecom(WecomMember m, String mobile, String mobileSource) {
        Set<Long> departments = new HashSet<>();
        m.departments().forEach(d -> departments.add((long) d));
        return new StoredMember(
                m.userid(),
                m.name(),
                mobile,
                mobileSource,
                m.email(),
                m.position(),
                m.status(),
                m.mainDepartment(),
                false,
                departments);
    }

    /**
     * The row for a member WeCom returned (user/list or user/get). A mobile the app cannot see keeps
     * the value learned before (by a resolve or an older sync); where the app shows mobiles, an
     * empty one was removed upstream and goes, or a number given to someone else would match two
     * people.
     */
    public static StoredMember fromUpstream(WecomMember m, StoredMember old, boolean mobilesShown) {
        String mobile = Mobile.normalise(m.mobile()).orElse(null);
        String source = mobile == null ? null : "sync";
        if (mobile == null && !mobilesShown && old != null && old.mobile() != null) {
            mobile = old.mobile();
            source = old.mobileSource();
        }
        return fromWecom(m, mobile, source);
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
