package io.orgsync.simulator;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Map;

/**
 * {@code /__sim/corps/{corpId}/callback}: from a PUT on, every org change made through the control
 * routes is posted to the URL as WeCom's encrypted contact-change events; DELETE stops it;
 * {@code GET .../callback/deliveries} lists what was sent, dropped, and the answers.
 */
final class CallbackControl {
    private final Simulator sim;

    CallbackControl(Simulator sim) {
        this.sim = sim;
    }

    void routes(RoutesConfig r) {
        r.put("/__sim/corps/{corpId}/callback", this::register);
        r.delete("/__sim/corps/{corpId}/callback", ctx -> {
            SimCorp corp = CorpsControl.existing(sim, ctx);
            corp.changes = null;
            CallbackPoster old = sim.callbacks.remove(corp.corpId);
            if (old != null) {
                old.close();
            }
            ControlJson.reply(ctx, 200, Map.of("corpId", corp.corpId, "callback", false));
        });
        // how many events the org changes so far produced: deliveries are posted in the background
        r.get("/__sim/corps/{corpId}/callback", ctx -> {
            SimCorp corp = CorpsControl.existing(sim, ctx);
            CallbackPoster poster = sim.callbacks.get(corp.corpId);
            ControlJson.reply(
                    ctx,
                    200,
                    Map.of(
                            "corpId",
                            corp.corpId,
                            "callback",
                            poster != null,
                            "generated",
                            poster == null ? 0 : poster.generated()));
        });
        r.get("/__sim/corps/{corpId}/callback/deliveries", ctx -> {
            SimCorp corp = CorpsControl.existing(sim, ctx);
            CallbackPoster poster = sim.callbacks.get(corp.corpId);
            ControlJson.reply(ctx, 200, poster == null ? java.util.List.of() : poster.deliveries());
        });
    }

    private void register(Context ctx) {
        SimCorp corp = CorpsControl.existing(sim, ctx);
        CallbackPoster.Registration body = ControlJson.read(
                ctx,
                CallbackPoster.Registration.class,
                field -> "unknown field '" + field + "'; known: "
                        + ControlJson.fieldNames(CallbackPoster.Registration.class));
        CallbackPoster poster = new CallbackPoster(corp, body, sim.clock);
        CallbackPoster old = sim.callbacks.put(corp.corpId, poster);
        if (old != null) {
            old.close();
        }
        corp.changes = poster::changed;
        ControlJson.reply(ctx, 200, Map.of("corpId", corp.corpId, "callback", true, "style", body.style()));
    }
}
