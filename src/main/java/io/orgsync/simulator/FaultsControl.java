package io.orgsync.simulator;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Map;

/**
 * {@code /__sim/faults}: faults injected into upstream calls, listed with how often each applied, and
 * cleared; the calls held by a latency can be let go at once.
 */
final class FaultsControl {
    private final Simulator sim;

    FaultsControl(Simulator sim) {
        this.sim = sim;
    }

    void routes(RoutesConfig r) {
        r.post("/__sim/faults", this::add);
        r.get("/__sim/faults", ctx -> ControlJson.reply(ctx, 200, sim.faults.list()));
        r.delete("/__sim/faults", this::clear);
        // the calls a latency holds now go on at once, as if it had passed (the faults stay)
        r.post("/__sim/faults/release", ctx -> ControlJson.reply(ctx, 200, Map.of("released", sim.faults.release())));
    }

    private void add(Context ctx) {
        Faults.Spec spec = ControlJson.read(ctx, Faults.Spec.class, field -> "unknown fault field '" + field + "'");
        ControlJson.reply(ctx, 201, sim.faults.add(spec).toMap());
    }

    private void clear(Context ctx) {
        sim.faults.clear();
        ControlJson.reply(ctx, 200, Map.of("faults", 0));
    }
}
