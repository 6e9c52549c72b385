package io.orgsync.sync;

import io.orgsync.cluster.NodeRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the RUNNING rows honest, on every writing node, once per heartbeat of the node. It records that this
 * node's own runs still go on (so a long apply, which does not check in, never looks stalled),
 * and ends ABANDONED every RUNNING row that no run stands behind any more:
 * <ul>
 *   <li>this node's own rows of enterprises it is not running: their end could not be recorded
 *       (the database dropped at that moment) or a previous process of this node died;</li>
 *   <li>rows whose node stopped beating ({@link NodeRegistry#ALIVE_WINDOW}) or is unknown;</li>
 *   <li>rows without progress for {@link RunStore#STALLED}, whatever their node says.</li>
 * </ul>
 * Every node does it and the updates are conditional on RUNNING, so one of them ending a row
 * is enough and two ending it at once is harmless.
 */
public final class RunWatch implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RunWatch.class);

    private final RunStore runs;
    private final Clock clock;
    private final String instanceId;
    private final Supplier<Set<String>> ownActive;
    private final Duration every;
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "run-watch");
        t.setDaemon(true);
        return t;
    });

    /**
     * {@code ownActive}: the enterprises this node is running now (SyncRunner#activeCorps);
     * {@code every}: the node's heartbeat (ORGSYNC_HEARTBEAT_MS).
     */
    public RunWatch(RunStore runs, Clock clock, String instanceId, Supplier<Set<String>> ownActive, Duration every) {
        this.runs = runs;
        this.clock = clock;
        this.instanceId = instanceId;
        this.ownActive = ownActive;
        this.every = every;
    }

    public RunWatch start() {
        long millis = every.toMillis();
        ticker.scheduleWithFixedDelay(this::beatQuietly, millis, millis, TimeUnit.MILLISECONDS);
        return this;
    }

    private void beatQuietly() {
        try {
            beat();
        } catch (Exception e) {
            log.warn(
                    "Run watch failed: {}",
                    e instanceof java.sql.SQLException sql ? "SQL state " + sql.getSQLState() : e.getMessage());
        }
    }

    /** One pass; returns how many rows it ended. Public so that tests need not wait for the ticker. */
    public synchronized int beat() throws Exception {
        // taken before the rows are read: a run registers before it inserts its row, so one missing
        // here but started before this instant has really ended
        long snapshotAt = clock.millis();
        Set<String> active = ownActive.get();
        runs.touch(instanceId, active, snapshotAt);
        int ended = 0;
        long now = clock.millis();
        for (RunStore.RunningRow r : runs.runningRows()) {
            String why = null;
            if (r.instanceId().equals(instanceId)) {
                if (!active.contains(r.corpId()) && r.startedAt() < snapshotAt) {
                    why = "abandoned: its node " + instanceId
                            + " no longer runs it (the end could not be recorded, or the node restarted)";
                }
            } else if (r.nodeLastSeen() == null || r.nodeLastSeen() < now - NodeRegistry.ALIVE_WINDOW.toMillis()) {
                why = "abandoned: its node " + r.instanceId() + " stopped"
                        + (r.nodeLastSeen() == null
                                ? ""
                                : " (no heartbeat for "
                                        + Duration.ofMillis(now - r.nodeLastSeen())
                                                .toSeconds() + " s)");
            } else if (r.progressAt() < now - RunStore.STALLED.toMillis()) {
                why = "abandoned: no progress for "
                        + Duration.ofMillis(now - r.progressAt()).toSeconds() + " s";
            }
            if (why != null && runs.abandon(r.id(), r.corpId(), now, why)) {
                log.warn("Run {} of {} on {} ended ABANDONED: {}", r.id(), r.corpId(), r.instanceId(), why);
                ended++;
            }
        }
        return ended;
    }

    @Override
    public void close() {
        ticker.shutdownNow();
    }
}
