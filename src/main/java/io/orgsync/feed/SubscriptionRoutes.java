package io.orgsync.feed;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.orgsync.http.HttpServer;
import io.orgsync.http.Json;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The admin routes of the feed's subscriptions, under /admin/api behind the admin token like the
 * others (a read-only node refuses the writes before they get here). The secret is never shown,
 * except once when it was generated.
 */
final class SubscriptionRoutes implements HttpServer.Routes {
    private final Subscriptions subscriptions;

    SubscriptionRoutes(Subscriptions subscriptions) {
        this.subscriptions = subscriptions;
    }

    @Override
    public void register(RoutesConfig r) {
        r.get("/admin/api/subscriptions", ctx -> ctx.json(Map.of("items", subscriptions.list())));
        r.get("/admin/api/subscriptions/{name}", ctx -> ctx.json(subscriptions.get(ctx.pathParam("name"))));
        r.put("/admin/api/subscriptions/{name}", ctx -> {
            Subscriptions.Put put = subscriptions.put(ctx.pathParam("name"), body(ctx));
            Map<String, Object> answer = new LinkedHashMap<>(put.view());
            if (put.secret() != null) {
                answer.put("secret", put.secret());
            }
            ctx.status(put.created() ? 201 : 200).json(answer);
        });
        r.delete("/admin/api/subscriptions/{name}", ctx -> {
            subscriptions.delete(ctx.pathParam("name"));
            ctx.status(204);
        });
        r.post(
                "/admin/api/subscriptions/{name}/replay",
                ctx -> ctx.status(202).json(subscriptions.replay(ctx.pathParam("name"), body(ctx))));
    }

    private static JsonNode body(Context ctx) {
        try {
            return Json.MAPPER.readTree(ctx.bodyAsBytes());
        } catch (Exception e) {
            return null; // the parser refuses it with what to send
        }
    }
}
