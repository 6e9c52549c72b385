package io.orgsync.sync;

import io.orgsync.enterprise.AccessStore;
import io.orgsync.member.DepartmentGuards;
import io.orgsync.member.MemberReads;
import io.orgsync.member.MemberStore;
import io.orgsync.member.StoredDepartment;
import io.orgsync.member.StoredMember;
import io.orgsync.read.OrgVersions;
import io.orgsync.store.Sql;
import io.orgsync.wecom.WecomDepartment;
import io.orgsync.wecom.WecomMember;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the stored org to a fetched one in a single transaction, so that readers see the old
 * org or the new one and never a mix, and a failure leaves every row as it was. Inside that
 * transaction it first checks that its run is still the enterprise's current one (a node that
 * stalled past Quartz's failure detection must not write over a newer run), then writes only
 * the differences. That check locks the enterprise row, which resolves lock before they write a
 * member: the two serialise, and what a resolve learned during the run's fetch is kept.
 */
final class OrgApplier {
    private static final Logger log = LoggerFactory.getLogger(OrgApplier.class);
    private static final Comparator<StoredMember> BY_USERID = Comparator.comparing(StoredMember::userid);
    private final DataSource ds;
    private final OrgVersions versions;

    OrgApplier(DataSource ds, OrgVersions versions) {
        this.ds = ds;
        this.versions = versions;
    }

    SyncCounts apply(String corpId, long runId, FetchedOrg fetched, double maxRemovalRatio, long now)
            throws SQLException, SyncFailure {
        long[] written = {0};
        try {
            OrgVersions.ensureRow(ds, corpId);
            SyncCounts counts = Sql.inTransaction(ds, c -> {
                if (!RunStore.isCurrent(c, corpId, runId)) {
                    throw new Abort(
                            new SyncFailure(
                                    SyncFailure.Reason.SUPERSEDED,
                                    "superseded: a newer run of this enterprise started while this one was fetching; nothing was applied"));
                }
                boolean mobilesShown = fetched.mobilesShown();
                rememberMobilesShown(c, corpId, mobilesShown);
                FetchedOrg.Scope scope = fetched.scope();
                AccessStore.record(
                        c, corpId, scope.names(), scope.complete(), scope.wholeRange(), scope.contactIdsOnly(), now);
                Set<Long> listed = listedDepartments(fetched);
                Map<String, StoredMember> before = MemberReads.loadForSync(c, corpId);
                // resolves take the enterprise lock too, so none writes between this read and the writes
                // below; those that wrote after this run claimed the enterprise heard from WeCom after this
                // fetch began: their members are neither departed nor written back with older data
                Set<String> learned = MemberReads.resolvedSince(c, corpId, runId);
                List<StoredMember> inserts = new ArrayList<>();
                List<StoredMember> updates = new ArrayList<>();
                // most updates are renames, new mobiles or departures: only moves (and new leader flags) rewrite
                // memberships
                List<StoredMember> moves = new ArrayList<>();
                for (WecomMember m : fetched.members().values()) {
                    if (learned.contains(m.userid())) {
                        continue;
                    }
                    StoredMember old = before.get(m.userid());
                    StoredMember now0 = scope.idsOnly().contains(m.userid()) && old != null && !old.departed()
                            ? IdsOnly.moved(old, m)
                            : StoredMember.fromUpstream(m, old, mobilesShown);
                    if (old == null) {
                        inserts.add(now0);
                    } else if (!old.sameAs(now0)) {
                        updates.add(now0);
                        if (!old.sameMemberships(now0)) {
                            moves.add(now0);
                        }
                    }
                }
                int active = 0;
                List<StoredMember> departures = new ArrayList<>();
                for (StoredMember old : before.values()) {
                    if (old.departed()) {
                        continue;
                    }
                    active++;
                    boolean inVanished = !fetched.vanished().isEmpty()
                            && old.departments().stream()
                                    .anyMatch(d -> fetched.vanished().contains(d.intValue()));
                    // like with like: a ranged app's fetch departs only members it could have listed
                    boolean couldSee = scope.complete()
                            || scope.wholeTree()
                            || old.departments().stream().anyMatch(listed::contains);
                    if (!fetched.members().containsKey(old.userid())
                            && (scope.complete() || (!inVanished && couldSee))
                            && !learned.contains(old.userid())) {
                        departures.add(old.leaving());
                    }
                }
                if (active > 0 && departures.size() > maxRemovalRatio * active) {
                    throw new Abort(new SyncFailure(
                            SyncFailure.Reason.REFUSED,
                            String.format(
                                    "refused: this sync would remove %d of %d members (%.0f%%), above ORGSYNC_MAX_REMOVAL_RATIO %.0f%%. "
                                            + "Check the app's visible range in WeCom; if the removal is real, raise the ratio for one run.",
                                    departures.size(),
                                    active,
                                    100.0 * departures.size() / active,
                                    100 * maxRemovalRatio)));
                }
                updates.addAll(departures);
                // in primary-key order: InnoDB appends to its pages instead of splitting them at random
                inserts.sort(BY_USERID);
                updates.sort(BY_USERID);
                moves.sort(BY_USERID);
                int departmentsChanged = applyDepartments(c, corpId, runId, fetched);
                MemberStore.insertMembers(c, corpId, inserts, now);
                MemberStore.updateMemberRows(c, corpId, updates, now);
                MemberStore.replaceMemberships(c, corpId, moves);
                // a sync that changed nothing leaves the version, and so every node's cached answers, alone
                if (departmentsChanged > 0 || !inserts.isEmpty() || !updates.isEmpty()) {
                    written[0] = OrgVersions.bump(c, corpId);
                }
                List<String> examples = new ArrayList<>();
                inserts.stream().limit(3).forEach(m -> examples.add("added " + m.userid()));
                updates.stream()
                        .filter(m -> !m.departed())
                        .limit(3)
                        .forEach(m -> examples.add("updated " + m.userid()));
                departures.stream().limit(3).forEach(m -> examples.add("departed " + m.userid()));
                return new SyncCounts(
                        inserts.size(),
                        updates.size() - departures.size(),
                        departures.size(),
                        departmentsChanged,
                        examples);
            });
            if (written[0] > 0) {
                versions.committed(corpId, written[0]);
            }
            return counts;
        } catch (Abort a) {
            throw a.failure;
        }
    }

