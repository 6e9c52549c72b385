package io.orgsync.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.orgsync.alert.Alerts;
import io.orgsync.store.Database;
import io.orgsync.testing.SimulatorControl;
import io.orgsync.time.Waiter;
import io.orgsync.token.TokenHolder;
import io.orgsync.upstream.UpstreamClient;
import io.orgsync.wecom.WecomClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.support.ClassicRequestBuilder;

/**
 * Calls per second through orgsync's upstream client (token holder, node rate limiter, errcode
 * handling, metrics) against the same calls sent as raw HTTP to the simulator, in one run.
 * Rounds alternate raw and client so that machine noise hits both alike; the best round of each
 * is compared. Usage: bench/client-overhead.sh [threads] [seconds per round] [rounds]
 */
public final class ClientOverheadBench {
    private static final String CORP = "ww-bench";
    private static final String SECRET = "bench-secret-0123456789";

    public static void main(String[] args) throws Exception {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 8;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        try (SimulatorControl sim = new SimulatorControl();
                Database db = Database.open("jdbc:h2:mem:bench;DB_CLOSE_DELAY=-1", "sa", "", false, "bench", 4)) {
            db.migrate();
            sim.createCorp(CORP, SECRET, 5, 100, true);
            // the documented per-minute limits would stop a benchmark after two seconds
            sim.limits(Map.of("perMinute", 0, "perHour", 0, "ipPerMinute", 0, "ipPerHour", 0, "maxConcurrent", 0));
            String userid =
                    sim.export(CORP).path("members").get(0).path("userid").asText();
            SimpleMeterRegistry metrics = new SimpleMeterRegistry();
            Clock clock = Clock.systemUTC();
            Alerts alerts = new Alerts(clock, metrics, List.of(), "bench");
            TokenHolder tokens = new TokenHolder(
                    db.dataSource(),
                    clock,
                    Waiter.system(),
                    new TokenHolder.Config(
                            "bench", Duration.ofSeconds(5), Duration.ofSeconds(900), Duration.ofSeconds(45)),
                    alerts,
                    metrics);
            UpstreamClient upstream = new UpstreamClient(
                    tokens,
                    alerts,
                    metrics,
                    clock,
                    Waiter.system(),
                    new UpstreamClient.Config(1_000_000, Duration.ofSeconds(10)));
            WecomClient client = new WecomClient(upstream, sim.baseUrl(), CORP, SECRET);
            String token = tokens.token(client.tokenSource()).value();
            String rawUrl = sim.baseUrl() + "/cgi-bin/user/get?userid=" + userid + "&access_token=" + token;
            CloseableHttpClient raw = HttpClients.custom()
                    .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                            .setMaxConnPerRoute(64)
                            .setMaxConnTotal(64)
                            .build())
                    .build();

            Runnable rawCall = () -> {
                try {
                    raw.execute(ClassicRequestBuilder.get(rawUrl).build(), r -> EntityUtils.toByteArray(r.getEntity()));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            };
            Runnable clientCall = () -> client.member(userid).orElseThrow();
            for (int w = 0; w < 3; w++) {
                measure("warm-up raw", rawCall, threads, 3);
                measure("warm-up client", clientCall, threads, 3);
            }
            double bestRaw = 0;
            double bestClient = 0;
            for (int r = 1; r <= rounds; r++) {
                // alternate which side goes first, so that a trend in machine load favours neither
                if (r % 2 == 1) {
                    bestRaw = Math.max(bestRaw, measure("raw HTTP   round " + r, rawCall, threads, seconds));
                    bestClient = Math.max(bestClient, measure("via client round " + r, clientCall, threads, seconds));
                } else {
                    bestClient = Math.max(bestClient, measure("via client round " + r, clientCall, threads, seconds));
                    bestRaw = Math.max(bestRaw, measure("raw HTTP   round " + r, rawCall, threads, seconds));
                }
            }
            System.out.printf(
                    "%nthreads %d: raw %.0f calls/s, client %.0f calls/s, ratio %.3f (target >= 0.90)%n",
                    threads, bestRaw, bestClient, bestClient / bestRaw);
            raw.close();
            upstream.close();
            tokens.close();
            alerts.close();
        }
    }

    private static double measure(String label, Runnable call, int threads, int seconds) throws InterruptedException {
        AtomicBoolean stop = new AtomicBoolean();
        LongAdder done = new LongAdder();
        Thread[] workers = new Thread[threads];
        for (int i = 0; i < threads; i++) {
            workers[i] = new Thread(() -> {
                while (!stop.get()) {
                    call.run();
                    done.increment();
                }
            });
        }
        long start = System.nanoTime();
        for (Thread w : workers) {
            w.start();
        }
        Thread.sleep(seconds * 1000L);
        stop.set(true);
        for (Thread w : workers) {
            w.join();
        }
        double rate = done.sum() / ((System.nanoTime() - start) / 1e9);
        System.out.printf("%-22s %8.0f calls/s%n", label, rate);
        return rate;
    }
}
