package io.orgsync.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The CPU time this JVM's threads used, by thread name with the numbers taken out (all of
 * Jetty's request threads are one entry): unlike a request rate, a thread's CPU time does not
 * depend on what else the machine runs, so it tells what a change costs the node even when the
 * rate is noisy.
 */
final class ThreadCpu {
    private final Map<String, Long> nanosByName;

    private ThreadCpu(Map<String, Long> nanosByName) {
        this.nanosByName = nanosByName;
    }

    static ThreadCpu now() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Map<String, Long> byName = new TreeMap<>();
        for (ThreadInfo ti : mx.getThreadInfo(mx.getAllThreadIds())) {
            long cpu = ti == null ? -1 : mx.getThreadCpuTime(ti.getThreadId());
            if (cpu > 0) {
                byName.merge(ti.getThreadName().replaceAll("[0-9]+", "#"), cpu, Long::sum);
            }
        }
        return new ThreadCpu(byName);
    }

    /** What was used since {@code before}, per thread name (threads that ended meanwhile are not counted). */
    Map<String, Long> since(ThreadCpu before) {
        Map<String, Long> used = new TreeMap<>();
        nanosByName.forEach((name, nanos) -> {
            long d = nanos - before.nanosByName.getOrDefault(name, 0L);
            if (d > 0) {
                used.put(name, d);
            }
        });
        return used;
    }

    static long total(Map<String, Long> used) {
        return used.values().stream().mapToLong(Long::longValue).sum();
    }

    /** The names that used at least {@code share} of the total, largest first, in milliseconds. */
    static String largest(Map<String, Long> used, double share) {
        long total = total(used);
        List<Map.Entry<String, Long>> big = new ArrayList<>();
        used.entrySet().stream().filter(e -> e.getValue() >= total * share).forEach(big::add);
        big.sort((a, b) -> Long.compare(b.getValue(), a.getValue()));
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, Long> e : big) {
            out.append(out.isEmpty() ? "" : ", ")
                    .append(String.format(Locale.ROOT, "%s %.0f ms", e.getKey(), e.getValue() / 1e6));
        }
        return out.toString();
    }
}
