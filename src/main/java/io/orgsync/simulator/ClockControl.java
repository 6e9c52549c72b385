package io.orgsync.simulator;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code /__sim/clock}: the simulator's time, moved forward so that expiry and daily limits need not be waited for. */
final class ClockControl {
    record Advance(Long advanceSeconds) {
        Advance {
            if (advanceSeconds == null) {
                throw new IllegalArgumentException("advanceSeconds must be a number");
            }
            if (advanceSeconds < 0) {
                throw new IllegalArgumentException("advanceSeconds must be a whole number of 0 or more");
            }
        }
    }

    private final Simulator sim;

    ClockControl(Simulator sim) {
        this.sim = sim;
    }

    void routes(RoutesConfig r) {
        r.get("/__sim/clock", this::show);
        r.post("/__sim/clock", ctx -> {
            sim.clock.advance(ControlJson.read(ctx, Advance.class).advanceSeconds());
            show(ctx);
        });
    }

    private void show(Context ctx) {
        Map<String, Object> clock = new LinkedHashMap<>();
        clock.put("now", sim.clock.now().toString());
        clock.put("offsetSeconds", sim.clock.offsetMillis() / 1000);
        ControlJson.reply(ctx, 200, clock);
    }
}
