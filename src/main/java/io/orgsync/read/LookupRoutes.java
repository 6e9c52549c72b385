package io.orgsync.read;

import io.javalin.config.RoutesConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.orgsync.error.Refusal;
import io.orgsync.error.RefusedException;
import io.orgsync.http.IdFormats;
import io.orgsync.member.Mobile;

/** {@code GET /api/v1/members/by-mobile/{mobile}}: answered from the stored copy, through the node's read cache. */
public final class LookupRoutes implements io.orgsync.http.HttpServer.Routes {
    private final ReadAnswers answers;
    /** Registered once: a registry look-up per request costs more than the increment. */
    private final Counter found;

    private final Counter notFound;
    private final Counter invalid;

    public LookupRoutes(ReadAnswers answers, MeterRegistry metrics) {
        this.answers = answers;
        this.found = metrics.counter("orgsync_lookups_total", "kind", "lookup", "outcome", "found");
        this.notFound = metrics.counter("orgsync_lookups_total", "kind", "lookup", "outcome", "not_found");
        this.invalid = metrics.counter("orgsync_lookups_total", "kind", "lookup", "outcome", "invalid");
    }

    @Override
    public void register(RoutesConfig routes) {
        // an empty mobile leaves no path segment: still an invalid mobile, not an unknown route
        routes.get("/api/v1/members/by-mobile", ctx -> {
            throw Mobile.invalid("");
        });
        routes.get("/api/v1/members/by-mobile/{mobile}", ctx -> {
            var normalised = Mobile.normalise(ctx.pathParam("mobile"));
            if (normalised.isEmpty()) {
                // counted, so that a caller sending junk shows on the dashboard
                invalid.increment();
                throw Mobile.invalid(ctx.pathParam("mobile"));
            }
            String mobile = normalised.get();
            String corpId = ctx.queryParam("corpId");
            if (corpId != null && !IdFormats.CORP_ID.matcher(corpId).matches()) {
                throw new RefusedException(Refusal.INVALID_REQUEST, "corpId must be 1 to 64 letters, digits or _ . -");
            }
            // the answer's bytes as cached: a hit costs neither a query nor serialisation
            Answer answer = answers.byMobile(mobile, corpId);
            (answer.status() == 200 ? found : notFound).increment();
            ReadRoutes.write(ctx, answer);
        });
    }
}
