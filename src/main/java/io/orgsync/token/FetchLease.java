package io.orgsync.token;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A key's fetch lease while this node holds it: renewed every third of its length, so a slow
 * fetch never lets a second node in, and given back at the end (once the database answers, if it
 * does not then, so that no node waits for the lease to run out).
 */
final class FetchLease implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(FetchLease.class);
    /** A fetch keeps its lease for at most this many lease lengths (by default 10 x 25 s). */
    private static final int MAX_RENEWALS = 10;

    private final TokenStore store;
    private final String owner;
    private final Clock clock;
    private final Duration lease;
    private final PendingWrites pending;
    private final ScheduledExecutorService renewals = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "token-lease");
        t.setDaemon(true);
        return t;
    });

    FetchLease(TokenStore store, String owner, Clock clock, Duration lease, PendingWrites pending) {
        this.store = store;
        this.owner = owner;
        this.clock = clock;
        this.lease = lease;
        this.pending = pending;
    }

    /** The lease of {@code key}, taken at {@code now}: renewed until the returned handle is closed, then given back. */
    Held renewed(TokenKey key, long now) {
        long every = Math.max(10, lease.toMillis() / 3);
        long renewUntil = now + MAX_RENEWALS * lease.toMillis();
        ScheduledFuture<?> renewal =
                renewals.scheduleAtFixedRate(() -> renew(key, renewUntil), every, every, TimeUnit.MILLISECONDS);
        return () -> {
            renewal.cancel(false);
            // a no-op when the token or a hold was stored, which gave the lease back
            release(key);
        };
    }

    /** A lease being renewed; closing it stops the renewals and gives the lease back. */
    interface Held extends AutoCloseable {
        @Override
        void close();
    }

    private void release(TokenKey key) {
        try {
            store.release(key.id(), owner);
        } catch (SQLException e) {
            pending.add(
                    "the token lease of " + key.subject() + " given back",
                    clock.millis() + lease.toMillis(),
                    () -> store.release(key.id(), owner));
        }
    }

    private void renew(TokenKey key, long renewUntil) {
        if (clock.millis() > renewUntil) {
            // the calls' own time-outs end any real fetch long before this: a stuck thread must not hold the key for
            // ever
            return;
        }
        try {
            if (!store.extendLease(key.id(), owner, clock.millis() + lease.toMillis())) {
                log.warn("The token lease of {} was lost while fetching", key.subject());
            }
        } catch (SQLException e) {
            log.warn("Could not renew the token lease of {}: SQL state {}", key.subject(), e.getSQLState());
        } catch (RuntimeException e) {
            log.warn(
                    "Could not renew the token lease of {}: {}",
                    key.subject(),
                    e.getClass().getSimpleName());
        }
    }

    @Override
    public void close() {
        renewals.shutdownNow();
    }
}
