package io.orgsync.simulator;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.List;
import java.util.Map;

/** {@code /__sim/apps}: mini-program apps with their secret and published pages. */
final class AppsControl {
    /** {@code POST /__sim/apps}; without pages the app has published only its home page. */
    record NewApp(String appId, String secret, List<String> pages) {
        NewApp {
            Fields.required("appId", appId);
            Fields.required("secret", secret);
            Fields.id("appId", appId);
            pages = pages == null ? List.of(SimApp.HOME_PAGE) : pages;
        }
    }

    private final Simulator sim;

    AppsControl(Simulator sim) {
        this.sim = sim;
    }

    void routes(RoutesConfig r) {
        r.post("/__sim/apps", this::create);
    }

    private void create(Context ctx) {
        NewApp body = ControlJson.read(ctx, NewApp.class);
        SimApp app = new SimApp(body.appId(), body.secret(), body.pages());
        if (sim.apps.putIfAbsent(app.appId(), app) != null) {
            throw ControlException.conflict("app " + app.appId() + " already exists");
        }
        ControlJson.reply(ctx, 201, Map.of("appId", app.appId(), "pages", app.pages()));
    }
}
