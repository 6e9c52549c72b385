package io.orgsync.simulator;

import io.javalin.config.RoutesConfig;

/** {@code GET /__sim/webhook/{key}/messages}: the group-robot messages received under a key, oldest first. */
final class WebhookControl {
    private final Simulator sim;

    WebhookControl(Simulator sim) {
        this.sim = sim;
    }

    void routes(RoutesConfig r) {
        r.get(
                "/__sim/webhook/{key}/messages",
                ctx -> ControlJson.reply(ctx, 200, sim.webhooks.of(ctx.pathParam("key"))));
    }
}
