package io.orgsync.cluster.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.orgsync.testing.cluster.NodeLogs;
import io.orgsync.testing.cluster.OrgsyncNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * LogHygieneIT reads what this run's nodes wrote: a bad line an earlier run left in an appended
 * log is not this run's (it neither fails nor satisfies the check), one this run wrote is found,
 * also after a node restarted on the same log.
 */
class NodeLogsTest {
    @Test
    void onlyTheLinesThisRunWroteAreChecked(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("node-x.log");
        String stale = "2020-01-01 WARN an earlier run: Authorization: Bearer " + OrgsyncNode.ADMIN_TOKEN;
        Files.writeString(log, "earlier run starting\n" + stale + "\n", StandardCharsets.UTF_8);
        Path untouched = dir.resolve("node-gone.log");
        Files.writeString(untouched, stale + "\n", StandardCharsets.UTF_8);

        NodeLogs.begin(log); // this run starts a node on it
        append(log, "\n===== starting node-x =====\nINFO all fine\n");
        Map<Path, Long> ofThisRun = mine(dir);
        List<String> offending = new ArrayList<>();
        int lines = LogHygieneIT.offending(ofThisRun, offending);
        assertEquals(List.of(), offending, "an earlier run's line was read");
        assertEquals(3, lines, "the lines this run wrote");
        assertEquals(List.of(log.toAbsolutePath().normalize()), List.copyOf(ofThisRun.keySet()), "logs of this run");

        NodeLogs.begin(log); // the node restarted: its log goes on
        append(log, "WARN this run: UPDATE member SET mobile = '13800000000' WHERE userid = 'u1'\n");
        LogHygieneIT.offending(mine(dir), offending);
        assertEquals(1, offending.size(), offending.toString());
        assertTrue(offending.get(0).contains("UPDATE member"), offending.toString());
    }

    /** This run's logs in {@code dir}: other tests of the JVM may have started nodes of their own. */
    private static Map<Path, Long> mine(Path dir) {
        Map<Path, Long> all = NodeLogs.ofThisRun();
        all.keySet().removeIf(p -> !p.startsWith(dir.toAbsolutePath().normalize()));
        return all;
    }

    private static void append(Path log, String text) throws Exception {
        Files.writeString(log, text, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }
}
