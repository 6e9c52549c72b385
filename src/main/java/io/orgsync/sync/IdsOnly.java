package io.orgsync.sync;

import io.orgsync.member.StoredDepartment;
import io.orgsync.member.StoredMember;
import io.orgsync.wecom.WecomDepartment;
import io.orgsync.wecom.WecomMember;
import java.util.HashSet;
import java.util.Set;

/**
 * What a sync stores for what it knows by id alone (a contact-sync secret on a new IP lists ids,
 * departments and parents, no names; docs/setups.md): the details stored before stay, the
 * memberships and the tree follow WeCom.
 */
final class IdsOnly {
    private IdsOnly() {}

    /** A known member listed by user/list_id: its details as stored, its departments as listed. */
    static StoredMember moved(StoredMember old, WecomMember listed) {
        Set<Long> departments = new HashSet<>();
        listed.departments().forEach(d -> departments.add((long) d));
        long main = departments.contains(old.mainDepartment()) ? old.mainDepartment() : listed.mainDepartment();
        return new StoredMember(
                old.userid(),
                old.name(),
                old.mobile(),
                old.mobileSource(),
                old.email(),
                old.position(),
                old.status(),
                main,
                false,
                departments,
                old.leaderIn() == null ? null : kept(old.leaderIn(), departments),
                old.directLeader(),
                old.alias(),
                old.telephone());
    }

    private static Set<Long> kept(Set<Long> leaderIn, Set<Long> departments) {
        Set<Long> out = new HashSet<>(leaderIn);
        out.retainAll(departments);
        return out;
    }

    /**
     * A department's name: department/simplelist gives none, so the stored one stays; a department
     * never named has none (null: answered as not known).
     */
    static String name(WecomDepartment d, StoredDepartment old) {
        if (d.name() != null) {
            return d.name();
        }
        return old == null ? null : old.name();
    }
}
