package io.orgsync.org;

import io.orgsync.member.DepartmentTree;
import io.orgsync.member.MemberReads;
import io.orgsync.member.StoredDepartment;
import io.orgsync.member.StoredMember;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One write of an enterprise's organisation, inside the transaction {@link OrgWriter} opened
 * after taking the enterprise's lock. Writers hand it what a member or department was and is to
 * be; it writes the rows that differ and records each change for the change log, which
 * {@link OrgWriter} numbers and stores before the commit. Its connection is there for the
 * writer's reads (and for its own bookkeeping tables), never for writing the org's tables.
 */
public final class OrgTransaction {
    private static final Comparator<StoredMember> BY_USERID = Comparator.comparing(StoredMember::userid);

    /** What a member was ({@code null}: not stored) and is to be. */
    public record MemberWrite(StoredMember before, StoredMember after) {}

    /** What a department was ({@code null}: not stored) and is to be ({@code null}: deleted). */
    public record DepartmentWrite(StoredDepartment before, StoredDepartment after) {}

    /** A change recorded before its number and data are known. */
    private record Pending(
            OrgChange.Kind kind,
            String subject,
            List<String> fields,
            OrgChange.Touched touched,
            StoredMember member,
            StoredDepartment department) {}

    private final Connection c;
    private final String corpId;
    private final Long currentRun;
    private final long now;
    private final List<Pending> pending = new ArrayList<>();
    private final List<StoredDepartment> deleted = new ArrayList<>();
    /** Members renamed in this write: new userid to old. */
    private final Map<String, String> renamed = new HashMap<>();

    OrgTransaction(Connection c, String corpId, Long currentRun, long now) {
        this.c = c;
        this.corpId = corpId;
        this.currentRun = currentRun;
        this.now = now;
    }

    public Connection connection() {
        return c;
    }

    public String corpId() {
        return corpId;
    }

    /** The time of this write, on the cluster's clock. */
    public long now() {
        return now;
    }

    /** The enterprise's current (or last) sync run, as its locked row says; empty before the first. */
    public Optional<Long> currentRun() {
        return Optional.ofNullable(currentRun);
    }

    public void putMember(StoredMember before, StoredMember after) throws SQLException {
        putMembers(List.of(new MemberWrite(before, after)));
    }

    /** Writes the members that differ from what they were: rows, and memberships only where those changed. */
    public void putMembers(Collection<MemberWrite> writes) throws SQLException {
        List<StoredMember> inserts = new ArrayList<>();
        List<StoredMember> updates = new ArrayList<>();
        List<StoredMember> moves = new ArrayList<>();
        for (MemberWrite w : writes) {
            StoredMember before = w.before();
            StoredMember after = w.after();
            String oldUserid = renamed.remove(after.userid());
            if (before == null) {
                inserts.add(after);
            } else if (!before.sameAs(after)) {
                updates.add(after);
                if (!before.sameMemberships(after)) {
                    moves.add(after);
                }
            }
            record(before, after, oldUserid);
        }
        // in primary-key order: InnoDB appends to its pages instead of splitting them at random
        inserts.sort(BY_USERID);
        updates.sort(BY_USERID);
        moves.sort(BY_USERID);
        OrgTables.insertMembers(c, corpId, inserts, now);
        OrgTables.updateMemberRows(c, corpId, updates, now);
        OrgTables.replaceMemberships(c, corpId, moves);
    }

    private void record(StoredMember before, StoredMember after, String oldUserid) {
        OrgChange.Touched touched = ChangeData.touched(before, after);
        if (oldUserid != null) {
            Set<String> userids = new HashSet<>(touched.userids());
            userids.add(oldUserid);
            touched = new OrgChange.Touched(
                    userids, touched.mobiles(), touched.departments(), touched.names(), touched.tree());
        }
        if (before == null || (before.departed() && !after.departed())) {
            pending.add(new Pending(OrgChange.Kind.MEMBER_CREATED, after.userid(), List.of(), touched, after, null));
        } else if (!before.departed() && after.departed()) {
            pending.add(new Pending(OrgChange.Kind.MEMBER_DEPARTED, after.userid(), List.of(), touched, after, null));
        } else {
            List<String> fields = new ArrayList<>(ChangeData.changedFields(before, after));
            if (oldUserid != null && !fields.contains("userid")) {
                fields.add(0, "userid");
            }
            if (!fields.isEmpty()) {
                pending.add(new Pending(OrgChange.Kind.MEMBER_UPDATED, after.userid(), fields, touched, after, null));
            }
        }
    }

