package io.orgsync.simulator;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

/** {@code /__sim/stats}: what tests and benchmarks read back about the calls, and its reset. */
final class StatsControl {
    private final Simulator sim;

    StatsControl(Simulator sim) {
        this.sim = sim;
    }

    void routes(RoutesConfig r) {
        r.get("/__sim/stats", this::show);
        r.post("/__sim/stats/reset", ctx -> {
            sim.resetStats();
            show(ctx);
        });
    }

    private void show(Context ctx) {
        ControlJson.reply(ctx, 200, sim.stats.snapshot(sim.tokens));
    }
}
