package io.orgsync.simulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;

/**
 * What every upstream call goes through before its handler, in the order the real services
 * apply it: statistics, injected faults, IP bans, the access token, call limits, concurrency.
 */
final class Gate {
    enum Family {
        WECOM,
        WECHAT
    }

    /** One upstream API. {@code emptyList} names the list field that error bodies still carry. */
    record Api(String path, Family family, boolean needsToken, boolean departmentCall, String emptyList) {
        static Api wecom(String path, boolean departmentCall, String emptyList) {
            return new Api(path, Family.WECOM, true, departmentCall, emptyList);
        }
    }

    /** One call in progress, handed to the route's handler. */
    final class Call {
        final Context ctx;
        final Api api;
        final long now;
        final String subject;
        SimToken token;

        Call(Context ctx, Api api, long now, String subject) {
            this.ctx = ctx;
            this.api = api;
            this.now = now;
            this.subject = subject;
        }

        SimCorp corp() {
            return token == null ? null : sim.corps.get(token.subject);
        }

        SimApp app() {
            return token == null ? null : sim.apps.get(token.subject);
        }

        void ok(Map<String, Object> fields) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("errcode", 0);
            body.put("errmsg", "ok");
            body.putAll(fields);
            json(ctx, 200, body);
        }

        void okBytes(byte[] jsonBody) throws java.io.IOException {
            send(ctx, 200, JSON, jsonBody);
        }

        void error(int errcode) {
            error(errcode, null, 200);
        }

        void error(int errcode, String detail) {
            error(errcode, detail, 200);
        }

