package io.orgsync.feed;

import io.micrometer.core.instrument.MeterRegistry;
import io.orgsync.alert.Alerts;
import io.orgsync.config.Settings;
import io.orgsync.http.HttpServer;
import io.orgsync.org.ChangeLog;
import io.orgsync.org.OrgChange;
import io.orgsync.org.OrgWriter;
import io.orgsync.store.SecretCipher;
import java.time.Clock;
import java.util.List;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;

/**
 * The change feed: every change of the log handed on as a CloudEvent, pulled page by page
 * ({@code GET /api/v1/corps/{corpId}/changes}) or pushed to subscriptions as signed webhooks by
 * the writing nodes (one deliverer per subscription in the cluster, under a lease).
 */
public final class Feed implements AutoCloseable {
    private final ChangesRoute changes;
    private final SubscriptionRoutes admin;
    private final FeedDelivery delivery;

    private Feed(ChangesRoute changes, SubscriptionRoutes admin, FeedDelivery delivery) {
        this.changes = changes;
        this.admin = admin;
        this.delivery = delivery;
    }

    /**
     * {@code paused}: while true (a fenced node) this node delivers nothing. A read-only node serves
     * the routes and delivers nothing; a writing node delivers once {@link #start()}ed.
     */
    public static Feed create(
            DataSource ds,
            Settings settings,
            Clock clock,
            SecretCipher cipher,
            MeterRegistry metrics,
            Alerts alerts,
            OrgWriter org,
            BooleanSupplier paused) {
        ChangeLog log = new ChangeLog(ds);
        FeedEvents events = new FeedEvents(settings.env());
        SubscriptionStore store = new SubscriptionStore(ds, cipher, settings.env());
        CursorStore cursors = new CursorStore(ds, settings.env());
        FeedDelivery delivery = settings.readOnly()
                ? null
                : new FeedDelivery(
                        new DeliveryContext(
                                store,
                                cursors,
                                log,
                                events,
                                new FeedSender(),
                                clock,
                                new FeedMetrics(metrics),
                                alerts,
                                settings.feedRetryHorizon(),
                                settings.instanceId()),
                        paused);
        Runnable changed = delivery == null
                ? () -> {}
                : () -> {
                    delivery.rescan();
                    delivery.wake();
                };
        Feed feed = new Feed(
                new ChangesRoute(ds, log, events),
                new SubscriptionRoutes(new Subscriptions(store, cursors, log, clock, changed)),
                delivery);
        if (delivery != null) {
            org.listen(feed.listener());
        }
        return feed;
    }

    public List<HttpServer.Routes> routes() {
        return List.of(changes, admin);
    }

    /** Starts delivering (writing nodes only; after the node registry's first heartbeat). */
    public Feed start() {
        if (delivery != null) {
            delivery.start();
        }
        return this;
    }

    private OrgWriter.Listener listener() {
        return new OrgWriter.Listener() {
            @Override
            public void written(String corpId, long version, List<OrgChange> written) {
                delivery.wake();
            }

            @Override
            public void registered(String corpId) {}

            @Override
            public void removed(String corpId) {}
        };
    }

    @Override
    public void close() throws Exception {
        if (delivery != null) {
            delivery.close();
        }
    }
}
