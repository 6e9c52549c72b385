package io.orgsync.simulator;

import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * What tests and benchmarks read back: calls per path and enterprise, peak calls per second and
 * peak concurrency (overall, per enterprise, and for department calls), and errors per code.
 * Token counts come from the {@link TokenBook}.
 */
final class Stats {
    private final Map<String, Map<String, LongAdder>> calls = new ConcurrentHashMap<>();
    private final Map<String, SecondPeak> perSecond = new ConcurrentHashMap<>();
    private final Map<String, SecondPeak> deptPerSecond = new ConcurrentHashMap<>();
    private final Map<String, SlidingPeak> deptPerSlidingSecond = new ConcurrentHashMap<>();
    private final Map<String, Gauge> concurrency = new ConcurrentHashMap<>();
    private final Map<String, Gauge> deptConcurrency = new ConcurrentHashMap<>();
    private final Gauge overall = new Gauge();
    private final Map<Integer, LongAdder> errors = new ConcurrentHashMap<>();
    private final LongAdder total = new LongAdder();

    /** Peak count in one clock second. */
    private static final class SecondPeak {
        private long second = Long.MIN_VALUE;
        private int count;
        private int peak;

        synchronized void hit(long second) {
            if (second != this.second) {
                this.second = second;
                count = 0;
            }
            peak = Math.max(peak, ++count);
        }

        synchronized int peak() {
            return peak;
        }
    }

    /**
     * Peak count within any 1000 ms, wherever the second starts: a client that keeps under the
     * rate only for clock-aligned seconds can still put rate + 1 calls between two boundaries.
     */
    private static final class SlidingPeak {
        private final ArrayDeque<Long> recent = new ArrayDeque<>();
        private int peak;

        synchronized void hit(long nowMillis) {
            while (!recent.isEmpty() && recent.peekFirst() <= nowMillis - 1000) {
                recent.pollFirst();
            }
            recent.addLast(nowMillis);
            peak = Math.max(peak, recent.size());
        }

        synchronized int peak() {
            return peak;
        }
    }

    /** Current and peak number of calls in flight. */
    static final class Gauge {
        private final AtomicInteger current = new AtomicInteger();
        private final AtomicInteger peak = new AtomicInteger();

        int enter() {
            int now = current.incrementAndGet();
            peak.accumulateAndGet(now, Math::max);
            return now;
        }

        void exit() {
            current.decrementAndGet();
        }
    }

    /** Records the start of a call; the returned handle must be closed when it ends. */
    Runnable start(String path, String subject, boolean departmentCall, long nowMillis) {
        String who = subject == null ? "-" : subject;
        total.increment();
        calls.computeIfAbsent(path, k -> new ConcurrentHashMap<>())
                .computeIfAbsent(who, k -> new LongAdder())
                .increment();
        long second = Math.floorDiv(nowMillis, 1000);
        perSecond.computeIfAbsent(who, k -> new SecondPeak()).hit(second);
        overall.enter();
        Gauge corp = concurrency.computeIfAbsent(who, k -> new Gauge());
        corp.enter();
        Gauge dept = null;
        if (departmentCall) {
            deptPerSecond.computeIfAbsent(who, k -> new SecondPeak()).hit(second);
            deptPerSlidingSecond.computeIfAbsent(who, k -> new SlidingPeak()).hit(nowMillis);
            dept = deptConcurrency.computeIfAbsent(who, k -> new Gauge());
            dept.enter();
        }
        Gauge deptGauge = dept;
        return () -> {
            overall.exit();
            corp.exit();
            if (deptGauge != null) {
                deptGauge.exit();
            }
        };
    }

    void error(int errcode) {
        errors.computeIfAbsent(errcode, k -> new LongAdder()).increment();
    }

    Map<String, Object> snapshot(TokenBook tokens) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("totalCalls", total.sum());
        Map<String, Map<String, Long>> byPath = new TreeMap<>();
        calls.forEach((path, perCorp) -> {
            Map<String, Long> m = new TreeMap<>();
            perCorp.forEach((corp, n) -> m.put(corp, n.sum()));
            byPath.put(path, m);
        });
        out.put("calls", byPath);
        out.put("peakCallsPerSecond", peaks(perSecond));
        out.put("peakDeptCallsPerSecond", peaks(deptPerSecond));
        Map<String, Integer> sliding = new TreeMap<>();
        deptPerSlidingSecond.forEach((k, v) -> sliding.put(k, v.peak()));
        out.put("peakDeptCallsPerSlidingSecond", sliding);
        out.put("peakConcurrency", overall.peak.get());
        out.put("peakConcurrencyByCorp", gauges(concurrency));
        out.put("peakDeptConcurrency", gauges(deptConcurrency));
        out.put("tokensIssued", tokens.issuedCounts());
        out.put("tokenFetches", tokens.fetchCounts());
        out.put("forcedRefreshes", tokens.forcedCounts());
        Map<String, Long> errs = new TreeMap<>();
        errors.forEach((code, n) -> errs.put(String.valueOf(code), n.sum()));
        out.put("errors", errs);
        return out;
    }

    void reset() {
        calls.clear();
        perSecond.clear();
        deptPerSecond.clear();
        deptPerSlidingSecond.clear();
        concurrency.values().forEach(g -> g.peak.set(g.current.get()));
        deptConcurrency.values().forEach(g -> g.peak.set(g.current.get()));
        overall.peak.set(overall.current.get());
        errors.clear();
        total.reset();
    }

    private static Map<String, Integer> peaks(Map<String, SecondPeak> source) {
        Map<String, Integer> m = new TreeMap<>();
        source.forEach((k, v) -> m.put(k, v.peak()));
        return m;
    }

    private static Map<String, Integer> gauges(Map<String, Gauge> source) {
        Map<String, Integer> m = new TreeMap<>();
        source.forEach((k, v) -> {
            if (v.peak.get() > 0) {
                m.put(k, v.peak.get());
            }
        });
        return m;
    }
}