        void error(int errcode, String detail, int httpStatus) {
            sim.stats.error(errcode);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("errcode", errcode);
            body.put(
                    "errmsg",
                    api.family == Family.WECOM
                            ? Errcodes.wecomMessage(errcode, detail, ctx.ip())
                            : Errcodes.wechatMessage(errcode, detail));
            if (api.emptyList != null) {
                body.put(api.emptyList, java.util.List.of());
            }
            json(ctx, httpStatus, body);
        }
    }

    interface CallHandler {
        void handle(Call call) throws Exception;
    }

    interface SubjectOf {
        String subject(Context ctx);
    }

    static final String JSON = "application/json; charset=utf-8";
    private static final long MINUTE = 60_000;
    private static final long HOUR = 3_600_000;
    private static final long SECOND = 1_000;

    private final Simulator sim;
    private final ObjectMapper mapper;
    private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();

    Gate(Simulator sim, ObjectMapper mapper) {
        this.sim = sim;
        this.mapper = mapper;
    }

    /** A route that needs an access token: the subject is the token's owner. */
    Handler call(Api api, CallHandler handler) {
        return wrap(api, ctx -> sim.tokens.subjectOf(ctx.queryParam("access_token")), handler);
    }

    /** A token route: the subject comes from the request's parameters. */
    Handler tokenCall(Api api, SubjectOf subjectOf, CallHandler handler) {
        return wrap(api, subjectOf, handler);
    }

    private Handler wrap(Api api, SubjectOf subjectOf, CallHandler handler) {
        return ctx -> {
            long now = sim.clock.millis();
            String subject = subjectOf.subject(ctx);
            Call call = new Call(ctx, api, now, subject);
            Runnable done = sim.stats.start(api.path, subject, api.departmentCall, now);
            // A call is in flight from its arrival to its answer, so a slow call (a latency
            // fault) holds its place and the calls that arrive meanwhile can meet the cap.
            AtomicInteger running = inFlight.computeIfAbsent(subject + " " + api.path, k -> new AtomicInteger());
            int concurrent = running.incrementAndGet();
            try {
                if (applyFault(call)) {
                    return;
                }
                String ip = ctx.ip();
                if (sim.counters.blocked("ban:" + ip, now)) {
                    call.error(Errcodes.FREQ_LIMIT, "api freq out of limit: this IP is blocked for an hour");
                    return;
                }
                if (api.needsToken && !checkToken(call, ip)) {
                    return;
                }
                if (!withinLimits(call, ip)) {
                    call.error(Errcodes.FREQ_LIMIT);
                    return;
                }
                long limit = sim.limits().maxConcurrent();
                if (limit > 0 && concurrent > limit) {
                    call.error(Errcodes.CONCURRENCY);
                    return;
                }
                handler.handle(call);
            } finally {
                running.decrementAndGet();
                done.run();
            }
        };
    }

    private boolean applyFault(Call call) throws InterruptedException {
        Faults.Fault fault = sim.faults.take(call.api.path, call.subject);
        if (fault == null) {
            return false;
        }
        if (fault.latencyMs > 0) {
            sim.faults.hold(fault.latencyMs);
        }
        if (fault.dropConnection) {
            ServletContextRequest.getServletContextRequest(call.ctx.req())
                    .getConnectionMetaData()
                    .getConnection()
                    .getEndPoint()
                    .close();
            return true;
        }
        if (fault.errcode != null) {
            call.error(fault.errcode, null, fault.httpStatus == null ? 200 : fault.httpStatus);
            return true;
        }
        if (fault.httpStatus != null) {
            sim.stats.error(-fault.httpStatus);
            call.ctx
                    .status(fault.httpStatus)
                    .contentType("text/html")
                    .result("<html><body><h1>" + fault.httpStatus + "</h1>injected by the simulator</body></html>");
            return true;
        }
        return false;
    }

    private boolean checkToken(Call call, String ip) {
        TokenBook.Lookup lookup =
                sim.tokens.check(call.ctx.queryParam("access_token"), call.api.family == Family.WECHAT, call.now);
        switch (lookup.check()) {
            case VALID -> {
                call.token = lookup.token();
                if (call.corp() == null && call.app() == null) {
                    invalidToken(
                            call,
                            ip,
                            call.api.family == Family.WECOM ? Errcodes.INVALID_TOKEN : Errcodes.INVALID_CREDENTIAL);
                    return false;
                }
                return true;
            }
            case MISSING -> call.error(Errcodes.TOKEN_MISSING);
            case EXPIRED -> invalidToken(call, ip, Errcodes.TOKEN_EXPIRED);
            default ->
                invalidToken(
                        call,
                        ip,
                        call.api.family == Family.WECOM ? Errcodes.INVALID_TOKEN : Errcodes.INVALID_CREDENTIAL);
        }
        return false;
    }

    private void invalidToken(Call call, String ip, int errcode) {
        if (sim.counters.countReaches(
                "invalid-token " + ip, call.now, HOUR, sim.limits().invalidTokenPerHour())) {
            sim.counters.block("ban:" + ip, call.now + HOUR);
        }
        call.error(errcode);
    }

    private boolean withinLimits(Call call, String ip) {
        Limits l = sim.limits();
        String who = call.subject + " " + call.api.path;
        String from = ip + " " + call.api.path;
        long now = call.now;
        if (call.api.departmentCall
                && !sim.counters.tryCount("dept-second " + call.subject, now, SECOND, l.deptCallsPerSecond(), 0)) {
            return false;
        }
        return sim.counters.tryCount("minute " + who, now, MINUTE, l.perMinute(), MINUTE)
                && sim.counters.tryCount("hour " + who, now, HOUR, l.perHour(), HOUR)
                && sim.counters.tryCount("ip-minute " + from, now, MINUTE, l.ipPerMinute(), MINUTE)
                && sim.counters.tryCount("ip-hour " + from, now, HOUR, l.ipPerHour(), HOUR);
    }

    /**
     * Bans the IP for an hour, as WeCom does after repeated gettoken calls with a wrong secret:
     * the {@code badSecretPerHour}-th wrong secret is answered 40001, every call after it 45009.
     */
    void wrongSecret(String ip, long now) {
        if (sim.counters.countReaches(
                "bad-secret " + ip, now, HOUR, sim.limits().badSecretPerHour())) {
            sim.counters.block("ban:" + ip, now + HOUR);
        }
    }

    void json(Context ctx, int status, Object body) {
        try {
            send(ctx, status, JSON, mapper.writeValueAsBytes(body));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * Writes a whole answer at once with its Content-Length. Answers are mostly cached bytes
     * (user/list of a big department is tens of KB): handing them to Jetty in one write, rather
     * than through Javalin's result stream in 8 KB pieces with chunked encoding, is what lets the
     * simulator serve thousands of user/list calls a second on two cores.
     */
    static void send(Context ctx, int status, String contentType, byte[] body) throws java.io.IOException {
        ctx.status(status);
        jakarta.servlet.http.HttpServletResponse res = ctx.res();
        res.setContentType(contentType);
        res.setContentLength(body.length);
        res.getOutputStream().write(body);
    }
}
