package io.orgsync.member;

import io.javalin.config.RoutesConfig;
import io.javalin.http.ContentType;
import io.orgsync.http.Json;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.orgsync.error.Refusal;
import io.orgsync.error.RefusedException;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** {@code GET /api/v1/members/by-mobile/{mobile}}: answered from the database only. */
public final class LookupRoutes implements io.orgsync.http.HttpServer.Routes {
    public static final Pattern CORP_ID = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    private final MemberQueries queries;
    /** Registered once: a registry look-up per request costs more than the increment. */
    private final Counter found;
    private final Counter notFound;
    private final Counter invalid;

    public LookupRoutes(MemberQueries queries, MeterRegistry metrics) {
        this.queries = queries;
        this.found = metrics.counter("orgsync_lookups_total", "kind", "lookup", "outcome", "found");
        this.notFound = metrics.counter("orgsync_lookups_total", "kind", "lookup", "outcome", "not_found");
        this.invalid = metrics.counter("orgsync_lookups_total", "kind", "lookup", "outcome", "invalid");
    }

    @Override
    public void register(RoutesConfig routes) {
        // an empty mobile leaves no path segment: still an invalid mobile, not an unknown route
        routes.get("/api/v1/members/by-mobile", ctx -> {
            throw invalidMobile("");
        });
        routes.get("/api/v1/members/by-mobile/{mobile}", ctx -> {
            var normalised = Mobile.normalise(ctx.pathParam("mobile"));
            if (normalised.isEmpty()) {
                // counted, so that a caller sending junk shows on the dashboard
                invalid.increment();
                throw invalidMobile(ctx.pathParam("mobile"));
            }
            String mobile = normalised.get();
            String corpId = ctx.queryParam("corpId");
            if (corpId != null && !CORP_ID.matcher(corpId).matches()) {
                throw new RefusedException(Refusal.INVALID_REQUEST, "corpId must be 1 to 64 letters, digits or _ . -");
            }
            List<Member> members = queries.byMobile(mobile, corpId);
            (members.isEmpty() ? notFound : found).increment();
            if (members.isEmpty()) {
                throw new RefusedException(Refusal.NOT_FOUND, "no member has mobile " + mobile
                        + (corpId == null ? "" : " in " + corpId) + "; POST /api/v1/members/resolve asks WeCom");
            }
            // UTF-8 bytes straight from Jackson: ctx.json() builds a String first, and names in Chinese
            // make it a UTF-16 one re-encoded per answer (a tenth of a lookup's CPU in a profile)
            ctx.contentType(ContentType.APPLICATION_JSON).result(Json.MAPPER.writeValueAsBytes(Map.of("mobile", mobile, "members", members)));
        });
    }

    public static RefusedException invalidMobile(String given) {
        String shown = given == null ? "" : given.length() > 40 ? given.substring(0, 40) + "..." : given;
        return new RefusedException(Refusal.INVALID_MOBILE, "'" + shown.replaceAll("\\p{Cntrl}", "?")
                + "' is not a mobile number: use 11 mainland digits (with or without +86) or +<country code><number>");
    }
}
