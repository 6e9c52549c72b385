package io.orgsync.callback;

import io.orgsync.member.DepartmentGuards;
import io.orgsync.member.MemberReads;
import io.orgsync.member.MemberStore;
import io.orgsync.member.Mobile;
import io.orgsync.member.StoredDepartment;
import io.orgsync.member.StoredMember;
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
 * Writes one event's change into the stored org, inside the caller's transaction (which holds the
 * enterprise row lock, as a sync's apply does). Mobiles follow the sync's rule: one the app does
 * not show keeps the number learned before; only an app that shows mobiles can clear one.
 */
final class ChangeWriter {
    /** What the event needs from the upstream, read before the transaction: a member or a department. */
    record Read(WecomMember member, WecomDepartment department) {
        static final Read NONE = new Read(null, null);
    }

    private ChangeWriter() {}

    /** Writes the change; answers why nothing was written (a skip), or null when it was. */
    static String write(Connection c, StoredEvent e, Read read, long now) throws SQLException {
        ContactEvent ev = e.event();
        String corpId = e.corpId();
        switch (ev.changeType()) {
            case "create_user", "update_user" -> {
                String userid = ev.get("UserID");
                if (ev.has("NewUserID")
                        && !ev.get("NewUserID").isEmpty()
                        && !ev.get("NewUserID").equals(userid)) {
                    rename(c, corpId, userid, ev.get("NewUserID"));
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
                writeMember(c, corpId, old.orElse(null), now0, now);
            }
            case "delete_user" -> {
                Optional<StoredMember> old = MemberReads.findForUpdate(c, corpId, ev.get("UserID"));
                if (old.isEmpty() || old.get().departed()) {
                    return "the member is not stored as current";
                }
                StoredMember m = old.get();
                writeMember(c, corpId, m, m.leaving(), now);
            }
            case "create_party", "update_party" -> {
                long id = Long.parseLong(ev.get("Id"));
                guardDepartment(c, corpId, id);
                Map<Long, StoredDepartment> all = MemberReads.departments(c, corpId);
                StoredDepartment old = all.get(id);
                StoredDepartment d;
                if (read.department() != null) {
                    WecomDepartment w = read.department();
                    d = new StoredDepartment(w.id(), w.name(), w.parentId(), w.order());
                } else {
                    StoredDepartment base = old != null ? old : new StoredDepartment(id, "", 1, 0);
                    d = new StoredDepartment(
                            id,
                            ev.has("Name") ? ev.get("Name") : base.name(),
                            ev.has("ParentId") ? Long.parseLong(ev.get("ParentId")) : base.parentId(),
                            ev.has("Order") ? Long.parseLong(ev.get("Order")) : base.order());
                }
                if (d.equals(old)) {
                    return "the department is stored as it is";
                }
                MemberStore.upsertDepartments(
                        c,
                        corpId,
                        old == null ? List.of(d) : List.of(),
                        old == null ? List.of() : List.of(d),
                        List.of());
            }
            case "delete_party" -> {
                long id = Long.parseLong(ev.get("Id"));
                guardDepartment(c, corpId, id);
                if (!MemberReads.departments(c, corpId).containsKey(id)) {
                    return "the department is not stored";
                }
                // WeCom deletes only empty departments; a membership left from a lost event must not point nowhere
                Sql.update(c, "DELETE FROM member_department WHERE corp_id = ? AND department_id = ?", corpId, id);
                MemberStore.upsertDepartments(c, corpId, List.of(), List.of(), List.of(id));
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

    private static void rename(Connection c, String corpId, String from, String to) throws SQLException {
        if (MemberReads.findForUpdate(c, corpId, from).isEmpty()) {
            return;
        }
        // a departed row under the new userid gives way: the renamed member is the current one
        Sql.update(c, "DELETE FROM member_department WHERE corp_id = ? AND userid = ?", corpId, to);
        Sql.update(c, "DELETE FROM member WHERE corp_id = ? AND userid = ?", corpId, to);
        Sql.update(c, "UPDATE member SET userid = ? WHERE corp_id = ? AND userid = ?", to, corpId, from);
        Sql.update(c, "UPDATE member_department SET userid = ? WHERE corp_id = ? AND userid = ?", to, corpId, from);
    }

    private static void writeMember(Connection c, String corpId, StoredMember old, StoredMember now0, long now)
            throws SQLException {
        if (old == null) {
            MemberStore.insertMembers(c, corpId, List.of(now0), now);
        } else if (!old.sameAs(now0)) {
            if (old.sameMemberships(now0)) {
                MemberStore.updateMemberRows(c, corpId, List.of(now0), now);
            } else {
                MemberStore.updateMembers(c, corpId, List.of(now0), now);
            }
        }
        // a sync fetching now read this member before the change: it must not write the older data back
        Optional<Long> run = currentRun(c, corpId);
        if (run.isPresent()) {
            MemberStore.markResolved(c, corpId, now0.userid(), run.get());
        }
    }

    /**
     * A sync fetching now read the department tree before this event (whatever it says: created,
     * changed, deleted, or already stored so): its apply must not write the older state back.
     */
    private static void guardDepartment(Connection c, String corpId, long id) throws SQLException {
        Optional<Long> run = currentRun(c, corpId);
        if (run.isPresent()) {
            DepartmentGuards.markWritten(c, corpId, id, run.get());
        }
    }

    /** The enterprise's current (or last) run, whose fetch may predate the event being written. */
    private static Optional<Long> currentRun(Connection c, String corpId) throws SQLException {
        return Sql.one(
                        c,
                        "SELECT current_run_id FROM enterprise WHERE corp_id = ?",
                        rs -> Sql.nullableLong(rs, "current_run_id"),
                        corpId)
                .filter(java.util.Objects::nonNull);
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