    /**
     * Answers how many departments it inserted, changed or deleted. Departments an event wrote
     * after this run claimed the enterprise stay as the event left them (created, renamed, moved
     * or deleted after the tree was read), as members do.
     */
    private static int applyDepartments(Connection c, String corpId, long runId, FetchedOrg fetched)
            throws SQLException {
        Set<Long> fromEvents = DepartmentGuards.writtenSince(c, corpId, runId);
        DepartmentGuards.forgetUpTo(c, corpId, runId);
        Map<Long, StoredDepartment> before = MemberReads.departments(c, corpId);
        before.keySet().removeAll(fromEvents);
        List<StoredDepartment> inserts = new ArrayList<>();
        List<StoredDepartment> updates = new ArrayList<>();
        Set<Long> seen = new HashSet<>();
        for (WecomDepartment d : fetched.departments()) {
            StoredDepartment now =
                    new StoredDepartment(d.id(), IdsOnly.name(d, before.get((long) d.id())), d.parentId(), d.order());
            seen.add(now.id());
            if (fromEvents.contains(now.id())) {
                continue;
            }
            StoredDepartment old = before.get(now.id());
            if (old == null) {
                inserts.add(now);
            } else if (!old.equals(now)) {
                updates.add(now);
            }
        }
        // a ranged app's tree: only a department below one it listed is known to be gone
        List<Long> deletes = before.values().stream()
                .filter(d -> !seen.contains(d.id()))
                .filter(d -> fetched.scope().wholeTree() || seen.contains(d.parentId()))
                .map(StoredDepartment::id)
                .toList();
        MemberStore.upsertDepartments(c, corpId, inserts, updates, deletes);
        return inserts.size() + updates.size() + deletes.size();
    }

    /** The departments whose members this fetch listed: a member in none of them was out of its sight. */
    private static Set<Long> listedDepartments(FetchedOrg fetched) {
        Set<Long> listed = new HashSet<>();
        fetched.departments().stream()
                .filter(d -> !fetched.vanished().contains(d.id()))
                .forEach(d -> listed.add((long) d.id()));
        return listed;
    }

    /**
     * Records on the enterprise row whether its app showed mobiles in this complete fetch. An app
     * that showed them and no longer does most likely means the enterprise's secret now belongs to
     * a newer app: stored mobiles are kept then, and the operator told.
     */
    private static void rememberMobilesShown(Connection c, String corpId, boolean shown) throws SQLException {
        int before = Sql.one(
                        c,
                        "SELECT mobiles_visible FROM enterprise WHERE corp_id = ?",
                        rs -> {
                            boolean v = rs.getBoolean(1);
                            return rs.wasNull() ? -1 : v ? 1 : 0;
                        },
                        corpId)
                .orElse(-1);
        if (before != (shown ? 1 : 0)) {
            Sql.update(c, "UPDATE enterprise SET mobiles_visible = ? WHERE corp_id = ?", shown, corpId);
        }
        if (before == 1 && !shown) {
            log.warn(
                    "The app of {} no longer shows mobiles (is its secret now a newer app's?); stored mobiles are kept, "
                            + "and numbers removed in WeCom stay until it shows them again",
                    corpId);
        }
    }

    /** Carries a {@link SyncFailure} out of the transaction lambda, which rolls back on the way. */
    private static final class Abort extends RuntimeException {
        final SyncFailure failure;

        Abort(SyncFailure failure) {
            super(failure.getMessage(), null, false, false);
            this.failure = failure;
        }
    }
}
