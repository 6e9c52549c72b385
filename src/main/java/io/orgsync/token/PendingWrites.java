package io.orgsync.token;

import java.sql.SQLException;
import java.time.Clock;
import java.util.Iterator;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes to a key's row that the database refused while it was unreachable, made again in order
 * once it answers: a fetched token (so that other nodes adopt it instead of fetching another),
 * a hold (so that no node asks the upstream with a refused secret again), the lease given back
 * (so that other nodes need not wait for it to run out). Each is dropped once it no longer
 * matters (the token expired, the hold ended, the lease ran out).
 */
final class PendingWrites {
    private static final Logger log = LoggerFactory.getLogger(PendingWrites.class);
    private static final long RETRY_MILLIS = 250;

    interface Write {
        void run() throws SQLException;
    }

    private record Pending(String what, long until, Write write) {}

    private final ConcurrentLinkedQueue<Pending> queue = new ConcurrentLinkedQueue<>();
    private final Clock clock;

    PendingWrites(Clock clock, ScheduledExecutorService ticker) {
        this.clock = clock;
        ticker.scheduleWithFixedDelay(this::retry, RETRY_MILLIS, RETRY_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** {@code what} names the write for the log (never a token); {@code until}: when it stops mattering. */
    void add(String what, long until, Write write) {
        queue.add(new Pending(what, until, write));
    }

    private void retry() {
        for (Iterator<Pending> it = queue.iterator(); it.hasNext(); ) {
            Pending p = it.next();
            if (p.until() < clock.millis()) {
                it.remove();
                continue;
            }
            try {
                p.write().run();
                it.remove();
                log.info("Database back: {} is recorded", p.what());
            } catch (SQLException e) {
                return; // still unreachable: the rest waits, in order
            } catch (RuntimeException e) {
                it.remove();
                log.warn("Could not record {}: {}", p.what(), e.getClass().getSimpleName());
            }
        }
    }
}
