package io.orgsync.testing.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.orgsync.member.Mobile;
import io.orgsync.testing.SimulatorControl;
import io.orgsync.testing.Waiting;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * A test cluster: a fresh, migrated MariaDB database, the upstream simulator (in the test JVM:
 * the nodes are the separate processes) and any number of {@code serve} processes on it.
 * {@link #close()} kills every process it started, also when the test failed half-way.
 */
public final class Cluster implements AutoCloseable {
    /** Far in the future: jobs fire only when a test triggers them. */
    public static final String NEVER = "0 0 3 1 1 ? 2099";

    public static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    public final ClusterDb db;
    public final SimulatorControl sim;
    private final List<OrgsyncNode> nodes = new CopyOnWriteArrayList<>();
    private final List<AutoCloseable> closeables = new CopyOnWriteArrayList<>();
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    private Cluster(ClusterDb db, SimulatorControl sim) {
        this.db = db;
        this.sim = sim;
    }

    /** A database named after the test, migrated once before any node starts, and a simulator without per-minute limits. */
    public static Cluster create(String name) {
        ClusterDb db = ClusterDb.create(name);
        SimulatorControl sim = new SimulatorControl();
        sim.limits(Map.of("perMinute", 0, "perHour", 0, "ipPerMinute", 0, "ipPerHour", 0));
        return new Cluster(db, sim);
    }

    /** Defines a node (read-only specs get the SELECT-only account) without starting it. */
    public OrgsyncNode node(NodeSpec spec) {
        if (spec.readOnly && spec.dbUser == null) {
            spec.account(db.readOnlyUser, db.readOnlyPassword);
        }
        OrgsyncNode node = new OrgsyncNode(spec, db.url, db.user, db.password, sim.baseUrl());
        nodes.add(node);
        return node;
    }

    /** Starts the nodes at once and waits until every one answers /health with 200. */
    public List<OrgsyncNode> start(NodeSpec... specs) {
        List<OrgsyncNode> started = new ArrayList<>();
        for (NodeSpec spec : specs) {
            started.add(node(spec).start());
        }
        CompletableFuture.allOf(started.stream()
                        .map(n -> CompletableFuture.runAsync(() -> n.awaitHealthy(START_TIMEOUT)))
                        .toArray(CompletableFuture[]::new))
                .join();
        return started;
    }

    public List<OrgsyncNode> nodes() {
        return List.copyOf(nodes);
    }

    /** Registers a simulated enterprise (secret "secret-&lt;corpId&gt;") and, through {@code via}, the orgsync enterprise. */
    public void enterprise(OrgsyncNode via, String corpId, int departments, int members, String cron) {
        sim.createCorp(corpId, "secret-" + corpId, departments, members, true);
        via.putEnterprise(corpId, "secret-" + corpId, cron);
    }

    /** Triggers through {@code via}, waiting out 409s (a run in progress), up to {@code timeout}. */
    public void triggerAccepted(OrgsyncNode via, String corpId, Duration timeout) {
        Waiting.await(timeout, "a trigger of " + corpId + " accepted by " + via.name(), () -> {
            HttpResult r = via.trigger(corpId);
            if (r.status() == 200) {
                return Boolean.TRUE;
            }
            if (r.status() != 409) {
                throw new Waiting.GiveUp(
                        "trigger of " + corpId + " on " + via.name() + " answered " + r.status() + ": " + r.body());
            }
            return null;
        });
    }

    /** Waits for a run of {@code corpId} matching {@code which} and returns it. */
    public RunRow awaitRun(String corpId, String what, Duration timeout, Predicate<RunRow> which) {
        return Waiting.await(
                timeout,
                what,
                () -> db.runs(corpId).stream().filter(which).reduce((a, b) -> b).orElse(null));
    }

    /** Triggers and waits until that run has finished, returning it; fails unless it SUCCEEDED. */
    public RunRow syncOnce(OrgsyncNode via, String corpId, Duration timeout) {
        long before = db.runs(corpId).stream().mapToLong(RunRow::id).max().orElse(0);
        triggerAccepted(via, corpId, timeout);
        RunRow run = awaitRun(corpId, "a finished run of " + corpId, timeout, r -> r.id() > before && r.finished());
        if (!"SUCCEEDED".equals(run.status())) {
            throw new AssertionError("the run of " + corpId + " ended " + run);
        }
        return run;
    }

    /** The simulator's truth for an enterprise: userid → normalised mobile (null when it has none). */
    public Map<String, String> truth(String corpId) {
        Map<String, String> out = new TreeMap<>();
        for (JsonNode m : sim.export(corpId).path("members")) {
            String mobile = m.path("mobile").asText("");
            out.put(m.path("userid").asText(), Mobile.normalise(mobile).orElse(null));
        }
        return out;
    }

    /** A member of the enterprise with a mobile, as stored: [userid, mobile]. */
    public String[] someMemberWithMobile(String corpId) {
        return db.members(corpId).entrySet().stream()
                .filter(e -> e.getValue() != null && e.getValue().matches("1\\d{10}"))
                .findFirst()
                .map(e -> new String[] {e.getKey(), e.getValue()})
                .orElseThrow(() -> new AssertionError("no member of " + corpId + " with a mainland mobile"));
    }

    /** A background lookup probe on {@code node}, closed with the cluster. */
    public LookupProbe probe(OrgsyncNode node, String mobile, String userid) {
        LookupProbe probe = new LookupProbe(node, mobile, userid, 200);
        closeables.add(probe);
        return probe;
    }

    /** Prints a line to the test output and to target/it-logs/summary.txt, where the figures are easy to find. */
    public static void report(String line) {
        System.out.println(line);
        try {
            java.nio.file.Files.createDirectories(OrgsyncNode.LOG_DIR);
            java.nio.file.Files.writeString(
                    OrgsyncNode.LOG_DIR.resolve("summary.txt"),
                    line + "\n",
                    java.nio.charset.StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
        } catch (java.io.IOException e) {
            // the line went to the test output anyway
        }
    }

    /** Kills every node, stops the simulator; once (later calls do nothing). */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        for (AutoCloseable c : closeables) {
            try {
                c.close();
            } catch (Exception e) {
                // keep closing the rest
            }
        }
        // all at once: each kill waits for its process, and the processes are independent
        CompletableFuture.allOf(nodes.stream()
                        .map(n -> CompletableFuture.runAsync(n::close))
                        .toArray(CompletableFuture[]::new))
                .join();
        sim.close();
        db.dropReadOnlyAccount();
    }
}
