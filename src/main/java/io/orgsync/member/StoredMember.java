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
    /** {@code mobileSource} of a mobile learned through getuserid (the app hides mobiles). */
    public static final String LEARNED = "resolve";

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
        // a departed row is someone who left: whoever has the userid now starts without their number
        if (mobile == null && !mobilesShown && old != null && !old.departed && old.mobile() != null) {
            mobile = old.mobile();
            source = old.mobileSource();
        }
        return fromWecom(m, mobile, source);
    }

    /**
     * This member marked departed. A mobile a resolve learned belonged to this person, not to the
     * userid: it goes with them, so that no newcomer given the same userid answers for it.
     */
    public StoredMember leaving() {
        boolean learned = LEARNED.equals(mobileSource);
        return new StoredMember(
                userid,
                name,
                learned ? null : mobile,
                learned ? null : mobileSource,
                email,
                position,
                status,
                mainDepartment,
                true,
                departments);
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
