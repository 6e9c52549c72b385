package io.orgsync;

import io.orgsync.config.Settings;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/** {@code orgsync serve}: the HTTP server, and the scheduler unless the settings disable it. */
final class ServeCommand {
    static final String USAGE = """
            Usage: java -jar orgsync.jar serve

            Runs a node: the HTTP API, the admin API and console, and (unless ORGSYNC_SCHEDULER_ENABLED=false
            or ORGSYNC_READ_ONLY=true) the Quartz scheduler that syncs enterprises. All settings are
            environment variables (ORGSYNC_DB_URL, ORGSYNC_HTTP_PORT, ORGSYNC_ENV, ...; see the README),
            each overridable with -Dorgsync.x.y. Stops cleanly on Ctrl-C or SIGTERM (exit code 0): takes no new
            jobs, lets running syncs finish for up to ORGSYNC_SHUTDOWN_GRACE_SECONDS, then hands them over.
            """;

    private ServeCommand() {}

    static int run(Map<String, String> options) throws Exception {
        if (!options.isEmpty()) {
            throw new IllegalArgumentException("serve takes no options; it reads its settings from the environment");
        }
        Node node = Node.start(Settings.load(), Clock.systemUTC());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            try {
                                node.close();
                            } finally {
                                stopped.countDown();
                                // a planned stop is a success: without this the JVM exits with SIGTERM's 143
                                Runtime.getRuntime().halt(0);
                            }
                        },
                        "orgsync-stop"));
        stopped.await();
        return 0;
    }
}
