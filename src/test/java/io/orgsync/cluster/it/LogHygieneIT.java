package io.orgsync.cluster.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.orgsync.testing.LogScan;
import io.orgsync.testing.TestDatabases;
import io.orgsync.testing.cluster.NodeLogs;
import io.orgsync.testing.cluster.OrgsyncNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * The cluster tests' node logs (target/it-logs/*.log: real `serve` processes killed, restarted,
 * cut off from their database) carry no statement, credential or secret of theirs. It runs after
 * the other ITs of the failsafe run (ordered by @Order, see the pom), and reads what this run's
 * nodes wrote ({@link NodeLogs}), never an earlier run's lines: `mvn verify
 * -Dit.test='NodeKillIT,LogHygieneIT'` checks one IT's. A run whose nodes wrote nothing has
 * nothing to check: skipped, and a failure where the database tests are required (CI).
 */
@Order(Integer.MAX_VALUE)
class LogHygieneIT {
    /** Cluster.enterprise registers every simulated enterprise with the secret "secret-&lt;corpId&gt;". */
    private static final Pattern CORP_SECRET = Pattern.compile("secret-ww[A-Za-z0-9-]+");

    @Test
    void theClusterTestsNodeLogsCarryNoStatementOrSecret() throws Exception {
        Map<Path, Long> logs = NodeLogs.ofThisRun();
        if (logs.isEmpty()) {
            String why = "no cluster test of this run wrote a node log in " + OrgsyncNode.LOG_DIR;
            if (TestDatabases.mysqlRequired(System.getenv())) {
                throw new IllegalStateException(why + ", and the database tests are required here (CI)");
            }
            Assumptions.abort(why);
        }
        List<String> offending = new ArrayList<>();
        int lines = offending(logs, offending);
        System.out.println("LogHygieneIT: " + lines + " lines of this run in " + logs.size() + " node logs, "
                + offending.size() + " offending");
        assertEquals(List.of(), offending, offending.size() + " offending line(s) in " + logs.size() + " node logs");
    }

    /** Adds each offending line of {@code logs} (each read from its offset) to {@code offending}; returns the lines read. */
    static int offending(Map<Path, Long> logs, List<String> offending) throws IOException {
        List<String> secrets = List.of(OrgsyncNode.ADMIN_TOKEN, OrgsyncNode.SECRET_KEY);
        int lines = 0;
        for (Map.Entry<Path, Long> log : logs.entrySet()) {
            int n = 0;
            for (String line : NodeLogs.linesFrom(log.getKey(), log.getValue())) {
                n++;
                lines++;
                String where = log.getKey().getFileName() + " (line " + n + " of this run)";
                LogScan.check(where, line, secrets, offending);
                if (CORP_SECRET.matcher(line).find()) {
                    offending.add("  [an enterprise secret] " + where + ": " + line);
                }
            }
        }
        return lines;
    }
}
