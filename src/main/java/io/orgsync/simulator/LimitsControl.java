package io.orgsync.simulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

/** {@code /__sim/limits}: read, change some (all or none of a change applies) or restore the defaults. */
final class LimitsControl {
    private final Simulator sim;

    LimitsControl(Simulator sim) {
        this.sim = sim;
    }

    void routes(RoutesConfig r) {
        r.get("/__sim/limits", ctx -> ControlJson.reply(ctx, 200, sim.limits()));
        r.put("/__sim/limits", this::change);
        r.delete("/__sim/limits", ctx -> ControlJson.reply(ctx, 200, sim.changeLimits(current -> Limits.DEFAULTS)));
    }

    private void change(Context ctx) {
        ObjectNode changes = ControlJson.object(ctx);
        Limits changed = sim.changeLimits(current -> ControlJson.merge(
                current,
                changes,
                field -> "unknown limit '" + field + "'; known: " + ControlJson.fieldNames(Limits.class)));
        ControlJson.reply(ctx, 200, changed);
    }
}
