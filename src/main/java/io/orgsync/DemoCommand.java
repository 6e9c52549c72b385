package io.orgsync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orgsync.config.Settings;
import io.orgsync.enterprise.EnterpriseChange;
import io.orgsync.simulator.Simulator;
import io.orgsync.sync.Run;
import io.orgsync.sync.RunStatus;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

/**
 * {@code orgsync demo}: a zero set-up tour. A fresh embedded database under ./data/demo, the
 * simulator in-process with three generated enterprises and a mini-program app, one sync of
 * each with progress, a summary, sample lookups, a real-time change, its events at a subscribed
 * receiver and curl lines; then it serves.
 */
final class DemoCommand {
    static final String USAGE = """
            Usage: java -jar orgsync.jar demo [--once] [--port N]

            Runs the zero set-up tour: embedded database under ./data/demo (fresh each run), the upstream
            simulator in-process, 3 generated enterprises (about 1,500 members) and a mini-program app,
            one sync of each with progress, a summary table, sample curl lines and one change made in the
            simulator answered by a lookup seconds later (callbacks on for one enterprise), and the change
            feed's signed events of it at a receiver of the demo's own (a subscription). Then it serves on
            --port (default 8080) until Ctrl-C. --once exits after the summary and a few sample lookups:
            0 when everything worked, 1 otherwise.
            """;
    private static final String HOURLY = "0 0 * * * ?";
    private static final ObjectMapper JSON = new ObjectMapper();

    private DemoCommand() {}

    static int run(Map<String, String> options) throws Exception {
        for (String key : options.keySet()) {
            if (!key.equals("once") && !key.equals("port")) {
                throw new IllegalArgumentException("unknown option --" + key);
            }
        }
        boolean once = options.containsKey("once");
        String port = options.getOrDefault("port", "8080");
        PrintStream out = System.out;
        Path dir = Path.of("data", "demo");
        wipe(dir);
        Files.createDirectories(dir);

        try (Simulator sim = Simulator.start(0)) {
            HttpClient http = HttpClient.newHttpClient();
            for (DemoSetup.Corp c : DemoSetup.ALL) {
                Map<String, Object> corp = new HashMap<>(Map.of(
                        "corpId",
                        c.corpId(),
                        "name",
                        c.name(),
                        "secret",
                        c.secret(),
                        "departments",
                        c.departments(),
                        "members",
                        c.members(),
                        "seed",
                        2026,
                        "mobileVisible",
                        c.mobileVisible()));
                if (c.contactSync()) {
                    corp.put("contactSecret", c.contactSecret());
                    corp.put("newIp", true);
                }
                post(http, sim.baseUrl() + "/__sim/corps", corp);
            }
            post(http, sim.baseUrl() + "/__sim/apps", Map.of("appId", DemoSetup.APP_ID, "secret", "demo-app-secret"));
            out.println("orgsync demo: simulator on " + sim.baseUrl() + ", 3 enterprises, embedded database in " + dir);

            Map<String, String> env = new HashMap<>();
            env.put("ORGSYNC_DB_URL", "jdbc:h2:file:./data/demo/orgsync");
            env.put("ORGSYNC_HTTP_PORT", port);
            env.put("ORGSYNC_ENV", "demo");
            env.put("ORGSYNC_INSTANCE_ID", "demo-node");
            env.put("ORGSYNC_ADMIN_TOKEN", DemoSetup.ADMIN_TOKEN);
            env.put("ORGSYNC_WECOM_BASE_URL", sim.baseUrl());
            env.put("ORGSYNC_WECHAT_BASE_URL", sim.baseUrl());
            env.put("ORGSYNC_ALERT_WEBHOOK", sim.baseUrl() + "/cgi-bin/webhook/send?key=demo");
            env.put("ORGSYNC_DEPT_RATE", "20");
            env.put("ORGSYNC_SECRET_KEY", "demo-secret-key-not-for-production");
            try (Node node = Node.start(Settings.from(env, new Properties()), Clock.systemUTC())) {
                // scheduled only once the demo's own first runs are done: a scheduled run starting with
                // them (the hourly cron's spread second can fall in the demo's first minute) would leave
                // one of the two ABANDONED (the later yields to the earlier), maybe the demo's own
                putEnterprises(node, false);
                node.miniApps.put(DemoSetup.APP_ID, "Demo mini-program", "demo-app-secret", "stable");
                List<Run> runs = DemoReport.syncAll(node, out);
                boolean ok = runs.stream().allMatch(r -> r.status() == RunStatus.SUCCEEDED);
                DemoReport.summary(node, runs, out);
                String base = "http://127.0.0.1:" + node.port();
                ok &= sampleLookups(http, sim, base, out);
                String corpId = DemoSetup.ALL.get(0).corpId();
                try (DemoFeed feed = DemoFeed.subscribe(http, base, DemoSetup.ADMIN_TOKEN, corpId, out)) {
                    ok &= DemoCallbacks.show(http, sim.baseUrl(), base, DemoSetup.ADMIN_TOKEN, corpId, out);
                    ok &= feed.showChangesOf(http, sim.baseUrl(), corpId, DemoCallbacks.NEWCOMER, out);
                    DemoReport.curlLines(sim, base, out);
                    if (once) {
                        out.println(
                                ok ? "demo --once: everything worked." : "demo --once: something failed (see above).");
                        return ok ? 0 : 1;
                    }
                    feed.printLive(out);
                    putEnterprises(node, true);
                    out.println("Serving on " + base + " (console: " + base + "/admin/, token " + DemoSetup.ADMIN_TOKEN
                            + "). Ctrl-C stops.");
                    CountDownLatch stopped = new CountDownLatch(1);
                    // Ctrl-C: the node stops in order inside the hook, before the JVM halts
                    Runtime.getRuntime()
                            .addShutdownHook(new Thread(
                                    () -> {
                                        node.close();
                                        stopped.countDown();
                                    },
                                    "demo-stop"));
                    stopped.await();
                    return 0;
                }
            }
        }
    }

