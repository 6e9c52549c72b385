package io.orgsync.testing.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The node logs this run wrote. A node's log is appended to (a restarted node goes on in the same
 * file), also across test runs: each log's size when this JVM first started a node on it is where
 * this run's lines begin, and what came before is an earlier run's. The failsafe run is one JVM
 * (forkCount 1, reused), so "this JVM" is "this run".
 */
public final class NodeLogs {
    private static final Map<Path, Long> BEGUN = new ConcurrentHashMap<>();

    private NodeLogs() {}

    /** Called before a node's process first writes to {@code log} in this run; later calls keep the first offset. */
    public static void begin(Path log) {
        BEGUN.computeIfAbsent(log.toAbsolutePath().normalize(), p -> {
            try {
                return Files.isRegularFile(p) ? Files.size(p) : 0L;
            } catch (IOException e) {
                throw new IllegalStateException("cannot read the size of " + p, e);
            }
        });
    }

    /** Each log this run wrote, with the byte offset where its lines of this run begin, by path. */
    public static Map<Path, Long> ofThisRun() {
        return new TreeMap<>(BEGUN);
    }

    /** The lines of {@code log} from byte {@code offset} on. */
    public static List<String> linesFrom(Path log, long offset) throws IOException {
        try (InputStream in = Files.newInputStream(log)) {
            in.skipNBytes(offset);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
    }
}
