package io.orgsync.simulator;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/** {@code orgsync simulator}: runs the simulator in the foreground until Ctrl-C. */
public final class SimulatorCommand {
    public static final String USAGE = """
            Usage: java -jar orgsync.jar simulator [options]

            Runs the WeCom / WeChat upstream simulator until Ctrl-C.

            Options:
              --port N             port to listen on (default 9000; 0 picks a free one)
              --host H             address to bind (default 127.0.0.1)
              --corps N            enterprises to generate at start (default 0): ids ww-sim-1..N,
                                   secret "secret-<id>", contact-sync secret "contact-<id>"
              --departments N      departments per generated enterprise (default 20)
              --members N          members per generated enterprise (default 200)
              --seed N             generator seed (default 1); the same seed gives the same org
              --mobile-visible B   true: user/list shows mobiles (app created before 2022-06-20);
                                   false: mobiles, e-mails and avatars come back empty (default true)
              --app ID:SECRET      also register a mini-program app

            Everything else is set up over HTTP: POST /__sim/corps, /__sim/apps, PUT /__sim/limits,
            POST /__sim/faults, GET /__sim/stats (see the README).
            """;

    private SimulatorCommand() {}

    public static int run(Map<String, String> options) throws Exception {
        for (String key : options.keySet()) {
            if (!java.util.List.of("port", "host", "corps", "departments", "members", "seed", "mobile-visible", "app")
                    .contains(key)) {
                throw new IllegalArgumentException("unknown option --" + key);
            }
        }
        int port = intOption(options, "port", 9000, 0, 65535);
        int corps = intOption(options, "corps", 0, 0, 10_000);
        int departments = intOption(options, "departments", 20, 1, 100_000);
        int members = intOption(options, "members", 200, 0, 1_000_000);
        long seed = intOption(options, "seed", 1, Integer.MIN_VALUE, Integer.MAX_VALUE);
        String visible = options.getOrDefault("mobile-visible", "true");
        if (!visible.equals("true") && !visible.equals("false")) {
            throw new IllegalArgumentException("--mobile-visible must be true or false");
        }
        Simulator sim = Simulator.start(options.getOrDefault("host", "127.0.0.1"), port);
        Runtime.getRuntime().addShutdownHook(new Thread(sim::close, "simulator-stop"));
        HttpClient http = HttpClient.newHttpClient();
        for (int i = 1; i <= corps; i++) {
            String id = "ww-sim-" + i;
            String body = String.format(
                    "{\"corpId\":\"%s\",\"secret\":\"secret-%s\",\"contactSecret\":\"contact-%s\","
                            + "\"departments\":%d,\"members\":%d,\"seed\":%d,\"mobileVisible\":%s}",
                    id, id, id, departments, members, seed + i, visible);
            post(http, sim, "/__sim/corps", body);
        }
        if (options.containsKey("app")) {
            String[] parts = options.get("app").split(":", 2);
            if (parts.length != 2) {
                throw new IllegalArgumentException("--app takes ID:SECRET");
            }
            post(http, sim, "/__sim/apps", String.format("{\"appId\":\"%s\",\"secret\":\"%s\"}", parts[0], parts[1]));
        }
        System.out.println(
                "Simulator listening on " + sim.baseUrl() + (corps > 0 ? " with " + corps + " enterprises" : ""));
        System.out.println("Point ORGSYNC_WECOM_BASE_URL and ORGSYNC_WECHAT_BASE_URL at it. Ctrl-C stops it.");
        new CountDownLatch(1).await();
        return 0;
    }

    private static void post(HttpClient http, Simulator sim, String path, String body) throws Exception {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create(sim.baseUrl() + path))
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .header("Content-Type", "application/json")
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 300) {
            throw new IllegalStateException(path + " answered " + response.statusCode() + ": " + response.body());
        }
    }

    private static int intOption(Map<String, String> options, String name, int fallback, int min, int max) {
        String v = options.get(name);
        if (v == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException("--" + name + " must be a whole number from " + min + " to " + max);
    }
}
