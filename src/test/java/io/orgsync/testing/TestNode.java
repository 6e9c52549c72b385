package io.orgsync.testing;

import io.orgsync.Node;
import io.orgsync.config.Settings;
import java.net.URI;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * A whole orgsync node for a test, assembled by {@link Node#start} from settings as an operator
 * would give them: the database, the simulator as WeCom, an ephemeral HTTP port. Defaults suit
 * sync tests (scheduler created but not executing, a fast department rate, a cron that never
 * fires); {@link #with} changes any setting.
 */
public final class TestNode {
    /** A cron that does not fire while a test runs: 03:00 on 1 January 2099. */
    public static final String NEVER = "0 0 3 1 1 ? 2099";

    private final Map<String, String> env = new HashMap<>();

    private TestNode(String dbUrl, URI simulator) {
        env.put("ORGSYNC_DB_URL", dbUrl);
        env.put("ORGSYNC_DB_USER", TestDatabases.user(dbUrl));
        env.put("ORGSYNC_DB_PASSWORD", TestDatabases.password(dbUrl));
        env.put("ORGSYNC_HTTP_PORT", "0");
        env.put("ORGSYNC_WECOM_BASE_URL", simulator.toString());
        env.put("ORGSYNC_WECHAT_BASE_URL", simulator.toString());
        env.put("ORGSYNC_ENV", "test");
        env.put("ORGSYNC_INSTANCE_ID", "node-a");
        env.put("ORGSYNC_DEPT_RATE", "50");
        env.put("ORGSYNC_NODE_RATE", "1000");
        env.put("ORGSYNC_SCHEDULER_ENABLED", "false");
        env.put("ORGSYNC_SYNC_DEADLINE_SECONDS", "60");
    }

    public static TestNode on(String dbUrl, URI simulator) {
        return new TestNode(dbUrl, simulator);
    }

    /**
     * A node as an operator would start one, named {@code instanceId}: the scheduler executing,
     * the default rates and deadline, two sync threads. For admin, alert and cluster tests.
     */
    public static TestNode node(String instanceId, String dbUrl, SimulatorControl sim) {
        return on(dbUrl, sim.baseUrl())
                .with("ORGSYNC_INSTANCE_ID", instanceId)
                .with("ORGSYNC_SCHEDULER_ENABLED", null)
                .with("ORGSYNC_DEPT_RATE", null)
                .with("ORGSYNC_NODE_RATE", null)
                .with("ORGSYNC_SYNC_DEADLINE_SECONDS", null)
                .with("ORGSYNC_SYNC_THREADS", 2);
    }

    /** Sets an {@code ORGSYNC_*} variable; null removes it (its default applies). */
    public TestNode with(String variable, Object value) {
        if (value == null) {
            env.remove(variable);
        } else {
            env.put(variable, value.toString());
        }
        return this;
    }

    /** Sends alerts to the simulator's group robot under {@code key} ({@code GET /__sim/webhook/{key}/messages}). */
    public TestNode alertsTo(URI simulator, String key) {
        return with("ORGSYNC_ALERT_WEBHOOK", simulator + "/cgi-bin/webhook/send?key=" + key);
    }

    public Node start() throws Exception {
        return start(Clock.systemUTC());
    }

    /**
     * A {@link MutableClock}'s {@link MutableClock#advance} moves the database's time as the node
     * reads it too (time passes for the whole cluster); its {@link MutableClock#skew} does not.
     */
    public Node start(Clock clock) throws Exception {
        Settings settings = Settings.from(Map.copyOf(env), new Properties());
        return clock instanceof MutableClock m
                ? Node.start(settings, m, m::advancedMillis)
                : Node.start(settings, clock);
    }
}
