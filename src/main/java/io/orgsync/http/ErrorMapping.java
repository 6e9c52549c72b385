package io.orgsync.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.orgsync.error.Causes;
import io.orgsync.error.Refusal;
import io.orgsync.error.RefusedException;
import io.orgsync.store.DatabaseUnavailableException;
import io.orgsync.token.TokenUnavailableException;
import io.orgsync.upstream.UpstreamException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The one place where a refusal or a failure becomes an HTTP answer: the status, the error code
 * and the message of the error model in docs/http-api.md, and Retry-After when the refusal says when
 * to ask again. Features throw {@link RefusedException} (or a subclass) with a {@link Refusal},
 * and let upstream failures ({@link UpstreamException}, {@link TokenUnavailableException}) through,
 * which {@link UpstreamErrors} turns into refusals; only this class knows which status and code
 * each reason is. Failures that are not refusals
 * become 503 (the database) or 500 without a stack trace or a driver's text in the answer.
 */
final class ErrorMapping {
    // the request failures have always been logged under the server's name: operators filter on it
    private static final Logger log = LoggerFactory.getLogger(HttpServer.class);

    private ErrorMapping() {}

    static int status(Refusal reason) {
        return switch (reason) {
            case INVALID_REQUEST, INVALID_MOBILE -> 400;
            case UNAUTHORIZED -> 401;
            case NOT_FOUND, UNKNOWN_CORP, UNKNOWN_APP -> 404;
            case CONFLICT -> 409;
            case TOO_LARGE -> 413;
            case RATE_LIMITED, BUDGET_EXHAUSTED -> 429;
            case UPSTREAM_ERROR -> 502;
            case READ_ONLY, ADMIN_DISABLED, UNAVAILABLE -> 503;
        };
    }

    /** The error code callers branch on: spelled out, so that renaming a reason cannot change the API. */
    static String code(Refusal reason) {
        return switch (reason) {
            case INVALID_REQUEST, TOO_LARGE -> "invalid_request";
            case INVALID_MOBILE -> "invalid_mobile";
            case UNAUTHORIZED -> "unauthorized";
            case NOT_FOUND -> "not_found";
            case UNKNOWN_CORP -> "unknown_corp";
            case UNKNOWN_APP -> "unknown_app";
            case CONFLICT -> "conflict";
            case RATE_LIMITED -> "rate_limited";
            case BUDGET_EXHAUSTED -> "budget_exhausted";
            case UPSTREAM_ERROR -> "upstream_error";
            case READ_ONLY -> "read_only";
            case ADMIN_DISABLED -> "admin_disabled";
            case UNAVAILABLE -> "unavailable";
        };
    }

    static void register(RoutesConfig r) {
        r.exception(RefusedException.class, (e, ctx) -> refused(ctx, e));
        // the upstream's failures, from any route: one translation (UpstreamErrors) into a refusal
        r.exception(UpstreamException.class, (e, ctx) -> refused(ctx, UpstreamErrors.toRefusal(e)));
        r.exception(TokenUnavailableException.class, (e, ctx) -> refused(ctx, UpstreamErrors.toRefusal(e)));
        r.exception(SQLException.class, (e, ctx) -> {
            // the database is down, overloaded or gone: the caller may retry; the details stay in the log
            log.error("Request {} {} failed in the database: {}", ctx.method(), ctx.path(), where(e));
            ctx.header("Retry-After", "5");
            answer(
                    ctx,
                    503,
                    "unavailable",
                    "the database did not answer; retry later (trace id " + MDC.get("traceId") + ")");
        });
        r.exception(Exception.class, (e, ctx) -> {
            if (databaseUnreachable(e)) {
                // an outage, not a bug: one line in the log, and an answer that tells the caller to retry
                log.warn(
                        "Request {} {}: the database is unreachable ({})",
                        ctx.method(),
                        ctx.path(),
                        e.getClass().getSimpleName());
                ctx.header("Retry-After", "5");
                answer(
                        ctx,
                        503,
                        "unavailable",
                        "the database is unreachable; retry in a few seconds (trace id " + MDC.get("traceId") + ")");
                return;
            }
            log.error("Request {} {} failed: {}", ctx.method(), ctx.path(), where(e));
            answer(
                    ctx,
                    500,
                    "unavailable",
                    "internal error; the server log has the details under trace id " + MDC.get("traceId"));
        });
        r.error(404, ctx -> {
            if (ctx.result() == null || ctx.result().isEmpty() || ctx.result().startsWith("Endpoint")) {
                answer(ctx, 404, "not_found", "no route " + ctx.method() + " " + ctx.path());
            }
        });
        r.error(
                405,
                ctx -> answer(
                        ctx, 405, "invalid_request", "method " + ctx.method() + " is not allowed on " + ctx.path()));
        r.error(413, ctx -> answer(ctx, 413, "invalid_request", "the body is too large (1 MB at most)"));
    }

    private static void refused(Context ctx, RefusedException e) {
        if (e.retryAfterSeconds() > 0) {
            ctx.header("Retry-After", String.valueOf(e.retryAfterSeconds()));
        }
        answer(ctx, status(e.reason()), code(e.reason()), e.getMessage());
    }

    static void answer(Context ctx, int status, String code, String message) {
        ctx.status(status).json(Map.of("error", Map.of("code", code, "message", message)));
    }

    /**
     * What failed, for the log: exception classes down the cause chain, SQL states, and the first
     * frame of our own code. Not the messages or the stack: no SQL text, secret or stack trace may
     * reach a log line (README, "Logs"), and driver messages can carry both SQL and values.
     */
    static String where(Throwable e) {
        StringBuilder out = new StringBuilder();
        StackTraceElement ours = null;
        for (Throwable t : Causes.chain(e)) {
            out.append(out.length() == 0 ? "" : " <- ").append(t.getClass().getSimpleName());
            if (t instanceof SQLException sql) {
                out.append(" (SQLState ")
                        .append(sql.getSQLState())
                        .append(", code ")
                        .append(sql.getErrorCode())
                        .append(')');
            }
            for (StackTraceElement frame : t.getStackTrace()) {
                if (ours == null && frame.getClassName().startsWith("io.orgsync.")) {
                    ours = frame;
                }
            }
        }
        return ours == null ? out.toString() : out + " at " + ours;
    }

    /** A lost or refused database connection (SQLState class 08, or the pool's time-out waiting for one). */
    static boolean databaseUnreachable(Throwable e) {
        return Causes.any(
                e,
                t -> t instanceof SQLTransientConnectionException
                        || t instanceof SQLNonTransientConnectionException
                        || t instanceof DatabaseUnavailableException
                        || t instanceof SQLException sql
                                && sql.getSQLState() != null
                                && sql.getSQLState().startsWith("08"));
    }
}
