package io.orgsync.simulator;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
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

        Fault(int id, String path, String corpId, Integer errcode, Integer httpStatus, long latencyMs,
              boolean dropConnection, double rate, Long count) {
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

    private final List<Fault> faults = new CopyOnWriteArrayList<>();
    private final AtomicInteger ids = new AtomicInteger();

    Fault add(Map<String, Object> spec) {
        for (String key : spec.keySet()) {
            if (!List.of("path", "corpId", "appId", "errcode", "httpStatus", "latencyMs", "dropConnection", "rate", "count").contains(key)) {
                throw new IllegalArgumentException("unknown fault field '" + key + "'");
            }
        }
        String path = text(spec.get("path"));
        if (path != null && !path.startsWith("/")) {
            throw new IllegalArgumentException("path must start with /, for example /cgi-bin/user/list");
        }
        String corpId = text(spec.get("corpId") != null ? spec.get("corpId") : spec.get("appId"));
        Integer errcode = integer(spec.get("errcode"), "errcode");
        Integer httpStatus = integer(spec.get("httpStatus"), "httpStatus");
        if (httpStatus != null && (httpStatus < 100 || httpStatus > 599)) {
            throw new IllegalArgumentException("httpStatus must be from 100 to 599");
        }
        Integer latency = integer(spec.get("latencyMs"), "latencyMs");
        boolean drop = Boolean.TRUE.equals(spec.get("dropConnection"));
        double rate = spec.get("rate") instanceof Number n ? n.doubleValue() : 1.0;
        if (rate <= 0 || rate > 1) {
            throw new IllegalArgumentException("rate must be above 0 and at most 1");
        }
        Integer count = integer(spec.get("count"), "count");
        if (errcode == null && httpStatus == null && latency == null && !drop) {
            throw new IllegalArgumentException("a fault needs errcode, httpStatus, latencyMs or dropConnection");
        }
        Fault fault = new Fault(ids.incrementAndGet(), path, corpId, errcode, httpStatus,
                latency == null ? 0 : Math.max(0, latency), drop, rate, count == null ? null : count.longValue());
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

    private static String text(Object v) {
        return v == null || v.toString().isBlank() ? null : v.toString();
    }

    private static Integer integer(Object v, String name) {
        if (v == null) {
            return null;
        }
        if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
            return n.intValue();
        }
        throw new IllegalArgumentException(name + " must be a whole number");
    }
}
