package io.orgsync.simulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The upstream simulator: WeCom's server API, the mini-program API and the group-robot webhook
 * on one HTTP server, with the {@code /__sim} control routes. Start one per test class, per
 * benchmark or per demo; it shares nothing with orgsync's own code.
 */
public final class Simulator implements AutoCloseable {
    final SimClock clock = new SimClock();
    private final AtomicReference<Limits> limits = new AtomicReference<>(Limits.DEFAULTS);
    final TokenBook tokens = new TokenBook();
    final Stats stats = new Stats();
    final Faults faults = new Faults();
    final RateCounters counters = new RateCounters();
    final WebhookInbox webhooks = new WebhookInbox();
    final Map<String, SimCorp> corps = new ConcurrentHashMap<>();
    final Map<String, SimApp> apps = new ConcurrentHashMap<>();
    final Map<String, CallbackPoster> callbacks = new ConcurrentHashMap<>();
    private final Javalin server;

    private Simulator(String host, int port) {
        ObjectMapper mapper = new ObjectMapper();
        Gate gate = new Gate(this, mapper);
        WecomApi wecom = new WecomApi(this, gate, mapper);
        WechatApi wechat = new WechatApi(this, gate, mapper);
        ControlApi control = new ControlApi(this);
        this.server = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            // No gzip: the upstream answers are cached bytes, and compressing them again on every
            // call would cost the simulator more CPU than answering (it shares two cores with
            // the system under test). Clients that ask for gzip get identity, which HTTP allows.
            config.http.compressionStrategy = io.javalin.compression.CompressionStrategy.NONE;
            // latency faults park request threads: leave room for hundreds of slow calls
            config.jetty.threadPool = new QueuedThreadPool(600, 8, 60_000);
            ((QueuedThreadPool) config.jetty.threadPool).setName("simulator");
            wecom.routes(config.routes);
            wechat.routes(config.routes);
            control.routes(config.routes);
        });
        server.start(host, port);
    }

    /** Starts a simulator on 127.0.0.1; port 0 picks a free one. */
    public static Simulator start(int port) {
        return new Simulator("127.0.0.1", port);
    }

    public static Simulator start(String host, int port) {
        return new Simulator(host, port);
    }

    public int port() {
        return server.port();
    }

    /** The base URL to give a client in place of https://qyapi.weixin.qq.com and https://api.weixin.qq.com. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    /** The limits in force: one value, replaced whole by a change. */
    Limits limits() {
        return limits.get();
    }

    Limits changeLimits(UnaryOperator<Limits> change) {
        return limits.updateAndGet(change);
    }

    void resetStats() {
        stats.reset();
        tokens.resetCounts();
    }

    void resetAll() {
        corps.clear();
        apps.clear();
        faults.clear();
        limits.set(Limits.DEFAULTS);
        counters.reset();
        webhooks.clear();
        callbacks.values().forEach(CallbackPoster::close);
        callbacks.clear();
        // tokens go too: a corp created again under the same id must not accept old tokens
        tokens.clear();
        resetStats();
    }

    @Override
    public void close() {
        callbacks.values().forEach(CallbackPoster::close);
        server.stop();
    }
}
