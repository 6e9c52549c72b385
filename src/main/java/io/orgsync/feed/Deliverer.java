package io.orgsync.feed;

import com.standardwebhooks.Webhook;
import io.orgsync.alert.Alert;
import io.orgsync.logging.Failures;
import io.orgsync.org.OrgChange;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers one subscription while this node holds its lease, on a thread of its own: each
 * enterprise's changes in sequence order, the next only after a 2xx. A failed delivery holds up
 * that enterprise alone, retried with backoff (1 s doubling to 10 minutes) until the retry horizon,
 * when the subscription becomes failing. The cursor is written after each batch, not each event:
 * after a crash the batch goes again, which at-least-once allows.
 */
final class Deliverer implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(Deliverer.class);
    static final int BATCH = 200;
    static final long IDLE_MILLIS = 250;
    /** Within a batch the cursor is written at least this often. */
    static final long FLUSH_MILLIS = 1000;
    /**
     * A delivery starts only while the lease has at least this long to run: longer than a delivery
     * can take, so that no other node can take the subscription over while one is under way.
     */
    static final long LEASE_MARGIN_MILLIS = FeedSender.TIMEOUT.toMillis() + 1000;

    private final String name;
    private final DeliveryContext ctx;
    private final Runnable renew;
    private final Map<String, Lane> lanes = new HashMap<>();
    private final Object signal = new Object();
    private volatile long leaseUntil;
    private volatile boolean stopped;
    private boolean woken;
    private String signerKey;
    private Webhook signer;

    /** {@code renew}: asks for the lease to be renewed at once. */
    Deliverer(String name, DeliveryContext ctx, Runnable renew) {
        this.name = name;
        this.ctx = ctx;
        this.renew = renew;
    }

    void leaseUntil(long until) {
        leaseUntil = until;
    }

    boolean stopped() {
        return stopped;
    }

    void stop() {
        stopped = true;
        wake();
    }

    void wake() {
        synchronized (signal) {
            woken = true;
            signal.notifyAll();
        }
    }

    @Override
    public void run() {
        while (!stopped) {
            try {
                if (!cycle()) {
                    pause(IDLE_MILLIS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                log.warn("Feed subscription {}: delivery paused for a second: {}", name, Failures.describe(e));
                try {
                    pause(1000);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** One pass over the enterprises; true when it moved a cursor (then it goes again at once). */
    private boolean cycle() throws Exception {
        Optional<Subscription> found = ctx.subscriptions().find(name);
        if (found.isEmpty() || !found.get().delivering()) {
            stopped = true;
            return false;
        }
        Subscription s = found.get();
        Map<String, CursorStore.Cursor> stored = ctx.cursors().cursors(name);
        boolean moved = false;
        // one query tells which enterprises have anything new: an idle subscription reads no change
        for (Map.Entry<String, Long> latest : ctx.subscriptions().latestByCorp().entrySet()) {
            String corpId = latest.getKey();
            if (stopped || !s.covers(corpId)) {
                continue;
            }
            CursorStore.Cursor c = stored.get(corpId);
            Lane lane = lanes.get(corpId);
            if (lane == null || (c != null && (c.seq() != lane.flushed || c.replays() != lane.replays))) {
                // first sight, or a replay moved the cursor: start from what the database says
                lane = c == null ? new Lane(0, null, 0) : new Lane(c.seq(), c.retrySince(), c.replays());
                lanes.put(corpId, lane);
            }
            if (latest.getValue() > lane.seq && ctx.clock().millis() >= lane.nextAt) {
                moved |= deliver(s, corpId, lane);
            }
        }
        return moved;
    }

    private boolean deliver(Subscription s, String corpId, Lane lane) throws Exception {
        List<OrgChange> batch = ctx.log().after(corpId, lane.seq, BATCH);
        // nothing held past the cursor though the log went on, or a gap before the first held: the retention's
        if (batch.isEmpty()
                ? purged(corpId, lane.seq)
                : batch.get(0).seq() > lane.seq + 1 && purged(corpId, lane.seq)) {
            fail("the changes of " + corpId + " after sequence " + lane.seq
                    + " were deleted (ORGSYNC_CHANGE_RETENTION_DAYS) before they were delivered: read "
                    + "the enterprise once through the read API, then replay from its latest sequence");
            return false;
        }
        if (batch.isEmpty()) {
            return false;
        }
        long start = lane.seq;
        int delivered = 0;
        long flushedAt = ctx.clock().millis();
        for (OrgChange change : batch) {
            if (stopped) {
                break;
            }
            if (ctx.clock().millis() > leaseUntil - LEASE_MARGIN_MILLIS) {
                renew.run(); // late (a slow renewal, or the clock moved): renew now rather than at the next round
                break;
            }
            if (!s.wants(change)) {
                lane.seq = change.seq();
                continue;
            }
            String id = FeedEvents.id(change);
            FeedSender.Outcome outcome = ctx.sender()
                    .send(
                            s.url(),
                            signer(s),
                            id,
                            ctx.clock().millis() / 1000,
                            ctx.events().event(change));
            if (!outcome.delivered()) {
                ctx.metrics().failed(name);
                failed(lane, id, outcome.error());
                break;
            }
            ctx.metrics().delivered(name);
            delivered++;
            lane.delivered(change.seq());
            if (ctx.clock().millis() - flushedAt >= FLUSH_MILLIS) {
                // a slow receiver: keep what a takeover after a crash would send again to about a second
                flush(corpId, lane);
                flushedAt = ctx.clock().millis();
                if (!lanes.containsKey(corpId)) {
                    return true; // a replay moved the cursor meanwhile: start again from it
                }
            }
        }
        flush(corpId, lane);
        if (delivered > 0) {
            ctx.subscriptions().recordDelivered(name, ctx.clock().millis());
        }
        return lane.seq != start;
    }

    private void failed(Lane lane, String id, String error) throws SQLException {
        long now = ctx.clock().millis();
        lane.failed(now);
        String what = "delivery of " + id + " failed: " + error;
        log.warn(
                "Feed subscription {}: {} (attempt {}, next in {} s)",
                name,
                what,
                lane.attempts,
                (lane.nextAt - now) / 1000);
        ctx.subscriptions().recordError(name, what);
        if (now - lane.retrySince >= ctx.retryHorizon().toMillis()) {
            fail(what + "; still failing " + ctx.retryHorizon().toHours()
                    + " h after the first attempt (ORGSYNC_FEED_RETRY_HOURS): fix the receiver, then re-enable");
        }
    }

    private void fail(String why) throws SQLException {
        for (Map.Entry<String, Lane> e : lanes.entrySet()) {
            flush(e.getKey(), e.getValue());
        }
        ctx.subscriptions().markFailing(name, why);
        ctx.metrics().failing(name, true);
        log.error("Feed subscription {} is failing and delivers nothing until re-enabled: {}", name, why);
        ctx.alerts()
                .raise(new Alert(
                        "subscription_failing",
                        name,
                        // not the URL: a receiver's URL may carry a token of its own
                        "Feed subscription " + name + " stopped: " + why + ". Re-enable it with PUT "
                                + "/admin/api/subscriptions/" + name + " once its receiver answers 2xx."));
        stopped = true;
    }

    private void flush(String corpId, Lane lane) throws SQLException {
        if (ctx.cursors().advance(name, corpId, lane.flushed, lane.replays, lane.seq, lane.retrySince, ctx.owner())) {
            lane.flushed = lane.seq;
        } else {
            lanes.remove(corpId); // moved by a replay, or the lease is gone: read it again
        }
    }

    private boolean purged(String corpId, long seq) throws SQLException {
        var oldest = ctx.log().oldest(corpId);
        return oldest.isEmpty() || oldest.getAsLong() > seq + 1;
    }

    private Webhook signer(Subscription s) throws Exception {
        if (!s.sealedSecret().equals(signerKey)) {
            signer = new Webhook(ctx.subscriptions().secret(s));
            signerKey = s.sealedSecret();
        }
        return signer;
    }

    private void pause(long millis) throws InterruptedException {
        synchronized (signal) {
            if (!woken) {
                signal.wait(millis);
            }
            woken = false;
        }
    }
}
