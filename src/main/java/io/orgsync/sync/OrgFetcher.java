package io.orgsync.sync;

import io.orgsync.time.Waiter;
import io.orgsync.upstream.UpstreamException;
import io.orgsync.wecom.ContactIds;
import io.orgsync.wecom.WecomClient;
import io.orgsync.wecom.WecomDepartment;
import io.orgsync.wecom.WecomMember;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Fetches one enterprise: the department tree, then each department's direct members, on a
 * {@link DepartmentPacer}, every retry of a call taking a slot of its own. By default one call
 * after another: serial calls at a bounded rate are what kept the field's IPs from being banned,
 * parallel department calls got them banned. ORGSYNC_DEPT_CONCURRENCY lets a few member lists be
 * in flight at once (serial calls are capped by the upstream's latency, not by the rate), the
 * pacer's rate guarantee unchanged.
 */
final class OrgFetcher {
    private final Clock clock;
    private final Waiter waiter;
    private final double departmentRate;
    private final int departmentConcurrency;

    OrgFetcher(Clock clock, Waiter waiter, double departmentRate, int departmentConcurrency) {
        this.clock = clock;
        this.waiter = waiter;
        this.departmentRate = departmentRate;
        this.departmentConcurrency = departmentConcurrency;
    }

    /**
     * Reads the best the enterprise's set-up allows (docs/setups.md): a contact-sync secret's full
     * reads where it may (then the app is not needed); else its id lists (department/simplelist,
     * user/list_id) for completeness, with the app's department/list and user/list for details
     * within its range; else the app's reads alone.
     *
     * @param app         the app secret's client, or null
     * @param contact     the contact-sync secret's client, or null
     * @param idsOnlyKnown the contact-sync secret answered 48009 within the last day: not asked again
     * @param quietUntil epoch millis before which no call may start: the previous run's calls
     *                   must not share a second with this run's first ones
     * @param claim      checked as the calls go: a run that lost it stops calling the upstream
     */
    FetchedOrg fetch(
            WecomClient app,
            WecomClient contact,
            boolean idsOnlyKnown,
            long deadline,
            long quietUntil,
            RunClaim claim,
            SyncProgress progress)
            throws SyncFailure {
        waitQuiet(quietUntil, deadline, claim);
        FetchGate gate = new FetchGate(new DepartmentPacer(departmentRate, waiter), deadline, claim, clock);
        boolean idsOnly = idsOnlyKnown;
        if (contact != null && !idsOnly) {
            ContactIds ids = new ContactIds(contact.withDepartmentGate(gate.lane()));
            Optional<List<WecomDepartment>> tree = call(deadline, claim, ids::fullTree);
            if (tree.isPresent()) {
                Details read = details(contact, tree.get(), gate, deadline, claim, progress);
                return new FetchedOrg(
                        tree.get(),
                        read.members,
                        read.vanished,
                        gate.attempts(),
                        FetchedOrg.Scope.fullReads(true, true));
            }
            idsOnly = true;
        }
        if (contact == null) {
            List<WecomDepartment> tree = call(deadline, claim, app.withDepartmentGate(gate.lane())::departments);
            Details read = details(app, tree, gate, deadline, claim, progress);
            return new FetchedOrg(
                    tree,
                    read.members,
                    read.vanished,
                    gate.attempts(),
                    FetchedOrg.Scope.fullReads(false, hasRoot(tree)));
        }
        // the contact-sync secret lists every id; the app, if any, adds what it may read
        ContactIds ids = new ContactIds(contact.withDepartmentGate(gate.lane()));
        List<WecomDepartment> tree = call(deadline, claim, ids::tree);
        Map<String, WecomMember> members = call(deadline, claim, ids::members);
        boolean wholeRange = true;
        Set<String> unread = new HashSet<>(members.keySet());
        if (app != null) {
            List<WecomDepartment> named = call(deadline, claim, app.withDepartmentGate(gate.lane())::departments);
            wholeRange = hasRoot(named);
            Map<Integer, WecomDepartment> byId = new LinkedHashMap<>();
            tree.forEach(d -> byId.put(d.id(), d));
            named.forEach(d -> byId.computeIfPresent(
                    d.id(), (id, bare) -> new WecomDepartment(id, d.name(), bare.parentId(), bare.order())));
            tree = List.copyOf(byId.values());
            Details read = details(app, named, gate, deadline, claim, progress);
            // user/list lists a member with all its departments: its details replace the bare ids
            read.members.forEach((userid, m) -> {
                if (members.containsKey(userid)) {
                    members.put(userid, m);
                    unread.remove(userid);
                }
            });
        }
        return new FetchedOrg(
                tree,
                members,
                Set.of(),
                gate.attempts(),
                new FetchedOrg.Scope(true, true, wholeRange, app != null, Set.copyOf(unread), true, !idsOnlyKnown));
    }

    private static boolean hasRoot(List<WecomDepartment> tree) {
        return tree.stream().anyMatch(d -> d.parentId() == 0);
    }

    private record Details(Map<String, WecomMember> members, Set<Integer> vanished) {}

    /** Each listed department's direct members (user/list), on the run's pacer. */
    private Details details(
            WecomClient client,
            List<WecomDepartment> departments,
            FetchGate gate,
            long deadline,
            RunClaim claim,
            SyncProgress progress)
            throws SyncFailure {
        List<Optional<List<WecomMember>>> lists = Lanes.run(
                departments,
                departmentConcurrency,
                "sync-" + client.corpId(),
                () -> {
                    WecomClient lane = client.withDepartmentGate(gate.lane());
                    return d -> call(deadline, claim, () -> lane.directMembers(d.id()));
                },
                done -> progress.departmentsFetched(client.corpId(), done, departments.size()));
        Map<String, WecomMember> members = new LinkedHashMap<>();
        Set<Integer> vanished = new HashSet<>();
        for (int i = 0; i < departments.size(); i++) {
            Optional<List<WecomMember>> direct = lists.get(i);
            if (direct.isEmpty()) {
                vanished.add(departments.get(i).id());
            } else {
                // user/list lists all of a member's departments, so any occurrence is complete
                direct.get().forEach(m -> members.putIfAbsent(m.userid(), m));
            }
        }
        return new Details(members, vanished);
    }

    static SyncFailure pastDeadline() {
        return new SyncFailure(
                SyncFailure.Reason.DEADLINE,
                "the run passed its deadline before fetching everything; nothing was applied");
    }

    /**
     * One department call; each of its attempts passes the run's {@link FetchGate}. Waits out
     * blocks that end before the deadline, checking the claim meanwhile.
     */
    private <T> T call(long deadline, RunClaim claim, Supplier<T> call) throws SyncFailure {
        while (true) {
            // a stopping node interrupts its runs to hand them over; an upstream call itself does not notice
            if (Thread.currentThread().isInterrupted()) {
                throw new SyncFailure(SyncFailure.Reason.INTERRUPTED, SyncRunner.HANDED_OVER);
            }
            // before the token too: a run that lost its claim must not even renew the token of a deleted secret
            claim.check();
            UpstreamException failure;
            try {
                return call.get();
            } catch (FetchGate.Stopped stopped) {
                throw stopped.failure;
            } catch (UpstreamException e) {
                failure = e;
            }
            if (failure.kind() != UpstreamException.Kind.RATE_LIMITED) {
                throw failure;
            }
            // a limit without a length is waited out for a second, never retried at the department rate
            long waitMillis = Math.max(1000, failure.retryAfterSeconds() * 1000);
            if (clock.millis() + waitMillis >= deadline) {
                Instant retryAfter =
                        clock.instant().plusMillis(waitMillis + 999).truncatedTo(ChronoUnit.SECONDS);
                String what = failure.getMessage().endsWith(".") ? failure.getMessage() : failure.getMessage() + ".";
                throw new SyncFailure(
                        SyncFailure.Reason.DEADLINE,
                        what + " The block outlasts this run's deadline, "
                                + "so the run stops now; nothing was applied. Retry after " + retryAfter + ".");
            }
            waitOut(waitMillis, claim, "waiting out an upstream block");
        }
    }

    /** The previous run's last calls and this run's first must not share a second of the upstream's. */
    private void waitQuiet(long quietUntil, long deadline, RunClaim claim) throws SyncFailure {
        long now = clock.millis();
        if (quietUntil <= now) {
            return;
        }
        if (quietUntil > deadline) {
            throw pastDeadline();
        }
        waitOut(quietUntil - now, claim, "waiting for the quiet second after the previous run");
    }

    private void waitOut(long millis, RunClaim claim, String what) throws SyncFailure {
        long until = waiter.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        try {
            for (long left = until - waiter.nanoTime(); left > 0; left = until - waiter.nanoTime()) {
                waiter.sleepNanos(Math.min(left, RunClaim.INTERVAL.toNanos()));
                claim.check();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SyncFailure(SyncFailure.Reason.INTERRUPTED, SyncRunner.HANDED_OVER);
        }
    }
}
