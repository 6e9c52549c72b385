package io.orgsync.testing.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Asks one node "who owns this mobile?" every few hundred milliseconds in the background and
 * records every answer, so that a test can say the read-only node kept answering lookups
 * through whatever it did to the rest of the cluster (and when it did not).
 */
public final class LookupProbe implements AutoCloseable {
    /** One lookup: when it was sent (epoch ms), how long it took, and the status (-1: no answer). */
    public record Sample(long at, long millis, int status, String userid) {
        public boolean ok() {
            return status == 200;
        }
    }

    private final OrgsyncNode node;
    private final String mobile;
    private final String expectedUserid;
    private final List<Sample> samples = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    public LookupProbe(OrgsyncNode node, String mobile, String expectedUserid, long everyMillis) {
        this.node = node;
        this.mobile = mobile;
        this.expectedUserid = expectedUserid;
        this.thread = new Thread(
                () -> {
                    while (running) {
                        long at = System.currentTimeMillis();
                        HttpResult r = node.send("GET", "/api/v1/members/by-mobile/" + mobile, null, false);
                        String userid = null;
                        if (r.status() == 200) {
                            userid = r.json()
                                    .path("members")
                                    .path(0)
                                    .path("userid")
                                    .asText(null);
                        }
                        samples.add(new Sample(at, System.currentTimeMillis() - at, r.status(), userid));
                        try {
                            Thread.sleep(everyMillis);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                },
                "lookup-probe-" + node.name());
        thread.setDaemon(true);
        thread.start();
    }

    public List<Sample> samples() {
        return new ArrayList<>(samples);
    }

    /** Lookups that did not answer 200 with the expected member. */
    public List<Sample> failures() {
        return samples.stream()
                .filter(s -> !s.ok() || !expectedUserid.equals(s.userid()))
                .toList();
    }

    /** Failures outside [from, to] (epoch ms). */
    public List<Sample> failuresOutside(long from, long to) {
        return failures().stream().filter(s -> s.at() < from || s.at() > to).toList();
    }

    public long successesAfter(long t) {
        return samples.stream()
                .filter(s -> s.at() > t && s.ok() && expectedUserid.equals(s.userid()))
                .count();
    }

    public String summary() {
        List<Sample> all = samples();
        long ok = all.stream()
                .filter(s -> s.ok() && expectedUserid.equals(s.userid()))
                .count();
        long max = all.stream().mapToLong(Sample::millis).max().orElse(0);
        return String.format(
                "%s: %d lookups of %s, %d answered with %s, %d did not; slowest %d ms",
                node.name(), all.size(), mobile, ok, expectedUserid, all.size() - ok, max);
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
