package io.orgsync.sync;

import io.orgsync.enterprise.AccessStore;
import io.orgsync.member.DepartmentGuards;
import io.orgsync.member.MemberReads;
import io.orgsync.member.StoredDepartment;
import io.orgsync.member.StoredMember;
import io.orgsync.org.OrgChange;
import io.orgsync.org.OrgTransaction;
import io.orgsync.org.OrgWriter;
import io.orgsync.store.Sql;
import io.orgsync.wecom.WecomDepartment;
import io.orgsync.wecom.WecomMember;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
    private final OrgWriter writer;

    OrgApplier(OrgWriter writer) {
        this.writer = writer;
    }

    SyncCounts apply(String corpId, long runId, FetchedOrg fetched, double maxRemovalRatio, long now)
            throws SQLException, SyncFailure {
        try {
            return writer.write(corpId, OrgChange.Source.SYNC, tx -> {
                        Connection c = tx.connection();
                        if (!tx.currentRun().equals(Optional.of(runId))) {
                            throw superseded();
                        }
                        boolean mobilesShown = fetched.mobilesShown();
                        rememberMobilesShown(c, corpId, mobilesShown);
                        FetchedOrg.Scope scope = fetched.scope();
                        AccessStore.record(
                                c,
                                corpId,
                                scope.names(),
                                scope.complete(),
                                scope.wholeRange(),
                                scope.contactIdsOnly(),
                                now);
                        Set<Long> listed = listedDepartments(fetched);
                        Map<String, StoredMember> before = MemberReads.loadForSync(c, corpId);
                        // resolves take the enterprise lock too, so none writes between this read and the writes
                        // below; those that wrote after this run claimed the enterprise heard from WeCom after this
                        // fetch began: their members are neither departed nor written back with older data
                        Set<String> learned = MemberReads.resolvedSince(c, corpId, runId);
                        List<OrgTransaction.MemberWrite> writes = new ArrayList<>();
                        int inserted = 0;
                        int updated = 0;
                        List<String> added = new ArrayList<>();
                        List<String> changed = new ArrayList<>();
                        for (WecomMember m : fetched.members().values()) {
                            if (learned.contains(m.userid())) {
                                continue;
                            }
                            StoredMember old = before.get(m.userid());
                            StoredMember now0 = scope.idsOnly().contains(m.userid()) && old != null && !old.departed()
                                    ? IdsOnly.moved(old, m)
                                    : StoredMember.fromUpstream(m, old, mobilesShown);
                            if (old == null || !old.sameAs(now0)) {
                                writes.add(new OrgTransaction.MemberWrite(old, now0));
                                if (old == null) {
                                    inserted++;
                                    example(added, "added ", m.userid());
                                } else {
                                    updated++;
                                    example(changed, "updated ", m.userid());
                                }
                            }
                        }
                        // like with like: the guard divides the departures by the active members this fetch could
                        // have listed, the only ones it may depart (a ranged app's: those in a department it listed)
                        int visible = 0;
                        List<StoredMember> departures = new ArrayList<>();
                        for (StoredMember old : before.values()) {
                            if (old.departed()) {
                                continue;
                            }
                            boolean inVanished = !fetched.vanished().isEmpty()
                                    && old.departments().stream()
                                            .anyMatch(d -> fetched.vanished().contains(d.intValue()));
                            boolean couldSee = scope.complete()
                                    || (!inVanished
                                            && (scope.wholeTree()
                                                    || old.departments().stream()
                                                            .anyMatch(listed::contains)));
                            if (!couldSee) {
                                continue;
                            }
                            visible++;
                            if (!fetched.members().containsKey(old.userid()) && !learned.contains(old.userid())) {
                                departures.add(old);
                            }
                        }
                        if (visible > 0 && departures.size() > maxRemovalRatio * visible) {
                            throw new Abort(new SyncFailure(
                                    SyncFailure.Reason.REFUSED,
                                    String.format(
                                            "refused: this sync would remove %d of %d members (%.0f%%)%s, above ORGSYNC_MAX_REMOVAL_RATIO %.0f%%. "
                                                    + "Check the app's visible range in WeCom; if the removal is real, raise the ratio for one run.",
                                            departures.size(),
                                            visible,
                                            100.0 * departures.size() / visible,
                                            scope.complete() || scope.wholeTree()
                                                    ? ""
                                                    : " of those the app's visible range shows",
                                            100 * maxRemovalRatio)));
                        }
                        departures.forEach(old -> writes.add(new OrgTransaction.MemberWrite(old, old.leaving())));
                        List<String> examples = new ArrayList<>(added);
                        examples.addAll(changed);
                        departures.stream().limit(3).forEach(m -> examples.add("departed " + m.userid()));
                        int departmentsChanged = applyDepartments(tx, runId, fetched);
                        // a sync that changed nothing records no change: the version, and every node's cached answers,
                        // stay
                        tx.putMembers(writes);
                        return new SyncCounts(inserted, updated, departures.size(), departmentsChanged, examples);
                    })
                    .orElseThrow(OrgApplier::superseded);
        } catch (Abort a) {
            throw a.failure;
        }
    }

    /**
     * Answers how many departments it inserted, changed or deleted. Departments an event wrote
     * after this run claimed the enterprise stay as the event left them (created, renamed, moved
     * or deleted after the tree was read), as members do.
     */
    private static int applyDepartments(OrgTransaction tx, long runId, FetchedOrg fetched) throws SQLException {
        Connection c = tx.connection();
        String corpId = tx.corpId();
        Set<Long> fromEvents = DepartmentGuards.writtenSince(c, corpId, runId);
        DepartmentGuards.forgetUpTo(c, corpId, runId);
        Map<Long, StoredDepartment> before = MemberReads.departments(c, corpId);
        before.keySet().removeAll(fromEvents);
        List<OrgTransaction.DepartmentWrite> writes = new ArrayList<>();
        Set<Long> seen = new HashSet<>();
        for (WecomDepartment d : fetched.departments()) {
            StoredDepartment now =
                    new StoredDepartment(d.id(), IdsOnly.name(d, before.get((long) d.id())), d.parentId(), d.order());
            seen.add(now.id());
            if (fromEvents.contains(now.id())) {
                continue;
            }
            StoredDepartment old = before.get(now.id());
            if (!now.equals(old)) {
                writes.add(new OrgTransaction.DepartmentWrite(old, now));
            }
        }
        // a ranged app's tree: only a department below one it listed is known to be gone
        before.values().stream()
                .filter(d -> !seen.contains(d.id()))
                .filter(d -> fetched.scope().wholeTree() || seen.contains(d.parentId()))
                .forEach(d -> writes.add(new OrgTransaction.DepartmentWrite(d, null)));
        tx.putDepartments(writes);
        return writes.size();
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

    private static Abort superseded() {
        return new Abort(new SyncFailure(
                SyncFailure.Reason.SUPERSEDED,
                "superseded: a newer run of this enterprise started while this one was fetching; nothing was applied"));
    }

    private static void example(List<String> examples, String what, String userid) {
        if (examples.size() < 3) {
            examples.add(what + userid);
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
