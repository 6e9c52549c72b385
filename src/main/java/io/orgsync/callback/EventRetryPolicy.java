package io.orgsync.callback;

import io.micrometer.core.instrument.MeterRegistry;
import io.orgsync.alert.Alert;
import io.orgsync.alert.Alerts;
import io.orgsync.error.Causes;
import io.orgsync.logging.Failures;
import io.orgsync.token.TokenUnavailableException;
import io.orgsync.upstream.UpstreamException;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens to an event that could not be applied (docs/guarantees.md, "Callback events").
 * A member or department the API does not show yet is retried with doubling backoff for about
 * half a minute after the event arrived, unless a later event of the same subject supersedes it:
 * WeCom makes a change readable within seconds, so a "not found" after that is final. Any other
 * failure says nothing about the event itself: a 45009 block of the re-read's API, a token hold
 * (a refused secret, a block of gettoken), the network, the database. Such an event stays PENDING,
 * its next attempt at the end of the block or hold the upstream client knows (or after a backoff
 * that grows with the event's age, up to five minutes, when no end is known), and ends FAILED
 * only when the retry horizon (ORGSYNC_EVENT_RETRY_HOURS after it arrived) has passed. FAILED
 * raises one alert; the next periodic sync corrects the stored org anyway.
 */
final class EventRetryPolicy {
    private static final Logger log = LoggerFactory.getLogger(EventRetryPolicy.class);
    /** How long after its event a member or department may not be readable yet: 1+2+4+8+16 s of backoff. */
    static final Duration NOT_READABLE_PATIENCE = Duration.ofSeconds(31);

    private static final Duration LONGEST_BACKOFF = Duration.ofMinutes(5);

    private final EventStore store;
    private final MeterRegistry metrics;
    private final Alerts alerts;
    private final Clock clock;
    private final Duration horizon;

    EventRetryPolicy(EventStore store, MeterRegistry metrics, Alerts alerts, Clock clock, Duration horizon) {
        this.store = store;
        this.metrics = metrics;
        this.alerts = alerts;
        this.clock = clock;
        this.horizon = horizon;
    }

    /**
     * Shows the enterprise's failure count at zero from its first event on: the events-failing
     * alert rule's increase() cannot see a first step from "absent" to 1.
     */
    void countFailuresOf(String corpId) {
        metrics.counter("orgsync_events_failed_total", "corp", corpId);
    }

    void retryOrFail(StoredEvent e, Exception failure) throws SQLException {
        long now = clock.millis();
        long age = Math.max(0, now - e.receivedAt());
        if (failure instanceof NotReadableYet) {
            if (store.skipIfSuperseded(e, now)) {
                // a later event of the same member or department (its deletion, most often) says what became of it
                metrics.counter("orgsync_events_applied_total", "corp", e.corpId(), "outcome", "skipped")
                        .increment();
            } else if (age < NOT_READABLE_PATIENCE.toMillis()) {
                store.retryLater(e.id(), now + backoff(age, NOT_READABLE_PATIENCE.dividedBy(2)), failure.getMessage());
            } else {
                fail(e, now, failure.getMessage() + " (still not readable " + age / 1000 + " s after it arrived)");
            }
            return;
        }
        String why = Failures.describe(failure);
        long giveUpAt = e.receivedAt() + horizon.toMillis();
        if (now >= giveUpAt) {
            fail(
                    e,
                    now,
                    why + " (still failing " + horizon.toHours() + " h after it arrived: ORGSYNC_EVENT_RETRY_HOURS)");
            return;
        }
        long blockedFor = retryAfterMillis(failure);
        // the last attempt falls on the horizon itself, so that an event is never given up on before it
        long next = Math.min(giveUpAt, now + (blockedFor > 0 ? blockedFor : backoff(age, LONGEST_BACKOFF)));
        store.retryLater(
                e.id(),
                next,
                why + "; PENDING, next attempt at "
                        + Instant.ofEpochMilli(next).truncatedTo(ChronoUnit.SECONDS)
                        + (blockedFor > 0 ? " (the end of the block or hold)" : ""));
    }

    /** About the event's age, so that the waits double, between a second and {@code longest}. */
    private static long backoff(long age, Duration longest) {
        return Math.max(1000, Math.min(longest.toMillis(), age));
    }

    /**
     * How long the upstream client says the failure lasts: a 45009 block of the API, a token
     * hold; 0 when it does not know.
     */
    private static long retryAfterMillis(Exception failure) {
        long seconds = 0;
        for (Throwable t : Causes.chain(failure)) {
            if (t instanceof UpstreamException u) {
                seconds = Math.max(seconds, u.retryAfterSeconds());
            } else if (t instanceof TokenUnavailableException u) {
                seconds = Math.max(seconds, u.retryAfterSeconds());
            }
        }
        return seconds * 1000;
    }

    private void fail(StoredEvent e, long now, String why) throws SQLException {
        if (store.fail(e.id(), now, why)) {
            metrics.counter("orgsync_events_failed_total", "corp", e.corpId()).increment();
            log.warn(
                    "Event {} of {} ({} {}) FAILED after {} attempts: {}",
                    e.id(),
                    e.corpId(),
                    e.changeType(),
                    e.subject(),
                    e.attempts() + 1,
                    why);
            alerts.raise(new Alert(
                    "events_failing",
                    e.corpId(),
                    "A contact-change event of " + e.corpId() + " (" + e.changeType() + " "
                            + e.subject() + ", event " + e.id() + ") could not be applied after " + (e.attempts() + 1)
                            + " attempts: " + why
                            + " The next periodic sync corrects the stored org."));
        }
    }
}
