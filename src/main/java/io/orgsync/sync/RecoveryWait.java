package io.orgsync.sync;

import io.orgsync.cluster.NodeRegistry;
import io.orgsync.time.Waiter;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Before a run that Quartz started to recover a "dead" node's job claims the enterprise: Quartz
 * decides death by its own check-in and each node's wall clock, so a scheduler whose clock runs
 * ahead recovers nodes that are alive. The run waits until every other node still holding a
 * live-looking claim of the enterprise has either missed two heartbeats (it died: the claim is
 * taken over) or beaten again (it lives: the run yields), at most two heartbeats and a second.
 */
final class RecoveryWait {
    private static final Duration POLL = Duration.ofMillis(250);
    private static final Duration MAX = NodeRegistry.HEARTBEAT.multipliedBy(2).plusSeconds(1);

    private final RunStore runs;
    private final Clock clock;
    private final Waiter waiter;

    RecoveryWait(RunStore runs, Clock clock, Waiter waiter) {
        this.runs = runs;
        this.clock = clock;
        this.waiter = waiter;
    }

    void untilDecided(String corpId, String instanceId) throws SQLException, InterruptedException {
        Map<Long, Long> firstSeen = new HashMap<>();
        long deadline = waiter.nanoTime() + MAX.toNanos();
        while (waiter.nanoTime() < deadline) {
            long now = clock.millis();
            List<RunStore.RunningRow> undecided = runs.runningRows(corpId).stream()
                    .filter(r -> !r.instanceId().equals(instanceId) && r.alive(now) && !r.silent(now))
                    .filter(r -> firstSeen
                            .computeIfAbsent(r.id(), id -> r.nodeLastSeen())
                            .equals(r.nodeLastSeen()))
                    .toList();
            if (undecided.isEmpty()) {
                return;
            }
            waiter.sleep(POLL);
        }
    }
}