    private static void putEnterprises(Node node, boolean scheduled) throws java.sql.SQLException {
        for (DemoSetup.Corp c : DemoSetup.ALL) {
            node.enterprises()
                    .put(
                            c.corpId(),
                            new EnterpriseChange(c.name(), c.secret(), HOURLY, scheduled, 1000002L, c.contactSecret()));
        }
    }

    /** Looks up a few real mobiles over HTTP, and resolves one the post-2022 app could not see. */
    private static boolean sampleLookups(HttpClient http, Simulator sim, String base, PrintStream out)
            throws Exception {
        boolean ok = true;
        out.println("Sample lookups:");
        for (DemoSetup.Corp c : DemoSetup.ALL) {
            JsonNode truth = get(http, sim.baseUrl() + "/__sim/corps/" + c.corpId() + "/export");
            JsonNode member = truth.path("members").get(3);
            String mobile = member.path("mobile").asText();
            HttpResponse<String> r;
            if (c.mobileVisible()) {
                r = http.send(
                        HttpRequest.newBuilder(
                                        URI.create(base + "/api/v1/members/by-mobile/" + mobile.replace(" ", "")))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                out.printf("  GET  by-mobile %-16s -> %d %s%n", mobile, r.statusCode(), brief(r.body()));
            } else {
                // the app of this enterprise cannot see mobiles: a real-time resolve learns it
                r = http.send(
                        HttpRequest.newBuilder(URI.create(base + "/api/v1/members/resolve"))
                                .POST(HttpRequest.BodyPublishers.ofString(
                                        JSON.writeValueAsString(Map.of("corpId", c.corpId(), "mobile", mobile))))
                                .header("Content-Type", "application/json")
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                out.printf("  POST resolve   %-16s -> %d %s%n", mobile, r.statusCode(), brief(r.body()));
            }
            ok &= r.statusCode() == 200
                    && r.body().contains(member.path("userid").asText());
        }
        HttpResponse<byte[]> code = http.send(
                HttpRequest.newBuilder(
                                URI.create(base + "/api/v1/miniapps/" + DemoSetup.APP_ID + "/wxacode?scene=demo%3D1"))
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
        out.printf(
                "  GET  wxacode scene=demo=1 -> %d %s, %d bytes%n",
                code.statusCode(), code.headers().firstValue("Content-Type").orElse("?"), code.body().length);
        ok &= code.statusCode() == 200;
        out.println();
        return ok;
    }

    private static String brief(String body) {
        return body.length() > 110 ? body.substring(0, 110) + "..." : body;
    }

    private static JsonNode get(HttpClient http, String url) throws IOException, InterruptedException {
        return JSON.readTree(
                http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString())
                        .body());
    }

    private static void post(HttpClient http, String url, Object body) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create(url))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() >= 300) {
            throw new IllegalStateException(url + " answered " + r.statusCode() + ": " + r.body());
        }
    }

    private static void wipe(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }
}
