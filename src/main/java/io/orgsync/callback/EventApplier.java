package io.orgsync.callback;

import io.micrometer.core.instrument.MeterRegistry;
import io.orgsync.alert.Alerts;
import io.orgsync.enterprise.Enterprise;
import io.orgsync.enterprise.EnterpriseService;
import io.orgsync.enterprise.IdsOnlyMemory;
import io.orgsync.member.MemberReads;
import io.orgsync.org.OrgChange;
import io.orgsync.org.OrgWriter;
import io.orgsync.store.Sql;
import io.orgsync.upstream.UpstreamClient;
import io.orgsync.wecom.WecomClient;
import java.net.URI;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies received events, on every writing node: per enterprise in arrival order, by the one
 * node that holds the enterprise's queue lease, each event in its own transaction that first
 * locks the enterprise row, as a sync's apply does, so that an event waits for a sync's apply
 * and the other way round. Members and departments named only by id are read through the
 * shared, rate-limited upstream client before that transaction. A member the API does not show
 * yet is retried with backoff; an event that keeps failing ends FAILED with an alert.
 * {@link EventDrainer} decides which enterprises this node drains, and when.
 */
public final class EventApplier {
    private static final Logger log = LoggerFactory.getLogger(EventApplier.class);

    private final DataSource ds;
    private final EventStore store;
    private final EnterpriseService enterprises;
    private final UpstreamClient upstream;
    private final URI wecomBaseUrl;
    private final EventRetryPolicy retry;
    private final IdsOnlyMemory idsOnly;
    private final MeterRegistry metrics;
    private final Clock clock;
    private final OrgWriter writer;

    public EventApplier(
            DataSource ds,
            Events events,
            EnterpriseService enterprises,
            UpstreamClient upstream,
            URI wecomBaseUrl,
            Alerts alerts,
            MeterRegistry metrics,
            Clock clock,
            OrgWriter writer,
            Duration retryHorizon) {
        this.ds = ds;
        this.store = events.store();
        this.enterprises = enterprises;
        this.upstream = upstream;
        this.wecomBaseUrl = wecomBaseUrl;
        this.retry = new EventRetryPolicy(store, metrics, alerts, clock, retryHorizon);
        this.idsOnly = new IdsOnlyMemory(ds, alerts);
        this.metrics = metrics;
        this.clock = clock;
        this.writer = writer;
    }

    /** Keeps the enterprise's queue for this node: false once it should stop draining it. */
    interface Lease {
        boolean renew() throws SQLException;
    }

    /** Applies the enterprise's due events in order while {@code lease} holds. */
    void drain(String corpId, Lease lease) throws SQLException {
        retry.countFailuresOf(corpId);
        EventReader client = null;
        for (Optional<StoredEvent> next = store.next(corpId, clock.millis());
                next.isPresent();
                next = store.next(corpId, clock.millis())) {
            if (!lease.renew()) {
                // stopping, fenced, or the lease lapsed (a long wait behind a sync's lock) and another node took the
                // queue: leave it to that node
                return;
            }
            StoredEvent e = next.get();
            try {
                if (client == null) {
                    Enterprise enterprise = enterprises.find(corpId);
                    client = reader(enterprise);
                }
                apply(e, client);
            } catch (NotReadableYet | RuntimeException | SQLException failure) {
                retry.retryOrFail(e, failure);
                if (!(failure instanceof NotReadableYet)) {
                    // an upstream or database failure concerns every event of the enterprise: next pass
                    return;
                }
            }
        }
    }

    /**
     * The secrets that may re-read a member: a contact-sync secret known to answer 48009 is not
     * asked; one that answers it now is remembered, as a sync remembers it.
     */
    private EventReader reader(Enterprise enterprise) throws SQLException {
        return new EventReader(
                client(enterprise, enterprise.secret()),
                idsOnly.known(enterprise, clock.millis()) ? null : client(enterprise, enterprise.contactSecret()),
                () -> idsOnly.learned(enterprise, clock.millis()));
    }

    private WecomClient client(Enterprise enterprise, String secret) {
        return secret == null ? null : new WecomClient(upstream, wecomBaseUrl, enterprise.corpId(), secret);
    }

    private void apply(StoredEvent e, EventReader client) throws SQLException, NotReadableYet {
        ContactEvent ev = e.event();
        ChangeWriter.Read read = ChangeWriter.Read.NONE;
        // a tag change, an unknown type, another event or a malformed field: skipped with its reason, never retried
        String notWritten = ev.notWritten();
        boolean duplicate = Sql.withConnection(ds, c -> EventStore.duplicate(c, e));
        if (!duplicate && notWritten == null) {
            boolean stored = Sql.withConnection(
                    ds,
                    c -> ev.changeType().endsWith("_user")
                            ? MemberReads.findForUpdate(c, e.corpId(), ev.get("UserID"))
                                    .isPresent()
                            : MemberReads.departments(c, e.corpId()).containsKey(Long.parseLong(ev.get("Id"))));
            if (ChangeWriter.needsRead(ev, stored)) {
                read = client.read(ev);
            }
        }
        ChangeWriter.Read found = read;
        long now = clock.millis();
        // under the lock a sync's apply holds: an event never lands in the middle of one
        Optional<String> applied = writer.write(e.corpId(), OrgChange.Source.EVENT, tx -> {
            java.sql.Connection c = tx.connection();
            if (!EventStore.stillNext(c, e)) {
                return null;
            }
            if (EventStore.duplicate(c, e)) {
                EventStore.finish(
                        c, e.id(), EventStatus.SKIPPED, now, "a repeated delivery of an event applied before");
                return "skipped";
            }
            String skipped = notWritten != null ? notWritten : ChangeWriter.write(tx, e, found);
            EventStore.finish(c, e.id(), skipped == null ? EventStatus.APPLIED : EventStatus.SKIPPED, now, skipped);
            return skipped == null ? "applied" : "skipped";
        });
        if (applied.isEmpty()) {
            return;
        }
        String outcome = applied.get();
        metrics.counter("orgsync_events_applied_total", "corp", e.corpId(), "outcome", outcome)
                .increment();
        metrics.timer("orgsync_event_lag_seconds", "corp", e.corpId())
                .record(Duration.ofMillis(Math.max(0, now - e.createTime() * 1000)));
    }
}
