package io.orgsync.callback;

import io.orgsync.member.DepartmentGuards;
import io.orgsync.member.MemberReads;
import io.orgsync.member.Mobile;
import io.orgsync.member.StoredDepartment;
import io.orgsync.member.StoredMember;
import io.orgsync.org.OrgTransaction;
import io.orgsync.store.Sql;
import io.orgsync.wecom.WecomDepartment;
import io.orgsync.wecom.WecomMember;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Writes one event's change into the stored org, through the org's write transaction (which holds
 * the enterprise row lock, as a sync's apply does). Mobiles follow the sync's rule: one the app does
 * not show keeps the number learned before; only an app that shows mobiles can clear one.
 */
final class ChangeWriter {
    /** What the event needs from the upstream, read before the transaction: a member or a department. */
    record Read(WecomMember member, WecomDepartment department) {
        static final Read NONE = new Read(null, null);
    }

    private ChangeWriter() {}

    /** Writes the change; answers why nothing was written (a skip), or null when it was. */
    static String write(OrgTransaction tx, StoredEvent e, Read read) throws SQLException {
        Connection c = tx.connection();
        ContactEvent ev = e.event();
        String corpId = e.corpId();
        switch (ev.changeType()) {
            case "create_user", "update_user" -> {
                String userid = ev.get("UserID");
                if (ev.has("NewUserID")
                        && !ev.get("NewUserID").isEmpty()
                        && !ev.get("NewUserID").equals(userid)) {
                    rename(tx, userid, ev.get("NewUserID"));
                    userid = ev.get("NewUserID");
                }
                Optional<StoredMember> old = MemberReads.findForUpdate(c, corpId, userid);
                StoredMember now0;
                if (read.member() != null) {
                    now0 = StoredMember.fromUpstream(read.member(), old.orElse(null), mobilesShown(c, corpId));
                } else if (old.isPresent() && (!old.get().departed() || "update_user".equals(ev.changeType()))) {
                    // a create for a current member is one delivered again or late: what it does not carry stays
                    // (a learned mobile, fields a newer event wrote), as for an update
                    now0 = merged(ev, old.get(), mobilesShown(c, corpId));
                } else {
                    // a departed row under this userid was someone who left: nothing of theirs passes to the newcomer
                    now0 = merged(ev, blank(userid), mobilesShown(c, corpId));
                }
                writeMember(tx, old.orElse(null), now0);
            }
            case "delete_user" -> {
                Optional<StoredMember> old = MemberReads.findForUpdate(c, corpId, ev.get("UserID"));
                if (old.isEmpty() || old.get().departed()) {
                    return "the member is not stored as current";
                }
                StoredMember m = old.get();
                writeMember(tx, m, m.leaving());
            }
            case "create_party", "update_party" -> {
                long id = Long.parseLong(ev.get("Id"));
                guardDepartment(tx, id);
                Map<Long, StoredDepartment> all = MemberReads.departments(c, corpId);
                StoredDepartment old = all.get(id);
                StoredDepartment d;
                if (read.department() != null) {
                    WecomDepartment w = read.department();
                    d = new StoredDepartment(w.id(), w.name(), w.parentId(), w.order());
                } else {
                    // a department new to orgsync that no secret can read: its name is not known (null, never ""), its
                    // parent the event's ParentId, its order 0 until a sync lists it
                    StoredDepartment base = old != null ? old : new StoredDepartment(id, null, 1, 0);
                    d = new StoredDepartment(
                            id,
                            ev.has("Name") ? ev.get("Name") : base.name(),
                            ev.has("ParentId") ? Long.parseLong(ev.get("ParentId")) : base.parentId(),
                            ev.has("Order") ? Long.parseLong(ev.get("Order")) : base.order());
                }
                if (d.equals(old)) {
                    return "the department is stored as it is";
                }
                tx.putDepartments(List.of(new OrgTransaction.DepartmentWrite(old, d)));
            }
            case "delete_party" -> {
                long id = Long.parseLong(ev.get("Id"));
                guardDepartment(tx, id);
                StoredDepartment old = MemberReads.departments(c, corpId).get(id);
                if (old == null) {
                    return "the department is not stored";
                }
                // WeCom deletes only empty departments; a membership left from a lost event must not point nowhere
                tx.leaveDepartment(id);
                tx.putDepartments(List.of(new OrgTransaction.DepartmentWrite(old, null)));
            }
            default -> {
                return "orgsync keeps no " + ev.changeType() + " changes";
            }
        }
        return null;
    }

    /** Whether the event needs the member or department read from the upstream before it can be written. */
    static boolean needsRead(ContactEvent ev, boolean stored) {
        return switch (ev.changeType()) {
            case "create_user", "create_party" -> !ev.carriesData();
            case "update_user", "update_party" -> !ev.carriesData() || !stored;
            default -> false;
        };
    }

    private static void rename(OrgTransaction tx, String from, String to) throws SQLException {
        if (MemberReads.findForUpdate(tx.connection(), tx.corpId(), from).isEmpty()) {
            return;
        }
        // a departed row under the new userid gives way: the renamed member is the current one
        tx.renameMember(from, to);
    }

    private static void writeMember(OrgTransaction tx, StoredMember old, StoredMember now0) throws SQLException {
        tx.putMember(old, now0);
        // a sync fetching now read this member before the change: it must not write the older data back
        Optional<Long> run = tx.currentRun();
        if (run.isPresent()) {
            tx.markResolved(now0.userid(), run.get());
        }
    }

    /**
     * A sync fetching now read the department tree before this event (whatever it says: created,
     * changed, deleted, or already stored so): its apply must not write the older state back.
     */
    private static void guardDepartment(OrgTransaction tx, long id) throws SQLException {
        Optional<Long> run = tx.currentRun();
        if (run.isPresent()) {
            DepartmentGuards.markWritten(tx.connection(), tx.corpId(), id, run.get());
        }
    }

    private static StoredMember blank(String userid) {
        return new StoredMember(
                userid, null, null, null, null, null, null, 1, false, Set.of(1L), null, null, null, null);
    }

    /** {@code base} with the fields the event carries. */
    private static StoredMember merged(ContactEvent ev, StoredMember base, boolean mobilesShown) {
        Set<Long> departments = base.departments();
        if (ev.has("Department") && !ev.get("Department").isBlank()) {
            departments = new HashSet<>();
            for (String d : ev.get("Department").split(",")) {
                departments.add(Long.parseLong(d.trim()));
            }
        }
        long main = ev.has("MainDepartment") ? Long.parseLong(ev.get("MainDepartment")) : base.mainDepartment();
        if (!departments.contains(main)) {
            main = departments.stream().min(Long::compare).orElse(1L);
        }
        String mobile = base.mobile();
        String source = base.mobileSource();
        if (ev.has("Mobile")) {
            Optional<String> given = Mobile.normalise(ev.get("Mobile"));
            if (given.isPresent()) {
                mobile = given.get();
                source = "sync";
            } else if (mobilesShown) {
                mobile = null;
                source = null;
            }
        }
        return new StoredMember(
                base.userid(),
                ev.has("Name") ? ev.get("Name") : base.name(),
                mobile,
                source,
                ev.has("Email") ? ev.get("Email") : base.email(),
                ev.has("Position") ? ev.get("Position") : base.position(),
                ev.has("Status") ? Integer.valueOf(ev.get("Status")) : base.status(),
                main,
                false,
                departments,
                MemberEventFields.leaderIn(ev, base, departments),
                MemberEventFields.directLeader(ev, base),
                MemberEventFields.alias(ev, base),
                MemberEventFields.telephone(ev, base));
    }

    /** Whether the enterprise's app showed mobiles at its last complete sync (unknown counts as not: numbers are kept). */
    private static boolean mobilesShown(Connection c, String corpId) throws SQLException {
        return Sql.one(
                        c,
                        "SELECT mobiles_visible FROM enterprise WHERE corp_id = ?",
                        rs -> rs.getBoolean(1) && !rs.wasNull(),
                        corpId)
                .orElse(false);
    }
}
