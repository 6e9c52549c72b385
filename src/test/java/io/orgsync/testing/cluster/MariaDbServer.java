package io.orgsync.testing.cluster;

import io.orgsync.testing.TestDatabases;
import io.orgsync.testing.Waiting;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Stops and starts the local MariaDB server, for the database-restart test. MariaDB runs here as
 * a plain process (no service manager): it is stopped with {@code mysqladmin shutdown} and
 * started with {@code start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd
 * -- --user=mysql}, the command CI uses. Other people's tests may share the server: keep the
 * outage short, and always call {@link #ensureRunning()} afterwards.
 */
public final class MariaDbServer {
    public static final String PROPERTY = "orgsync.it.restartDatabase";
    private static final Path MARIADBD = Path.of("/usr/sbin/mariadbd");
    /** Each probe starts a process: four a second is often enough. */
    private static final Duration PROCESS_POLL = Duration.ofMillis(250);

    private MariaDbServer() {}

    /**
     * Whether this run restarts the server: null when it does, else why not, for a loud skip.
     * {@code -Dorgsync.it.restartDatabase=true} asks for it; where the database tests are required
     * (ORGSYNC_TEST_REQUIRE_MYSQL=true, as .ci/run sets it, or CI=true: the machine is the tests')
     * it is on unless the property says false, and a reason not to run is a failure, not a skip:
     * throws then.
     */
    public static String whyNotRestart() {
        return whyNotRestart(System.getProperty(PROPERTY), System.getenv(), MariaDbServer::whyImpossible);
    }

    /** {@link #whyNotRestart()} for the given property, environment and check of this machine. */
    public static String whyNotRestart(String property, Map<String, String> env, Supplier<String> impossible) {
        boolean required = TestDatabases.mysqlRequired(env);
        if (property != null && !Boolean.parseBoolean(property)) {
            return "turned off with -D" + PROPERTY + "=" + property;
        }
        if (property == null && !required) {
            return "restarting the shared MariaDB server is opt-in outside CI: run with -D" + PROPERTY
                    + "=true (CI=true and ORGSYNC_TEST_REQUIRE_MYSQL=true turn it on)";
        }
        String why = impossible.get();
        if (why != null && required) {
            throw new IllegalStateException("DatabaseRestartIT cannot run: " + why
                    + "; the database tests are required here (ORGSYNC_TEST_REQUIRE_MYSQL=true or CI=true), so this is "
                    + "a failure, not a skip (-D" + PROPERTY + "=false turns the test off explicitly)");
        }
        return why;
    }

    /** What keeps this machine from restarting the test server, null when nothing does. */
    private static String whyImpossible() {
        String server = TestDatabases.MYSQL_SERVER;
        if (!server.contains("//127.0.0.1:") && !server.contains("//localhost:")) {
            return "the test database " + server + " is not on this machine";
        }
        if (!Files.isExecutable(MARIADBD) || !onPath("start-stop-daemon") || !onPath("mysqladmin")) {
            return "this machine has no /usr/sbin/mariadbd, start-stop-daemon and mysqladmin to restart MariaDB with";
        }
        return null;
    }

    public static boolean ping() {
        return run(Duration.ofSeconds(5), admin("ping")) == 0;
    }

    /** mysqladmin shutdown, then waits until the mariadbd process is gone. */
    public static void shutdown(Duration timeout) {
        int rc = run(Duration.ofSeconds(30), admin("shutdown"));
        if (rc != 0) {
            throw new IllegalStateException("mysqladmin shutdown exited with " + rc);
        }
        Waiting.await(timeout, PROCESS_POLL, "mariadbd to exit", () -> !processRunning());
    }

    /** Starts mariadbd in the background and waits until it answers ping. */
    public static void start(Duration timeout) {
        int rc = run(
                Duration.ofSeconds(30),
                List.of(
                        "start-stop-daemon",
                        "--start",
                        "--oknodo",
                        "--background",
                        "--exec",
                        MARIADBD.toString(),
                        "--",
                        "--user=mysql"));
        if (rc != 0) {
            throw new IllegalStateException("start-stop-daemon --start mariadbd exited with " + rc);
        }
        Waiting.await(timeout, PROCESS_POLL, "MariaDB to answer ping after its start", MariaDbServer::ping);
    }

    /** Starts the server if it does not answer; never throws (for finally blocks), but says what failed. */
    public static void ensureRunning() {
        try {
            if (ping()) {
                return;
            }
            if (processRunning()) {
                // still shutting down or starting: give it time before starting another
                Waiting.await(
                        Duration.ofSeconds(60),
                        PROCESS_POLL,
                        "mariadbd to answer or exit",
                        () -> ping() || !processRunning());
                if (ping()) {
                    return;
                }
            }
            start(Duration.ofSeconds(90));
        } catch (RuntimeException | AssertionError e) {
            System.err.println(
                    "!!!!! MariaDB could not be started again: " + e + ". Start it with: "
                            + "start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd -- --user=mysql !!!!!");
        }
    }

    private static boolean processRunning() {
        return run(Duration.ofSeconds(5), List.of("start-stop-daemon", "--status", "--exec", MARIADBD.toString())) == 0;
    }

    private static List<String> admin(String command) {
        List<String> args = new ArrayList<>(
                List.of("mysqladmin", "--host=127.0.0.1", "--user=" + TestDatabases.MYSQL_USER, "--connect-timeout=3"));
        if (!TestDatabases.MYSQL_PASSWORD.isEmpty()) {
            args.add("--password=" + TestDatabases.MYSQL_PASSWORD);
        }
        args.add(command);
        return args;
    }

    private static boolean onPath(String tool) {
        return !tool(tool).equals(tool);
    }

    /** The tool's absolute path (PATH, then the sbin folders a non-login PATH may lack), or its bare name. */
    private static String tool(String name) {
        List<String> dirs =
                new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(":")));
        dirs.addAll(List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin"));
        for (String dir : dirs) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
                return Path.of(dir, name).toString();
            }
        }
        return name;
    }

    private static int run(Duration timeout, List<String> command) {
        try {
            List<String> resolved = new ArrayList<>(command);
            resolved.set(0, tool(command.get(0)));
            Process p = new ProcessBuilder(resolved)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                return -1;
            }
            return p.exitValue();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