    /** Writes the departments that differ: created, changed, deleted. */
    public void putDepartments(Collection<DepartmentWrite> writes) throws SQLException {
        List<StoredDepartment> inserts = new ArrayList<>();
        List<StoredDepartment> updates = new ArrayList<>();
        List<Long> deletes = new ArrayList<>();
        for (DepartmentWrite w : writes) {
            StoredDepartment before = w.before();
            StoredDepartment after = w.after();
            if (after == null) {
                if (before != null) {
                    deletes.add(before.id());
                    deleted.add(before);
                    pending.add(new Pending(
                            OrgChange.Kind.DEPARTMENT_DELETED,
                            Long.toString(before.id()),
                            List.of(),
                            ChangeData.touched(before, null),
                            null,
                            before));
                }
            } else if (before == null) {
                inserts.add(after);
                pending.add(new Pending(
                        OrgChange.Kind.DEPARTMENT_CREATED,
                        Long.toString(after.id()),
                        List.of(),
                        ChangeData.touched(null, after),
                        null,
                        after));
            } else if (!before.equals(after)) {
                updates.add(after);
                pending.add(new Pending(
                        OrgChange.Kind.DEPARTMENT_UPDATED,
                        Long.toString(after.id()),
                        ChangeData.changedFields(before, after),
                        ChangeData.touched(before, after),
                        null,
                        after));
            }
        }
        OrgTables.upsertDepartments(c, corpId, inserts, updates, deletes);
    }

    /**
     * Gives the stored member {@code from} the userid {@code to} (WeCom's NewUserID); a departed
     * row under {@code to} gives way. The writer then puts the member under its new userid, which
     * records the change with {@code userid} among its fields.
     */
    public void renameMember(String from, String to) throws SQLException {
        OrgTables.rename(c, corpId, from, to);
        renamed.put(to, from);
    }

    /**
     * Takes the mobile from every member stored with it but {@code keeper} (null: from all):
     * WeCom said it is someone else's now, or nobody's. Answers how many members lost it.
     */
    public int clearMobile(String mobile, String keeper) throws SQLException {
        List<String> holders = OrgTables.holders(c, corpId, mobile, keeper);
        for (String userid : holders) {
            Optional<StoredMember> before = MemberReads.findForUpdate(c, corpId, userid);
            OrgTables.clearMobile(c, corpId, userid, now);
            if (before.isPresent()) {
                StoredMember b = before.get();
                record(b, b.withoutMobile(), null);
            }
        }
        return holders.size();
    }

    /** WeCom deletes only empty departments: memberships left in one from a lost event go with it. */
    public void leaveDepartment(long departmentId) throws SQLException {
        List<String> members = OrgTables.membersIn(c, corpId, departmentId);
        List<MemberWrite> writes = new ArrayList<>();
        for (String userid : members) {
            Optional<StoredMember> before = MemberReads.findForUpdate(c, corpId, userid);
            if (before.isPresent()) {
                writes.add(new MemberWrite(before.get(), before.get().withoutDepartment(departmentId)));
            }
        }
        putMembers(writes);
    }

    /** Records that a resolve or an event wrote the member while {@code runId} was the current run. */
    public void markResolved(String userid, long runId) throws SQLException {
        OrgTables.markResolved(c, corpId, userid, runId);
    }

    /** Records when a resolve learned the member's mobile. */
    public void markLearned(String userid, long at) throws SQLException {
        OrgTables.markLearned(c, corpId, userid, at);
    }

    boolean changed() {
        return !pending.isEmpty();
    }

    /**
     * Numbers the recorded changes from {@code firstSeq}, with their data as the org now stands
     * (one read of the department tree), and stores them in the change log.
     */
    List<OrgChange> log(long firstSeq, OrgChange.Source source) throws SQLException {
        List<StoredDepartment> departments =
                new ArrayList<>(MemberReads.departments(c, corpId).values());
        // a deleted department's path is shown as it was
        departments.addAll(deleted);
        DepartmentTree tree = DepartmentTree.of(departments);
        List<OrgChange> out = new ArrayList<>(pending.size());
        long seq = firstSeq;
        for (Pending p : pending) {
            String data = p.member() != null
                    ? ChangeData.member(corpId, p.member(), tree, now)
                    : ChangeData.department(corpId, p.department(), tree);
            out.add(new OrgChange(corpId, seq++, p.kind(), p.subject(), p.fields(), source, now, p.touched(), data));
        }
        ChangeLog.insert(c, out);
        return out;
    }

    int pendingCount() {
        return pending.size();
    }
}
