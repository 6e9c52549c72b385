package io.orgsync.feed;

import io.orgsync.logging.Failures;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the deliverers of a writing node: every few seconds it takes or renews the lease of each
 * subscription that delivers, starts a deliverer for each lease it holds and stops the ones it
 * lost. A node killed with SIGKILL renews nothing, so another node takes over when the lease
 * runs out (at most {@link #LEASE} plus one {@link #RENEW} later). It also keeps the lag gauges.
 */
final class FeedDelivery implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(FeedDelivery.class);
    /** With a delivery started only while 11 s of the lease are left, 15 s renewed every 3 s leave no gap. */
    static final Duration LEASE = Duration.ofSeconds(15);

    static final Duration RENEW = Duration.ofSeconds(3);
    static final Duration GAUGES = Duration.ofSeconds(5);

    private final DeliveryContext ctx;
    private final BooleanSupplier paused;
    private final Map<String, Deliverer> running = new ConcurrentHashMap<>();
    private long gaugesAt;
    private final ScheduledExecutorService leases =
            Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "feed-leases"));
    private final ExecutorService workers = Executors.newCachedThreadPool(r -> daemon(r, "feed-deliverer"));

    FeedDelivery(DeliveryContext ctx, BooleanSupplier paused) {
        this.ctx = ctx;
        this.paused = paused;
    }

    FeedDelivery start() {
        leases.scheduleWithFixedDelay(this::tick, 0, RENEW.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** A change was written on this node, or a subscription changed: deliver without waiting for a poll. */
    void wake() {
        running.values().forEach(Deliverer::wake);
    }

    /** A subscription was created or re-enabled here: look for leases now rather than at the next renewal. */
    void rescan() {
        try {
            leases.execute(this::tick);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closing
        }
    }

    private void tick() {
        try {
            List<Subscription> all = ctx.subscriptions().list();
            Set<String> delivering = paused.getAsBoolean()
                    ? Set.of()
                    : all.stream()
                            .filter(Subscription::delivering)
                            .map(Subscription::name)
                            .collect(Collectors.toSet());
            for (String name : Set.copyOf(running.keySet())) {
                if (!delivering.contains(name)) {
                    stop(name);
                }
            }
            for (String name : delivering) {
                long now = ctx.clock().millis();
                if (ctx.subscriptions().claim(name, ctx.owner(), now, now + LEASE.toMillis())) {
                    Deliverer d = running.get(name);
                    if (d == null || d.stopped()) {
                        d = new Deliverer(name, ctx, this::rescan);
                        running.put(name, d);
                        d.leaseUntil(now + LEASE.toMillis());
                        workers.execute(d);
                        log.info("Feed subscription {}: delivering from this node", name);
                    } else {
                        d.leaseUntil(now + LEASE.toMillis());
                    }
                } else if (running.containsKey(name)) {
                    running.remove(name).stop();
                    log.info("Feed subscription {}: another node delivers it now", name);
                }
            }
            long now = ctx.clock().millis();
            if (Math.abs(now - gaugesAt) >= GAUGES.toMillis()) {
                gaugesAt = now; // after the renewals: the lag's queries never hold a lease up
                gauges(all);
            }
        } catch (Exception e) {
            log.warn("Feed: the subscriptions could not be read or leased: {}", Failures.describe(e));
        }
    }

    private void gauges(List<Subscription> all) throws Exception {
        List<String> corps = ctx.subscriptions().corps();
        long now = ctx.clock().millis();
        for (Subscription s : all) {
            ctx.metrics().lag(s.name(), Lag.of(s, corps, ctx.cursors().cursors(s.name()), ctx.log(), now), s.failing());
        }
        ctx.metrics().keepOnly(all.stream().map(Subscription::name).collect(Collectors.toSet()));
    }

    private void stop(String name) {
        Deliverer d = running.remove(name);
        if (d != null) {
            d.stop();
        }
        try {
            ctx.subscriptions().release(name, ctx.owner());
        } catch (Exception e) {
            log.warn(
                    "Feed subscription {}: lease not released ({}), it runs out by itself", name, Failures.describe(e));
        }
    }

    @Override
    public void close() throws Exception {
        leases.shutdownNow();
        leases.awaitTermination(5, TimeUnit.SECONDS);
        running.values().forEach(Deliverer::stop);
        workers.shutdown();
        // a deliverer ends within one delivery (10 s at most); what it sent after its last cursor write goes again
        if (!workers.awaitTermination(FeedSender.TIMEOUT.toSeconds() + 1, TimeUnit.SECONDS)) {
            workers.shutdownNow();
        }
        for (String name : Set.copyOf(running.keySet())) {
            stop(name);
        }
        ctx.sender().close();
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
