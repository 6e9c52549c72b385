package io.orgsync.simulator;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Injected faults. A fault matches by path and enterprise (either may be left out to match
 * all); {@code rate} applies it to that share of matching calls, deterministically (every
 * 1/rate-th call, not by dice), and {@code count} to at most that many calls.
 */
final class Faults {
    static final class Fault {
        final int id;
        final String path;
        final String corpId;
        final Integer errcode;
        final Integer httpStatus;
        final long latencyMs;
        final boolean dropConnection;
        final double rate;
        final Long count;
        private long seen;
        private long applied;

        Fault(
                int id,
                String path,
                String corpId,
                Integer errcode,
                Integer httpStatus,
                long latencyMs,
                boolean dropConnection,
                double rate,
                Long count) {
            this.id = id;
            this.path = path;
            this.corpId = corpId;
            this.errcode = errcode;
            this.httpStatus = httpStatus;
            this.latencyMs = latencyMs;
            this.dropConnection = dropConnection;
            this.rate = rate;
            this.count = count;
        }

        private synchronized boolean take(String callPath, String subject) {
            if (path != null && !path.equals(callPath)) {
                return false;
            }
            if (corpId != null && !corpId.equals(subject)) {
                return false;
            }
            if (count != null && applied >= count) {
                return false;
            }
            seen++;
            if (Math.floor(seen * rate) <= Math.floor((seen - 1) * rate)) {
                return false;
            }
            applied++;
            return true;
        }

        synchronized Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", id);
            m.put("path", path);
            m.put("corpId", corpId);
            m.put("errcode", errcode);
            m.put("httpStatus", httpStatus);
            m.put("latencyMs", latencyMs);
            m.put("dropConnection", dropConnection);
            m.put("rate", rate);
            m.put("count", count);
            m.put("applied", applied);
            return m;
        }
    }

    /**
     * A fault as asked for ({@code POST /__sim/faults}): {@code corpId} or {@code appId} names the
     * subject, matched alike; a blank path or subject matches all; a latency below 0 counts as none.
     */
    record Spec(
            String path,
            String corpId,
            String appId,
            Integer errcode,
            Integer httpStatus,
            Integer latencyMs,
            Boolean dropConnection,
            Double rate,
            Long count) {
        Spec {
            path = blankAsNull(path);
            if (path != null && !path.startsWith("/")) {
                throw new IllegalArgumentException("path must start with /, for example /cgi-bin/user/list");
            }
            if (httpStatus != null && (httpStatus < 100 || httpStatus > 599)) {
                throw new IllegalArgumentException("httpStatus must be from 100 to 599");
            }
            dropConnection = Boolean.TRUE.equals(dropConnection);
            rate = rate == null ? 1.0 : rate;
            if (rate <= 0 || rate > 1) {
                throw new IllegalArgumentException("rate must be above 0 and at most 1");
            }
            if (errcode == null && httpStatus == null && latencyMs == null && !dropConnection) {
                throw new IllegalArgumentException("a fault needs errcode, httpStatus, latencyMs or dropConnection");
            }
            latencyMs = latencyMs == null ? 0 : Math.max(0, latencyMs);
        }

        String subject() {
            return blankAsNull(corpId != null ? corpId : appId);
        }

        private static String blankAsNull(String text) {
            return text == null || text.isBlank() ? null : text;
        }
    }

    private final List<Fault> faults = new CopyOnWriteArrayList<>();
    private final AtomicInteger ids = new AtomicInteger();
    /** Calls held by a latency now, and the releases so far (a hold ends at the first after it began); guarded by this. */
    private int held;

    private long releases;

    Fault add(Spec spec) {
        Fault fault = new Fault(
                ids.incrementAndGet(),
                spec.path(),
                spec.subject(),
                spec.errcode(),
                spec.httpStatus(),
                spec.latencyMs(),
                spec.dropConnection(),
                spec.rate(),
                spec.count());
        faults.add(fault);
        return fault;
    }

    /** The first fault that applies to this call, counted as applied; null for none. */
    Fault take(String path, String subject) {
        for (Fault f : faults) {
            if (f.take(path, subject)) {
                return f;
            }
        }
        return null;
    }

    List<Map<String, Object>> list() {
        List<Map<String, Object>> out = new ArrayList<>();
        faults.forEach(f -> out.add(f.toMap()));
        return out;
    }

    void clear() {
        faults.clear();
    }

    /** Holds a call for a fault's latency, or until {@link #release} ends every hold in progress. */
    void hold(long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        synchronized (this) {
            held++;
            try {
                long began = releases;
                long left = deadline - System.nanoTime();
                while (releases == began && left > 0) {
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                    left = deadline - System.nanoTime();
                }
            } finally {
                held--;
            }
        }
    }

    /** Ends the latency of every call held now ({@code POST /__sim/faults/release}); returns how many were held. */
    synchronized int release() {
        releases++;
        notifyAll();
        return held;
    }
}
