package io.orgsync.simulator;

import io.javalin.config.RoutesConfig;
import java.util.Map;

/** {@code POST /__sim/reset}: the simulator as just started, without enterprises, apps, faults or tokens. */
final class ResetControl {
    private final Simulator sim;

    ResetControl(Simulator sim) {
        this.sim = sim;
    }

    void routes(RoutesConfig r) {
        r.post("/__sim/reset", ctx -> {
            sim.resetAll();
            ControlJson.reply(ctx, 200, Map.of("reset", true));
        });
    }
}
