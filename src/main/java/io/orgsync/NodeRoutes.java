package io.orgsync;

import io.orgsync.admin.AdminRoutes;
import io.orgsync.callback.CallbackAdminRoutes;
import io.orgsync.callback.CallbackRoutes;
import io.orgsync.http.AccessRules;
import io.orgsync.http.HealthRoutes;
import io.orgsync.http.HttpServer;
import io.orgsync.http.MetricsRoutes;
import io.orgsync.http.OpenApiRoutes;
import io.orgsync.miniapp.WxaCodeRoutes;
import io.orgsync.read.LookupRoutes;
import io.orgsync.read.ReadRoutes;
import io.orgsync.resolve.ResolveRoutes;
import java.util.List;

/**
 * The HTTP surface of a node, in the order the server tries them (access rules first). Apart
 * from {@link Node} because it only reads the node's features, it builds none of them.
 */
final class NodeRoutes {
    private NodeRoutes() {}

    static List<HttpServer.Routes> of(Node node, String version) {
        var settings = node.settings;
        var eventDrainer = node.eventDrainer;
        var callbackAdmin = new CallbackAdminRoutes(node.callbacks, node.events);
        return List.of(
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
                new OpenApiRoutes());
    }
}
