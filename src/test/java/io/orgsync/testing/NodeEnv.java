package io.orgsync.testing;

import io.orgsync.Node;
import io.orgsync.config.Settings;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The environment of one orgsync node in a test, started the way {@code serve} starts it
 * ({@code Node.start(Settings.from(env, ...))}): HTTP on a free port, the simulator as both
 * upstreams, the given database. Tests add or remove variables before {@link #start}.
 */
public final class NodeEnv {
    private final Map<String, String> env = new LinkedHashMap<>();

    public NodeEnv(String instanceId, String dbUrl, SimulatorControl sim) {
        env.put("ORGSYNC_DB_URL", dbUrl);
        env.put("ORGSYNC_DB_USER", TestDatabases.user(dbUrl));
        env.put("ORGSYNC_DB_PASSWORD", TestDatabases.password(dbUrl));
        env.put("ORGSYNC_HTTP_PORT", "0");
        env.put("ORGSYNC_ENV", "test");
        env.put("ORGSYNC_INSTANCE_ID", instanceId);
        env.put("ORGSYNC_WECOM_BASE_URL", sim.baseUrl().toString());
        env.put("ORGSYNC_WECHAT_BASE_URL", sim.baseUrl().toString());
        env.put("ORGSYNC_SYNC_THREADS", "2");
    }

    public NodeEnv set(String variable, String value) {
        if (value == null) {
            env.remove(variable);
        } else {
            env.put(variable, value);
        }
        return this;
    }

    public Node start(Clock clock) throws Exception {
        return Node.start(Settings.from(Map.copyOf(env), new Properties()), clock);
    }

    public Node start() throws Exception {
        return start(Clock.systemUTC());
    }
}
