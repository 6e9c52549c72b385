package io.orgsync.cluster;

import io.micrometer.core.instrument.MeterRegistry;
import io.orgsync.alert.Alert;
import io.orgsync.alert.Alerts;
import io.orgsync.config.Settings;
import io.orgsync.logging.Failures;
import io.orgsync.store.DatabaseClock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster's nodes (orgsync processes, not WeCom members) as {@code cluster_node} records
 * them: this node's heartbeat row every few seconds, the cluster view, and stale-build fencing.
 * A scheduler node that sees a live scheduler node of its environment with a newer build stops
 * taking jobs (its scheduler goes to standby: still checking in, no longer firing), marks itself
 * fenced, logs and alerts; when the newer node goes away it takes jobs again. This is what keeps an old pre-release build from winning the job lock.
 * Heartbeats and liveness are in the database's time ({@link DatabaseClock}), which each heartbeat
 * measures again against this node's own clock, reporting a skew ({@link ClockCheck}).
 */
public final class NodeRegistry implements AutoCloseable {
    /** What fencing does to the local scheduler. */
    public interface Fence {
        void stopTakingJobs() throws Exception;

        void resumeTakingJobs() throws Exception;
    }

    /**
     * This node as the registry shows it: its name, environment, build and roles; and how often it
     * beats ({@code heartbeat}, ORGSYNC_HEARTBEAT_MS: at most {@link #HEARTBEAT}, which the
     * cluster's {@link #ALIVE_WINDOW} is reckoned in).
     */
    public record Config(
            String instanceId,
            String env,
            String version,
            boolean schedulerEnabled,
            boolean readOnly,
            Duration heartbeat) {
        public Config {
            java.util.Objects.requireNonNull(instanceId, "instanceId");
            java.util.Objects.requireNonNull(env, "env");
            java.util.Objects.requireNonNull(version, "version");
            if (heartbeat.isNegative() || heartbeat.isZero() || heartbeat.compareTo(HEARTBEAT) > 0) {
                throw new IllegalArgumentException(
                        "heartbeat must be above 0 and at most " + HEARTBEAT + ": " + heartbeat);
            }
        }

        /** {@code version}: the build this node runs, as fencing compares it. */
        public static Config from(Settings s, String version) {
            return new Config(s.instanceId(), s.env(), version, s.schedulerEnabled(), s.readOnly(), s.heartbeat());
        }
    }

    /** How often a node beats at most apart (ORGSYNC_HEARTBEAT_MS may make it more often). */
    public static final Duration HEARTBEAT = Duration.ofSeconds(5);
    /** Three missed heartbeats and a node counts as dead. */
    public static final Duration ALIVE_WINDOW = HEARTBEAT.multipliedBy(3);

    private static final Logger log = LoggerFactory.getLogger(NodeRegistry.class);

    private final ClusterStore store;
    private final DatabaseClock clock;
    private final ClockCheck clockCheck;
    private final Alerts alerts;
    private final String instanceId;
    private final String env;
    private final String version;
    private final boolean schedulerEnabled;
    private final boolean readOnly;
    private final Duration heartbeat;
    private final Fence fence;
    private final long startedAt;
    private final AtomicBoolean fenced = new AtomicBoolean();
    private int ticks;
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "cluster-heartbeat");
        t.setDaemon(true);
        return t;
    });

    /** {@code clock}: the database's, which every heartbeat measures again against this node's own. */
    public NodeRegistry(
            DataSource ds, DatabaseClock clock, Alerts alerts, MeterRegistry metrics, Config config, Fence fence) {
        this.store = new ClusterStore(ds);
        this.clock = clock;
        this.clockCheck = new ClockCheck(clock, alerts, metrics, config.instanceId());
        this.alerts = alerts;
        this.instanceId = config.instanceId();
        this.env = config.env();
        this.version = config.version();
        this.schedulerEnabled = config.schedulerEnabled();
        this.readOnly = config.readOnly();
        this.heartbeat = config.heartbeat();
        this.fence = fence;
        this.startedAt = clock.millis();
        metrics.gauge("orgsync_node_fenced", fenced, f -> f.get() ? 1 : 0);
    }

    /** Beats once now (so the node is visible at once), then every heartbeat of its {@link Config}. */
    public NodeRegistry start() {
        tick();
        ticker.scheduleWithFixedDelay(this::tick, heartbeat.toMillis(), heartbeat.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** One heartbeat, clock check and fencing decision; public so that tests need not wait for the ticker. */
    public synchronized void tick() {
        clockCheck.check();
        try {
            long now = clock.millis();
            if (!readOnly) {
                store.heartbeat(new ClusterNode(
                        instanceId, env, version, schedulerEnabled, readOnly, fenced.get(), startedAt, now, true));
            }
            if (schedulerEnabled) {
                decideFencing(store.all(now - ALIVE_WINDOW.toMillis()));
            }
            if (!readOnly && ++ticks % 720 == 0) {
                store.forgetOlderThan(now - Duration.ofDays(1).toMillis());
            }
        } catch (Exception e) {
            log.warn("Cluster heartbeat failed: {}", Failures.describe(e));
        }
    }

    private void decideFencing(List<ClusterNode> nodes) throws Exception {
        Optional<ClusterNode> newer = nodes.stream()
                .filter(n -> n.alive()
                        && n.env().equals(env)
                        && n.schedulerEnabled()
                        && !n.instanceId().equals(instanceId))
                .filter(n -> BuildVersion.compare(n.version(), version) > 0)
                .findFirst();
        // the flag changes only after the scheduler did: if that throws, the next tick tries again
        if (newer.isPresent() && !fenced.get()) {
            fence.stopTakingJobs();
            fenced.set(true);
            String why = "Node " + instanceId + " runs build " + version + " but "
                    + newer.get().instanceId() + " in environment '"
                    + env + "' runs the newer build " + newer.get().version()
                    + ": this node stops taking jobs (fenced) until it is "
                    + "upgraded or the newer node goes away.";
            log.warn(why);
            alerts.raise(new Alert("node_fenced", instanceId, why));
            store.heartbeat(new ClusterNode(
                    instanceId, env, version, schedulerEnabled, readOnly, true, startedAt, clock.millis(), true));
        } else if (newer.isEmpty() && fenced.get()) {
            fence.resumeTakingJobs();
            fenced.set(false);
            log.info("No newer build is alive in environment '{}' any more: node {} takes jobs again", env, instanceId);
            // this tick's heartbeat still said fenced: correct the cluster view now, not in 5 s
            store.heartbeat(new ClusterNode(
                    instanceId, env, version, schedulerEnabled, readOnly, false, startedAt, clock.millis(), true));
        }
    }

    public boolean fenced() {
        return fenced.get();
    }

    public List<ClusterNode> nodes() throws Exception {
        return store.all(clock.millis() - ALIVE_WINDOW.toMillis());
    }

    @Override
    public void close() {
        ticker.shutdownNow();
    }
}
