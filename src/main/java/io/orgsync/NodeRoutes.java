package io.orgsync;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.orgsync.admin.AdminRoutes;
import io.orgsync.alert.Alerts;
import io.orgsync.callback.CallbackAdminRoutes;
import io.orgsync.callback.CallbackRoutes;
import io.orgsync.callback.CallbackSettings;
import io.orgsync.callback.EventDrainer;
import io.orgsync.callback.Events;
import io.orgsync.cluster.NodeRegistry;
import io.orgsync.config.Settings;
import io.orgsync.enterprise.EnterpriseService;
import io.orgsync.feed.Feed;
import io.orgsync.http.AccessRules;
import io.orgsync.http.HealthRoutes;
import io.orgsync.http.HttpServer;
import io.orgsync.http.MetricsRoutes;
import io.orgsync.http.OpenApiRoutes;
import io.orgsync.miniapp.MiniAppService;
import io.orgsync.miniapp.WxaCodeRoutes;
import io.orgsync.read.LookupRoutes;
import io.orgsync.read.ReadAnswers;
import io.orgsync.read.ReadRoutes;
import io.orgsync.resolve.ResolveRoutes;
import io.orgsync.resolve.ResolveService;
import io.orgsync.schedule.SyncScheduler;
import io.orgsync.store.Database;
import io.orgsync.store.DatabaseClock;
import io.orgsync.sync.RunStore;
import java.util.List;

/**
 * The HTTP surface of a node, in the order the server tries them (access rules first). Apart
 * from Node because it only reads the node's features ({@link Parts}), it builds none of them.
 */
final class NodeRoutes {
    private NodeRoutes() {}

    /** The features whose routes a node serves ({@code eventDrainer} null on a read-only node). */
    record Parts(
            Settings settings,
            ReadAnswers reads,
            PrometheusMeterRegistry metrics,
            ResolveService resolver,
            MiniAppService miniApps,
            EnterpriseService enterprises,
            SyncScheduler scheduler,
            RunStore runs,
            NodeRegistry nodeRegistry,
            Alerts alerts,
            CallbackSettings callbacks,
            Events events,
            DatabaseClock clock,
            Database db,
            EventDrainer eventDrainer,
            Feed feed) {}

    static List<HttpServer.Routes> of(Parts node, String version) {
        var settings = node.settings;
        var eventDrainer = node.eventDrainer;
        var callbackAdmin = new CallbackAdminRoutes(node.callbacks, node.events);
        List<HttpServer.Routes> routes = new java.util.ArrayList<>(List.of(
                new AccessRules(settings.apiToken(), settings.readOnly(), settings.adminToken()),
                new LookupRoutes(node.reads, node.metrics),
                new ReadRoutes(node.reads),
                new ResolveRoutes(node.resolver),
                new WxaCodeRoutes(node.miniApps),
                new AdminRoutes(
                        settings.adminToken(),
                        node.enterprises,
                        node.miniApps,
                        node.scheduler.jobs(),
                        node.runs,
                        node.nodeRegistry,
                        node.alerts,
                        callbackAdmin::listingFields),
                callbackAdmin,
                new CallbackRoutes(
                        node.callbacks,
                        node.events,
                        node.clock,
                        settings.readOnly(),
                        node.metrics,
                        eventDrainer == null ? () -> {} : eventDrainer::wake),
                new HealthRoutes(
                        node.db,
                        node.clock,
                        settings.schedulerEnabled(),
                        node.scheduler::started,
                        settings.instanceId(),
                        settings.env(),
                        version),
                new MetricsRoutes(node.metrics),
                new OpenApiRoutes()));
        routes.addAll(node.feed.routes());
        return routes;
    }
}
