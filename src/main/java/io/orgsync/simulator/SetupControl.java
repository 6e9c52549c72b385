package io.orgsync.simulator;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code /__sim/corps/{corpId}/setup}: an enterprise's set-up (docs/upstream.md, "WeCom set-ups"), read
 * and changed as an admin changes it in WeCom's console: a contact-sync secret issued or reset,
 * the server's IP now a new one, the app replaced by one created after 2022-06-20, its visible
 * range narrowed. Fields left out stay; {@code "appRange": {}} is the whole company again. Tokens
 * already issued read under the new set-up from the next call on, as WeCom checks at each call.
 */
final class SetupControl {
    private final Simulator sim;

    SetupControl(Simulator sim) {
        this.sim = sim;
    }

    void routes(RoutesConfig r) {
        r.get("/__sim/corps/{corpId}/setup", ctx -> reply(ctx, CorpsControl.existing(sim, ctx)));
        r.patch("/__sim/corps/{corpId}/setup", this::change);
    }

    private void change(Context ctx) {
        SimCorp corp = CorpsControl.existing(sim, ctx);
        synchronized (corp) {
            CorpSetup changed = ControlJson.merge(
                    corp.setup,
                    ControlJson.object(ctx),
                    field -> "unknown set-up field '" + field + "'; known: " + ControlJson.fieldNames(CorpSetup.class));
            changed.appRange().checkAgainst(corp.org());
            corp.setup = changed;
        }
        reply(ctx, corp);
    }

    private static void reply(Context ctx, SimCorp corp) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("corpId", corp.corpId);
        out.putAll(OrgExport.setup(corp.setup));
        ControlJson.reply(ctx, 200, out);
    }
}
