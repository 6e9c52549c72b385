package io.orgsync.cluster.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.orgsync.testing.LogScan;
import io.orgsync.testing.cluster.OrgsyncNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * The cluster tests' node logs (target/it-logs/*.log: real `serve` processes killed, restarted,
 * cut off from their database) carry no statement, credential or secret of theirs. It runs after
 * the other ITs of the failsafe run (ordered by @Order, see the pom), and reads whatever logs
 * are there: `mvn verify -Dit.test='NodeKillIT,LogHygieneIT'` checks one IT's.
 */
@Order(Integer.MAX_VALUE)
class LogHygieneIT {
    /** Cluster.enterprise registers every simulated enterprise with the secret "secret-&lt;corpId&gt;". */
    private static final Pattern CORP_SECRET = Pattern.compile("secret-ww[A-Za-z0-9-]+");

    @Test
    void theClusterTestsNodeLogsCarryNoStatementOrSecret() throws Exception {
        List<Path> logs;
        try (Stream<Path> files =
                Files.isDirectory(OrgsyncNode.LOG_DIR) ? Files.list(OrgsyncNode.LOG_DIR) : Stream.empty()) {
            logs = files.filter(f -> f.getFileName().toString().endsWith(".log"))
                    .sorted()
                    .toList();
        }
        Assumptions.assumeFalse(logs.isEmpty(), "no cluster test logs in " + OrgsyncNode.LOG_DIR);
        List<String> secrets = List.of(OrgsyncNode.ADMIN_TOKEN, OrgsyncNode.SECRET_KEY);
        List<String> offending = new ArrayList<>();
        int lines = 0;
        for (Path log : logs) {
            int n = 0;
            for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
                n++;
                lines++;
                String where = log.getFileName() + ":" + n;
                LogScan.check(where, line, secrets, offending);
                if (CORP_SECRET.matcher(line).find()) {
                    offending.add("  [an enterprise secret] " + where + ": " + line);
                }
            }
        }
        System.out.println("LogHygieneIT: " + lines + " lines in " + logs.size() + " node logs, " + offending.size()
                + " offending");
        assertEquals(List.of(), offending, offending.size() + " offending line(s) in " + logs.size() + " node logs");
    }
}
