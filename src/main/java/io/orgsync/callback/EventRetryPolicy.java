package io.orgsync.callback;

import io.micrometer.core.instrument.MeterRegistry;
import io.orgsync.alert.Alert;
import io.orgsync.alert.Alerts;
import io.orgsync.logging.Failures;
import java.sql.SQLException;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens to an event that could not be applied: skipped when a later event of the same
 * subject supersedes it, retried with doubling backoff, and after {@link #MAX_ATTEMPTS} ended
 * FAILED with one alert, because the next periodic sync corrects the stored org anyway.
 */
final class EventRetryPolicy {
    private static final Logger log = LoggerFactory.getLogger(EventRetryPolicy.class);
    /** Attempts before an event ends FAILED: 1+2+4+8+16 s of backoff, about half a minute. */
    static final int MAX_ATTEMPTS = 6;

    private final EventStore store;
    private final MeterRegistry metrics;
    private final Alerts alerts;
    private final Clock clock;

    EventRetryPolicy(EventStore store, MeterRegistry metrics, Alerts alerts, Clock clock) {
        this.store = store;
        this.metrics = metrics;
        this.alerts = alerts;
        this.clock = clock;
    }

    /**
     * Shows the enterprise's failure count at zero from its first event on: the events-failing
     * alert rule's increase() cannot see a first step from "absent" to 1.
     */
    void countFailuresOf(String corpId) {
        metrics.counter("orgsync_events_failed_total", "corp", corpId);
    }

    void retryOrFail(StoredEvent e, Exception failure) throws SQLException {
        String why = failure instanceof NotReadableYet ? failure.getMessage() : Failures.describe(failure);
        int attempt = e.attempts() + 1;
        long now = clock.millis();
        if (failure instanceof NotReadableYet && store.skipIfSuperseded(e, now)) {
            // a later event of the same member or department (its deletion, most often) says what became of it
            metrics.counter("orgsync_events_applied_total", "corp", e.corpId(), "outcome", "skipped")
                    .increment();
            return;
        }
        if (attempt < MAX_ATTEMPTS) {
            store.retryLater(e.id(), now + (1000L << (attempt - 1)), why);
            return;
        }
        if (store.fail(e.id(), now, why)) {
            metrics.counter("orgsync_events_failed_total", "corp", e.corpId()).increment();
            log.warn(
                    "Event {} of {} ({} {}) FAILED after {} attempts: {}",
                    e.id(),
                    e.corpId(),
                    e.changeType(),
                    e.subject(),
                    attempt,
                    why);
            alerts.raise(new Alert(
                    "events_failing",
                    e.corpId(),
                    "A contact-change event of " + e.corpId() + " (" + e.changeType() + " "
                            + e.subject() + ", event " + e.id() + ") could not be applied after " + attempt
                            + " attempts: " + why
                            + " The next periodic sync corrects the stored org."));
        }
    }
}
