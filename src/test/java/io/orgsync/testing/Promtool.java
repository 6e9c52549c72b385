package io.orgsync.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Prometheus' promtool (Debian's prometheus package), run as a process. Without it a test is
 * skipped loudly, unless ORGSYNC_TEST_REQUIRE_PROMTOOL=true (as in CI), where it fails.
 */
public final class Promtool {
    public static final Path BINARY =
            Path.of(System.getenv().getOrDefault("ORGSYNC_TEST_PROMTOOL", "/usr/bin/promtool"));

    /** Exit code and everything the command printed (stdout and stderr together). */
    public record Result(int exit, String output) {
        @Override
        public String toString() {
            return "exit " + exit + ":\n" + output;
        }
    }

    private Promtool() {}

    /** Skips the calling test (or fails it when required) when promtool is not installed. */
    public static void require() {
        if (Files.isExecutable(BINARY)) {
            return;
        }
        String message = BINARY + " is missing (apt-get install prometheus)";
        if ("true".equals(System.getenv("ORGSYNC_TEST_REQUIRE_PROMTOOL"))) {
            throw new IllegalStateException(message + " and ORGSYNC_TEST_REQUIRE_PROMTOOL=true");
        }
        System.err.println("\n!!!!! SKIPPING a promtool test: " + message + ". !!!!!\n");
        Assumptions.abort(message);
    }

    /** Runs {@code promtool args...} with {@code stdin} (may be null) and waits up to a minute. */
    public static Result run(byte[] stdin, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(BINARY.toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (stdin != null) {
            process.getOutputStream().write(stdin);
        }
        process.getOutputStream().close();
        byte[] out = process.getInputStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("promtool " + String.join(" ", args) + " did not finish within a minute");
        }
        return new Result(process.exitValue(), new String(out, StandardCharsets.UTF_8));
    }
}
