package io.orgsync.simulator;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Map;

/** {@code POST /__sim/tokens/invalidate}: every live token of an enterprise or app stops working, as when another holder refreshes. */
final class TokensControl {
    record Subject(String corpId, String appId) {
        Subject {
            if (corpId == null && appId == null) {
                throw new IllegalArgumentException("give corpId or appId");
            }
        }

        String id() {
            return corpId != null ? corpId : appId;
        }
    }

    private final Simulator sim;

    TokensControl(Simulator sim) {
        this.sim = sim;
    }

    void routes(RoutesConfig r) {
        r.post("/__sim/tokens/invalidate", this::invalidate);
    }

    private void invalidate(Context ctx) {
        String subject = ControlJson.read(ctx, Subject.class).id();
        if (!sim.corps.containsKey(subject) && !sim.apps.containsKey(subject)) {
            throw ControlException.notFound("no enterprise or app " + subject);
        }
        ControlJson.reply(ctx, 200, Map.of("invalidated", sim.tokens.invalidate(subject)));
    }
}
