package io.orgsync.callback;

import io.orgsync.logging.Failures;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drains the event queues on every writing node. One thread looks for enterprises of this node's
 * environment with events due (every 200 ms, or at once when this node stored one); up to
 * {@link #DRAINERS} of them drain at once, each under its queue lease ({@link EventQueueLease}),
 * so that an enterprise whose re-reads hang holds up no other. The lease is renewed before each
 * event; a fenced node (a newer build of its environment is alive) applies no event.
 */
public final class EventDrainer implements AutoCloseable {
    /** Enterprises drained at once per node: a few hung re-reads leave the others going. */
    static final int DRAINERS = 4;

    private static final Logger log = LoggerFactory.getLogger(EventDrainer.class);
    private static final Duration LEASE = Duration.ofSeconds(30);
    private static final Duration POLL = Duration.ofMillis(200);

    private final EventStore store;
    private final String env;
    private final EventQueueLease queue;
    private final EventApplier applier;
    private final Clock clock;
    private final String instanceId;
    private final BooleanSupplier fenced;
    private final Semaphore wake = new Semaphore(0);
    private final Thread thread;
    private final ExecutorService drainers;
    /** Enterprises this node is draining now: a pass does not hand them out again. */
    private final Set<String> draining = ConcurrentHashMap.newKeySet();

    private volatile boolean running = true;

    /** {@code fenced}: whether this node is fenced now (asked before every event). */
    public EventDrainer(
            DataSource ds,
            Events events,
            EventApplier applier,
            Clock clock,
            String instanceId,
            BooleanSupplier fenced) {
        this.store = events.store();
        this.env = events.env();
        this.queue = new EventQueueLease(ds);
        this.applier = applier;
        this.clock = clock;
        this.instanceId = instanceId;
        this.fenced = fenced;
        this.thread = new Thread(this::loop, "event-drainer");
        thread.setDaemon(true);
        AtomicInteger ids = new AtomicInteger();
        this.drainers = Executors.newFixedThreadPool(DRAINERS, r -> {
            Thread t = new Thread(r, "event-drainer-" + ids.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    public EventDrainer start() {
        thread.start();
        return this;
    }

    /** An event was stored on this node: look now instead of at the next poll. */
    public void wake() {
        wake.release();
    }

    private void loop() {
        while (running) {
            try {
                wake.tryAcquire(POLL.toMillis(), TimeUnit.MILLISECONDS);
                wake.drainPermits();
                if (!running) {
                    return;
                }
                drainAll();
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                log.warn("Applying events: {}", Failures.describe(e));
            }
        }
    }

    /** One pass: every enterprise of this environment with events due, not drained here yet, goes to a drainer. */
    private void drainAll() throws SQLException {
        long now = clock.millis();
        if (fenced.getAsBoolean()) {
            return;
        }
        for (String corpId : store.dueCorps(env, now)) {
            if (running && draining.add(corpId)) {
                try {
                    drainers.execute(() -> drainIfFree(corpId));
                } catch (RejectedExecutionException closing) {
                    draining.remove(corpId);
                }
            }
        }
    }

    /** Drains the enterprise's queue if this node can take its lease. */
    private void drainIfFree(String corpId) {
        try {
            if (renew(corpId)) {
                try {
                    applier.drain(corpId, () -> running && !fenced.getAsBoolean() && renew(corpId));
                } finally {
                    queue.release(corpId, instanceId);
                }
            }
        } catch (Exception e) {
            log.warn("Applying events of {}: {}", corpId, Failures.describe(e));
        } finally {
            draining.remove(corpId);
        }
    }

    private boolean renew(String corpId) throws SQLException {
        long now = clock.millis();
        return queue.claim(corpId, instanceId, now, now + LEASE.toMillis());
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        wake.release();
        thread.join(5000);
        drainers.shutdownNow();
        drainers.awaitTermination(5, TimeUnit.SECONDS);
    }
}
