package io.orgsync.simulator;

import io.javalin.config.RoutesConfig;

/**
 * The {@code /__sim} routes that tests, benchmarks and the demo use to set up and inspect the
 * simulator, one class per resource. A refused control request is answered with its status and
 * {@code {"error": "what to fix"}}.
 */
final class ControlApi {
    private final Simulator sim;

    ControlApi(Simulator sim) {
        this.sim = sim;
    }

    void routes(RoutesConfig r) {
        r.exception(ControlException.class, (e, ctx) -> ControlJson.refuse(ctx, e.status, e.getMessage()));
        // the model's own checks (Org, SimMember): a change that would break the tree or a member
        r.exception(IllegalArgumentException.class, (e, ctx) -> ControlJson.refuse(ctx, 400, e.getMessage()));
        new CorpsControl(sim).routes(r);
        new SetupControl(sim).routes(r);
        new MembersControl(sim).routes(r);
        new DepartmentsControl(sim).routes(r);
        new AppsControl(sim).routes(r);
        new TokensControl(sim).routes(r);
        new LimitsControl(sim).routes(r);
        new FaultsControl(sim).routes(r);
        new StatsControl(sim).routes(r);
        new WebhookControl(sim).routes(r);
        new ClockControl(sim).routes(r);
        new CallbackControl(sim).routes(r);
        new RenameControl(sim).routes(r);
        new ResetControl(sim).routes(r);
    }
}
