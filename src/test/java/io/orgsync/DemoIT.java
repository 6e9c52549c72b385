package io.orgsync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.orgsync.testing.Waiting;
import io.orgsync.testing.cluster.OrgsyncNode;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The README's first command as a newcomer runs it: {@code java -jar target/orgsync.jar demo}
 * in a fresh directory prints every part of its tour, serves, and stops in order on SIGTERM
 * (what Ctrl-C and a terminal's close send), its node saying so, with exit status 0 or the
 * signal's.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class DemoIT {
    @Test
    void theDemoTellsItsTourServesAndStopsInOrder() throws Exception {
        Path work = Files.createDirectories(Path.of("target", "demo-it"));
        Path output = work.resolve("demo.out");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Process demo = new ProcessBuilder(List.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-jar",
                        OrgsyncNode.JAR.toAbsolutePath().toString(),
                        "demo",
                        "--port",
                        String.valueOf(port)))
                .directory(work.toFile())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
        try {
            Waiting.until(Duration.ofSeconds(120), "the demo serving", () -> {
                assertTrue(demo.isAlive(), () -> "the demo ended early: " + read(output));
                return read(output).contains("Ctrl-C stops");
            });
            String tour = read(output);
            for (String part : List.of("SUCCEEDED", "Sample lookups:", "Real-time changes", "Change feed", "Try it:")) {
                assertTrue(tour.contains(part), "the demo shows " + part + ": " + tour);
            }
            assertTrue(!tour.contains("FAILED") && !tour.contains("something failed"), tour);
            // the third enterprise is set up the 2026 way: an app that hides mobiles, a contact-sync secret on a new IP
            assertTrue(
                    Pattern.compile("(?m)^\\s+wwdemo-gamma\\s+names; mobiles hidden .*; every member, exact departures "
                                    + "\\(contact-sync id lists\\)$")
                            .matcher(tour)
                            .find(),
                    "the demo says what the 2026 set-up reads: " + tour);
            HttpResponse<String> health = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertEquals(200, health.statusCode(), health.body());

            demo.destroy(); // SIGTERM
            assertTrue(demo.waitFor(30, TimeUnit.SECONDS), "the demo stops within 30 s of SIGTERM");
            assertTrue(
                    read(output).contains("orgsync demo-node stopped"), "the node stopped in order: " + read(output));
        } finally {
            demo.destroyForcibly();
        }
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
