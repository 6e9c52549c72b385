package io.orgsync.simulator;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Map;

/** {@code POST /__sim/corps/{corpId}/members/{userid}/rename {"userid"}}: a member's userid changed, as WeCom allows once. */
final class RenameControl {
    record Rename(String userid) {
        Rename {
            Fields.id("userid", Fields.required("userid", userid));
        }
    }

    private final Simulator sim;

    RenameControl(Simulator sim) {
        this.sim = sim;
    }

    void routes(RoutesConfig r) {
        r.post("/__sim/corps/{corpId}/members/{userid}/rename", this::rename);
    }

    private void rename(Context ctx) {
        SimCorp corp = CorpsControl.existing(sim, ctx);
        String from = ctx.pathParam("userid");
        String to = ControlJson.read(ctx, Rename.class).userid();
        Org changed = corp.change(
                org -> {
                    SimMember m = org.member(from);
                    if (m == null) {
                        throw ControlException.notFound("no member " + from);
                    }
                    if (org.member(to) != null) {
                        throw ControlException.conflict("member " + to + " already exists");
                    }
                    return org.withoutMember(m.userid()).withMember(m.withUserid(to));
                },
                Map.of(from, to));
        ControlJson.reply(ctx, 200, OrgExport.member(changed.member(to)));
    }
}
