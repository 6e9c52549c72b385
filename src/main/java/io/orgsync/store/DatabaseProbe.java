package io.orgsync.store;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code orgsync_db_up}: the check {@code /health} makes, repeated in the background, so that an
 * alert rule can tell "the database is down" from "the node is down". The scrape reads the last
 * answer instead of pinging: with the database gone a ping waits for the pool's connection
 * time-out (10 s), longer than Prometheus waits for a scrape, and the node would look down too.
 */
public final class DatabaseProbe implements AutoCloseable {
    private final Database db;
    private final AtomicInteger up = new AtomicInteger();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "db-probe");
        t.setDaemon(true);
        return t;
    });

    public DatabaseProbe(Database db, MeterRegistry metrics, Duration every) {
        this.db = db;
        probe();
        Gauge.builder("orgsync_db_up", up, AtomicInteger::get)
                .description("1 while this node's database answers the check GET /health makes (repeated every "
                        + every.toSeconds() + " s), else 0")
                .register(metrics);
        timer.scheduleWithFixedDelay(this::probe, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void probe() {
        boolean answered;
        try {
            answered = db.ping();
        } catch (RuntimeException e) {
            // a closed pool, for one: down; an exception would also end the repetition
            answered = false;
        }
        up.set(answered ? 1 : 0);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
