package io.orgsync.testing.cluster;

import io.orgsync.testing.Waiting;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One orgsync node as a separate JVM: {@code java -Xmx256m -jar target/orgsync.jar serve} with its
 * settings in the environment, output appended to {@code target/it-logs/<name>.log}. It can be
 * waited for (GET /health 200), driven over HTTP, killed with SIGKILL ({@link #kill()}, as
 * {@code kill -9}), stopped with SIGTERM and started again on the same port and instance id.
 * Every process started here is also killed by a JVM shutdown hook, should a test run end
 * without closing its cluster.
 */
public final class OrgsyncNode implements AutoCloseable {
    public static final String ADMIN_TOKEN = "it-admin-token-0123456789";
    public static final String SECRET_KEY = "it-secret-key-0123456789abcdef";
    public static final Path JAR = Path.of(System.getProperty("orgsync.jar", "target/orgsync.jar"));
    public static final Path LOG_DIR = Path.of(System.getProperty("orgsync.it.logs", "target/it-logs"));

    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    static {
        Runtime.getRuntime()
                .addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly), "orgsync-it-kill-nodes"));
    }

    private final NodeSpec spec;
    private final String dbUrl;
    private final String defaultUser;
    private final String defaultPassword;
    private final URI wecom;
    private final int port;
    private final Path log;
    private volatile Process process;
    private volatile Instant startedAt;

    OrgsyncNode(NodeSpec spec, String dbUrl, String defaultUser, String defaultPassword, URI wecom) {
        this.spec = spec;
        this.dbUrl = dbUrl;
        this.defaultUser = defaultUser;
        this.defaultPassword = defaultPassword;
        this.wecom = wecom;
        this.port = freePort();
        this.log = LOG_DIR.resolve(spec.name + ".log");
    }

    /** Starts the process (again, after a kill or stop: same port, same instance id, log appended). */
    public synchronized OrgsyncNode start() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(spec.name + " is already running");
        }
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(
                    JAR.toAbsolutePath() + " is missing: the cluster tests start the packaged jar; "
                            + "run them with 'mvn verify' (or 'mvn package' first)");
        }
        try {
            Files.createDirectories(LOG_DIR);
            Path work = LOG_DIR.resolve("work").resolve(spec.name);
            Files.createDirectories(work);
            writeQuartzProperties(work);
            NodeLogs.begin(log); // what the file holds already is an earlier run's
            Files.writeString(
                    log,
                    "\n===== " + Instant.now() + " starting " + spec.name + " on port " + port + " =====\n",
                    StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
            List<String> command = new ArrayList<>(List.of(
                    javaBinary(),
                    "-Xmx" + spec.heap,
                    "-XX:+UseSerialGC",
                    // the C1 compiler alone: a node of a cluster test starts sooner and leaves the other processes more
                    // CPU
                    "-XX:TieredStopAtLevel=1",
                    "-jar",
                    JAR.toAbsolutePath().toString(),
                    "serve"));
            ProcessBuilder pb = new ProcessBuilder(command)
                    .directory(work.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            Map<String, String> env = pb.environment();
            env.keySet().removeIf(k -> k.startsWith("ORGSYNC_")); // only what the spec says
            env.put("ORGSYNC_DB_URL", dbUrl);
            env.put("ORGSYNC_DB_USER", spec.dbUser != null ? spec.dbUser : defaultUser);
            String password = spec.dbUser != null ? spec.dbPassword : defaultPassword;
            if (password != null && !password.isEmpty()) {
                env.put("ORGSYNC_DB_PASSWORD", password);
            }
            env.put("ORGSYNC_HTTP_PORT", String.valueOf(port));
            env.put("ORGSYNC_INSTANCE_ID", spec.name);
            env.put("ORGSYNC_ENV", spec.env);
            env.put("ORGSYNC_ADMIN_TOKEN", ADMIN_TOKEN);
            env.put("ORGSYNC_WECOM_BASE_URL", wecom.toString());
            env.put("ORGSYNC_WECHAT_BASE_URL", wecom.toString());
            env.put("ORGSYNC_DEPT_RATE", "1000");
            env.put("ORGSYNC_NODE_RATE", "5000");
            env.put("ORGSYNC_SCHEDULER_ENABLED", String.valueOf(spec.schedulerEnabled));
            env.put("ORGSYNC_READ_ONLY", String.valueOf(spec.readOnly));
            env.put("ORGSYNC_BUILD_VERSION", spec.buildVersion);
            env.put("ORGSYNC_SECRET_KEY", SECRET_KEY);
            env.putAll(spec.extra);
            Process p = pb.start();
            LIVE.add(p);
            p.onExit().thenRun(() -> LIVE.remove(p));
            process = p;
            startedAt = Instant.now();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + spec.name, e);
        }
    }

    /** Waits for GET /health to answer 200; fails at once if the process exits, with its last log lines. */
    public OrgsyncNode awaitHealthy(Duration timeout) {
        Waiting.await(timeout, Duration.ofMillis(200), spec.name + " to answer GET /health with 200", () -> {
            Process p = process;
            if (p == null || !p.isAlive()) {
                throw new Waiting.GiveUp(spec.name + " exited with " + (p == null ? "?" : p.exitValue())
                        + " before it was healthy:\n" + logTail(40));
            }
            return health().status() == 200 ? Boolean.TRUE : null;
        });
        return this;
    }

    /** SIGKILL, as {@code kill -9}: no shutdown hook, no clean-up, the run row stays RUNNING. */
    public void kill() {
        Process p = process;
        if (p != null) {
            p.destroyForcibly();
            waitExit(p, Duration.ofSeconds(15));
        }
    }

    /** SIGTERM (a clean stop), then SIGKILL if it has not exited within 20 s. */
    public void stop() {
        Process p = process;
        if (p != null && p.isAlive()) {
            p.destroy();
            if (!waitExit(p, Duration.ofSeconds(20))) {
                p.destroyForcibly();
                waitExit(p, Duration.ofSeconds(10));
            }
        }
    }

    /** SIGTERM without waiting: the node stops in its own time (a graceful stop may take its grace); see {@link #awaitExit}. */
    public void terminate() {
        Process p = process;
        if (p != null && p.isAlive()) {
            p.destroy();
        }
    }

    /** Waits for the process to exit and returns its exit code; null if it still runs after {@code timeout}. */
    public Integer awaitExit(Duration timeout) {
        Process p = process;
        if (p == null) {
            return null;
        }
        return waitExit(p, timeout) ? p.exitValue() : null;
    }

    public OrgsyncNode restart(Duration timeout) {
        stop();
        return start().awaitHealthy(timeout);
    }

    public boolean alive() {
        Process p = process;
        return p != null && p.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    public String name() {
        return spec.name;
    }

    public NodeSpec spec() {
        return spec;
    }

    public int port() {
        return port;
    }

    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public Path logFile() {
        return log;
    }

    public Instant startedAt() {
        return startedAt;
    }

    public HttpResult health() {
        return send("GET", "/health", null, false);
    }

    public HttpResult get(String path) {
        return send("GET", path, null, true);
    }

    public HttpResult post(String path, Object body) {
        return send("POST", path, body, true);
    }

    public HttpResult put(String path, Object body) {
        return send("PUT", path, body, true);
    }

    /** {@code PUT /admin/api/enterprises/{corpId}}; fails unless 200. */
    public void putEnterprise(String corpId, String secret, String cron) {
        put(
                        "/admin/api/enterprises/" + corpId,
                        Map.of("name", "IT " + corpId, "secret", secret, "cron", cron, "enabled", true))
                .expectOk("PUT enterprise " + corpId + " on " + spec.name);
    }

    /** {@code POST /admin/api/jobs/{corpId}/trigger}: the answer as is (200, or 409 while running). */
    public HttpResult trigger(String corpId) {
        return post("/admin/api/jobs/" + corpId + "/trigger", null);
    }

    /** An HTTP call with the admin token (when {@code admin}); connection failures come back as status -1. */
    public HttpResult send(String method, String path, Object body, boolean admin) {
        try {
            HttpRequest.Builder b =
                    HttpRequest.newBuilder(baseUrl().resolve(path)).timeout(Duration.ofSeconds(15));
            if (admin) {
                b.header("Authorization", "Bearer " + ADMIN_TOKEN);
            }
            if (body != null) {
                b.header("Content-Type", "application/json");
                b.method(method, HttpRequest.BodyPublishers.ofByteArray(HttpResult.JSON.writeValueAsBytes(body)));
            } else {
                b.method(method, HttpRequest.BodyPublishers.noBody());
            }
            HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new HttpResult(r.statusCode(), r.body());
        } catch (IOException e) {
            return new HttpResult(-1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new HttpResult(-1, "interrupted");
        }
    }

    /** The last {@code lines} lines of this node's log. */
    public String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Whether the log has a line containing {@code text}. */
    public boolean logContains(String text) {
        try {
            return Files.readString(log, StandardCharsets.UTF_8).contains(text);
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() {
        Process p = process;
        if (p != null && p.isAlive()) {
            p.destroyForcibly();
            waitExit(p, Duration.ofSeconds(15));
        }
    }

    /** A quartz.properties in the working directory wins over the jar's: written only when the spec changes one. */
    private void writeQuartzProperties(Path work) throws IOException {
        Path file = work.resolve("quartz.properties");
        if (spec.quartz.isEmpty()) {
            Files.deleteIfExists(file);
            return;
        }
        java.util.Properties p = new java.util.Properties();
        try (java.io.InputStream in = OrgsyncNode.class.getClassLoader().getResourceAsStream("quartz.properties")) {
            if (in == null) {
                throw new IllegalStateException("quartz.properties is not on the test classpath");
            }
            p.load(in);
        }
        spec.quartz.forEach(p::setProperty);
        try (java.io.OutputStream out = Files.newOutputStream(file)) {
            p.store(out, "orgsync's quartz.properties with " + spec.quartz + " (written by the cluster test harness)");
        }
    }

    private static boolean waitExit(Process p, Duration timeout) {
        try {
            return p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String javaBinary() {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        return Files.isExecutable(java) ? java.toString() : "java";
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
