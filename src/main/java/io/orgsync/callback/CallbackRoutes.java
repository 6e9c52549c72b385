package io.orgsync.callback;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.micrometer.core.instrument.MeterRegistry;
import io.orgsync.error.Refusal;
import io.orgsync.error.RefusedException;
import io.orgsync.http.HttpServer;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * WeCom's callback URL, {@code /callbacks/wecom/{corpId}}: the verification GET and the encrypted
 * event POSTs. Nothing is stored before the signature, the payload, its receiver, the timestamp
 * and the nonce all check out; an accepted event is committed before {@code success} is answered,
 * so that WeCom's retry of an unanswered delivery is the only way one can be lost.
 */
public final class CallbackRoutes implements HttpServer.Routes {
    public static final String PATH_PREFIX = "/callbacks/wecom/";
    /** WeCom's events are a few hundred bytes; anything near this is not one. */
    static final int MAX_BODY = 64 * 1024;
    /** A timestamp further than this from our clock is refused: a captured request cannot be replayed later. */
    static final Duration WINDOW = Duration.ofMinutes(5);

    private static final Pattern NONCE = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern TIMESTAMP = Pattern.compile("[0-9]{1,12}");

    private final CallbackSettings settings;
    private final EventStore events;
    private final Clock clock;
    private final boolean readOnly;
    private final MeterRegistry metrics;
    private final Runnable received;

    /** {@code received}: told after each stored event (wakes this node's applier). */
    public CallbackRoutes(
            CallbackSettings settings,
            Events events,
            Clock clock,
            boolean readOnly,
            MeterRegistry metrics,
            Runnable received) {
        this.settings = settings;
        this.events = events.store();
        this.clock = clock;
        this.readOnly = readOnly;
        this.metrics = metrics;
        this.received = received;
    }

    @Override
    public void register(RoutesConfig r) {
        r.before(PATH_PREFIX + "*", ctx -> {
            if (readOnly) {
                throw new RefusedException(
                        Refusal.READ_ONLY,
                        "this node is read-only (ORGSYNC_READ_ONLY=true): "
                                + "route WeCom's callbacks to a writing node");
            }
        });
        r.get(PATH_PREFIX + "{corpId}", this::verify);
        r.post(PATH_PREFIX + "{corpId}", this::event);
    }

    private void verify(Context ctx) throws SQLException {
        // '+' of the base64 arrives as a space when WeCom's client left it unencoded
        String echo = required(ctx, "echostr").replace(' ', '+');
        String timestamp = required(ctx, "timestamp");
        String nonce = required(ctx, "nonce");
        CallbackCrypto crypto = verified(ctx, timestamp, nonce, echo);
        ctx.contentType("text/plain; charset=utf-8").result(crypto.decrypt(echo).getBytes(StandardCharsets.UTF_8));
    }

    private void event(Context ctx) throws SQLException {
        // read before refusing (the server bounds it at 1 MB): answered before its body was read, a
        // sender still writing could meet a closed connection and lose the answer with it
        byte[] body = ctx.bodyAsBytes();
        if (body.length > MAX_BODY) {
            throw tooLarge();
        }
        String timestamp = required(ctx, "timestamp");
        String nonce = required(ctx, "nonce");
        if (!TIMESTAMP.matcher(timestamp).matches()) {
            throw new CallbackRejected("timestamp must be epoch seconds");
        }
        if (!NONCE.matcher(nonce).matches()) {
            throw new CallbackRejected("nonce must be 1 to 64 letters or digits");
        }
        Map<String, String> outer = CallbackXml.fields(new String(body, StandardCharsets.UTF_8));
        String encrypted = outer.get("Encrypt");
        if (encrypted == null || encrypted.isBlank()) {
            throw new CallbackRejected("the body has no <Encrypt> field");
        }
        CallbackCrypto crypto = verified(ctx, timestamp, nonce, encrypted);
        long now = clock.millis();
        if (Math.abs(now - Long.parseLong(timestamp) * 1000) > WINDOW.toMillis()) {
            throw new CallbackRejected("timestamp is more than " + WINDOW.toMinutes()
                    + " minutes from this server's clock: " + "a late replay, or a clock to fix");
        }
        ContactEvent event = ContactEvent.parse(crypto.decrypt(encrypted));
        String corpId = ctx.pathParam("corpId");
        events.insert(corpId, nonce, event, now);
        metrics.counter("orgsync_events_received_total", "corp", corpId).increment();
        received.run();
        ctx.contentType("text/plain; charset=utf-8").result("success");
    }

    /**
     * The corp's keys if the request's signature is theirs. An unknown corp, one without callbacks
     * and a wrong signature get one answer, so that a prober learns nothing about which corp ids
     * exist. A failure is checked once more against the settings read again (at most once a second
     * per corp), so that keys changed on another node are honoured at once.
     */
    private CallbackCrypto verified(Context ctx, String timestamp, String nonce, String encrypted) throws SQLException {
        String corpId = ctx.pathParam("corpId");
        String signature = ctx.queryParam("msg_signature");
        Predicate<CallbackCrypto> signs = c -> c.signed(signature, timestamp, nonce, encrypted);
        Optional<CallbackCrypto> crypto =
                settings.cachedKeys(corpId).map(CallbackKeys::crypto).filter(signs);
        if (crypto.isEmpty()) {
            crypto = settings.reloadedKeys(corpId).map(CallbackKeys::crypto).filter(signs);
        }
        return crypto.orElseThrow(
                () -> new CallbackRejected(
                        "msg_signature does not match: check the corp id in the URL, that callbacks are set "
                                + "up for it (PUT /admin/api/enterprises/{corpId}/callback) and that their Token is the one on WeCom's page"));
    }

    private static String required(Context ctx, String name) {
        String v = ctx.queryParam(name);
        if (v == null || v.isEmpty()) {
            throw new CallbackRejected("the query parameter " + name + " is missing");
        }
        return v;
    }

    private static RefusedException tooLarge() {
        return new RefusedException(
                Refusal.INVALID_REQUEST, "the body is larger than " + MAX_BODY / 1024 + " KB: not a WeCom event");
    }
}
