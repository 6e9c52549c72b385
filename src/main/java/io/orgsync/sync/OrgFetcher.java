package io.orgsync.sync;

import io.orgsync.upstream.UpstreamException;
import io.orgsync.wecom.WecomClient;
import io.orgsync.wecom.WecomDepartment;
import io.orgsync.wecom.WecomMember;

import java.time.Clock;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Fetches one enterprise: the department tree, then each department's direct members, one call
 * after another on a {@link DepartmentPacer}. Serial calls at a bounded rate are what kept the
 * field's IPs from being banned; parallel department calls got them banned.
 */
final class OrgFetcher {
    private final Clock clock;
    private final double departmentRate;

    OrgFetcher(Clock clock, double departmentRate) {
        this.clock = clock;
        this.departmentRate = departmentRate;
    }

    /**
     * @param quietUntil epoch millis before which no call may start: the previous run's calls
     *                   must not share a second with this run's first ones
     */
    FetchedOrg fetch(WecomClient client, long deadline, long quietUntil, SyncProgress progress) throws SyncFailure {
        DepartmentPacer pacer = new DepartmentPacer(departmentRate, quietUntil - clock.millis());
        int[] calls = {0};
        List<WecomDepartment> departments = call(pacer, deadline, calls, client::departments);
        Map<String, WecomMember> members = new LinkedHashMap<>();
        Set<Integer> vanished = new HashSet<>();
        int done = 0;
        for (WecomDepartment d : departments) {
            Optional<List<WecomMember>> direct = call(pacer, deadline, calls, () -> client.directMembers(d.id()));
            if (direct.isEmpty()) {
                vanished.add(d.id());
            } else {
                // user/list lists all of a member's departments, so any occurrence is complete
                direct.get().forEach(m -> members.putIfAbsent(m.userid(), m));
            }
            progress.departmentsFetched(client.corpId(), ++done, departments.size());
        }
        return new FetchedOrg(departments, members, vanished, calls[0]);
    }

    /** One department call: waits for its slot, respects the deadline and waits out blocks that end before it. */
    private <T> T call(DepartmentPacer pacer, long deadline, int[] calls, Supplier<T> call) throws SyncFailure {
        while (true) {
            // a stopping node interrupts its runs to hand them over; an upstream call itself does not notice
            if (Thread.currentThread().isInterrupted()) {
                throw new SyncFailure(SyncFailure.Reason.INTERRUPTED, SyncRunner.HANDED_OVER);
            }
            long left = deadline - clock.millis();
            if (left <= 0 || !awaitSlot(pacer, left)) {
                throw new SyncFailure(SyncFailure.Reason.DEADLINE, "the run passed its deadline before fetching everything; nothing was applied");
            }
            calls[0]++;
            UpstreamException failure;
            try {
                return call.get();
            } catch (UpstreamException e) {
                failure = e;
            } finally {
                pacer.ended();
            }
            long waitMillis = failure.retryAfterSeconds() * 1000;
            if (failure.kind() != UpstreamException.Kind.RATE_LIMITED || clock.millis() + waitMillis >= deadline) {
                throw failure;
            }
            sleep(waitMillis);
        }
    }

    private static boolean awaitSlot(DepartmentPacer pacer, long maxWaitMillis) throws SyncFailure {
        try {
            return pacer.await(maxWaitMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SyncFailure(SyncFailure.Reason.DEADLINE, "interrupted while waiting for the department call rate");
        }
    }

    private static void sleep(long millis) throws SyncFailure {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SyncFailure(SyncFailure.Reason.DEADLINE, "interrupted while waiting out an upstream block");
        }
    }
}
