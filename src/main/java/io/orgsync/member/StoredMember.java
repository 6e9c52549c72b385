package io.orgsync.member;

import io.orgsync.wecom.WecomMember;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A member row with its departments, as the sync compares and writes it. Null is "not known"
 * (the set-up did not read it): texts are never stored empty, {@code leaderIn} (the departments
 * the member leads) and {@code directLeader} are null when WeCom's answer did not carry them.
 */
public record StoredMember(
        String userid,
        String name,
        String mobile,
        String mobileSource,
        String email,
        String position,
        Integer status,
        long mainDepartment,
        boolean departed,
        Set<Long> departments,
        Set<Long> leaderIn,
        List<String> directLeader,
        String alias,
        String telephone) {
    /** {@code mobileSource} of a mobile learned through getuserid (the app hides mobiles). */
    public static final String LEARNED = "resolve";

    public StoredMember {
        departments = Set.copyOf(departments);
        if (leaderIn != null) {
            Set<Long> led = new HashSet<>(leaderIn);
            led.retainAll(departments);
            leaderIn = Set.copyOf(led);
        }
        directLeader = directLeader == null ? null : List.copyOf(directLeader);
        name = known(name);
        email = known(email);
        position = known(position);
        alias = known(alias);
        telephone = known(telephone);
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
                departments,
                leaderIn(m),
                m.directLeader(),
                m.alias(),
                m.telephone());
    }

    /**
     * The row for a member WeCom returned (user/list or user/get). A mobile the app cannot see keeps
     * the value learned before (by a resolve or an older sync); where the app shows mobiles, an
     * empty one was removed upstream and goes, or a number given to someone else would match two
     * people.
     *
     * <p>A kept number belongs to the person it was learned for, not to the userid: a departed row
     * is someone who left, and a row whose name WeCom now gives differently may be a newcomer who
     * got the userid of someone deleted in between two syncs (WeCom lets an administrator reuse
     * it). Either way the number is not kept; a resolve asks getuserid again, which names its
     * holder if it still has one.
     */
    public static StoredMember fromUpstream(WecomMember m, StoredMember old, boolean mobilesShown) {
        String mobile = Mobile.normalise(m.mobile()).orElse(null);
        String source = mobile == null ? null : "sync";
        if (mobile == null
                && !mobilesShown
                && old != null
                && !old.departed
                && old.mobile() != null
                && mayBeTheSamePerson(old, m)) {
            mobile = old.mobile();
            source = old.mobileSource();
        }
        return fromWecom(m, mobile, source);
    }

    /** False when both names are known and differ: the userid may have passed to someone else. */
    private static boolean mayBeTheSamePerson(StoredMember old, WecomMember now) {
        String before = known(old.name());
        String after = known(now.name());
        return before == null || after == null || before.equals(after);
    }

    /** The departments whose is_leader_in_dept flag is 1; null when the flags are missing or not one per department. */
    private static Set<Long> leaderIn(WecomMember m) {
        if (m.leaderIn() == null || m.leaderIn().size() != m.departments().size()) {
            return null;
        }
        Set<Long> led = new HashSet<>();
        for (int i = 0; i < m.departments().size(); i++) {
            if (m.leaderIn().get(i) == 1) {
                led.add((long) m.departments().get(i));
            }
        }
        return led;
    }

    /** This member with a mobile a resolve learned for it, the rest as stored. */
    public StoredMember withLearnedMobile(String learned) {
        return withMobile(learned, LEARNED);
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
                departments,
                leaderIn,
                directLeader,
                alias,
                telephone);
    }

    /** This member without a mobile: WeCom said the number is someone else's now, or nobody's. */
    public StoredMember withoutMobile() {
        return withMobile(null, null);
    }

    private StoredMember withMobile(String number, String source) {
        return new StoredMember(
                userid,
                name,
                number,
                source,
                email,
                position,
                status,
                mainDepartment,
                departed,
                departments,
                leaderIn,
                directLeader,
                alias,
                telephone);
    }

    /** This member no longer in the department (it was deleted; a lost event had left the membership). */
    public StoredMember withoutDepartment(long departmentId) {
        Set<Long> remaining = new HashSet<>(departments);
        remaining.remove(departmentId);
        return new StoredMember(
                userid,
                name,
                mobile,
                mobileSource,
                email,
                position,
                status,
                mainDepartment,
                departed,
                remaining,
                leaderIn,
                directLeader,
                alias,
                telephone);
    }

    /** Same stored values (the departed flag included). */
    public boolean sameAs(StoredMember o) {
        return Objects.equals(name, o.name)
                && Objects.equals(mobile, o.mobile)
                && Objects.equals(mobileSource, o.mobileSource)
                && Objects.equals(email, o.email)
                && Objects.equals(position, o.position)
                && Objects.equals(status, o.status)
                && mainDepartment == o.mainDepartment
                && departed == o.departed
                && Objects.equals(directLeader, o.directLeader)
                && Objects.equals(alias, o.alias)
                && Objects.equals(telephone, o.telephone)
                && sameMemberships(o);
    }

    /** Same departments, and the same leader flags in them: the member_department rows are the same. */
    public boolean sameMemberships(StoredMember o) {
        return departments.equals(o.departments) && Objects.equals(leaderIn, o.leaderIn);
    }

    /** Null for an empty text: the API shows what is not known as null, never as "". */
    static String known(String text) {
        return text == null || text.isEmpty() ? null : text;
    }
}
