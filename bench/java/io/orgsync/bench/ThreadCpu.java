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
 * Jetty's request threads are one entry), without the benchmark's own: what the node spent, and
 * on which threads, where a request rate also counts what the other processes on the machine took
 * from it.
 */
final class ThreadCpu {
    /** The prefix of the benchmark's own threads' names: they are not the node's, and not counted. */
    static final String BENCHMARK = "bench-";

    private final Map<String, Long> nanosByName;

    private ThreadCpu(Map<String, Long> nanosByName) {
        this.nanosByName = nanosByName;
    }

    static ThreadCpu now() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Map<String, Long> byName = new TreeMap<>();
        for (ThreadInfo ti : mx.getThreadInfo(mx.getAllThreadIds())) {
            // main only waits for wrk and the simulator's answers
            boolean benchmarks = ti == null
                    || ti.getThreadName().startsWith(BENCHMARK)
                    || ti.getThreadName().equals("main");
            long cpu = benchmarks ? -1 : mx.getThreadCpuTime(ti.getThreadId());
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

    /** {@code used} without the threads named {@code name}. */
    static Map<String, Long> without(Map<String, Long> used, String name) {
        Map<String, Long> rest = new TreeMap<>(used);
        rest.remove(name);
        return rest;
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
