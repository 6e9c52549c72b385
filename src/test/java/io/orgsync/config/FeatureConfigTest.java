package io.orgsync.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.orgsync.alert.Alerts;
import io.orgsync.cluster.NodeRegistry;
import io.orgsync.enterprise.EnterpriseService;
import io.orgsync.miniapp.MiniAppService;
import io.orgsync.resolve.ResolveConfig;
import io.orgsync.sync.SyncRunner;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** Each feature gets its settings by name, in a record built from Settings, which refuses values the feature cannot work with. */
class FeatureConfigTest {
    private static final Settings SETTINGS = Settings.from(
            Map.of(
                    "ORGSYNC_ENV", "prod",
                    "ORGSYNC_INSTANCE_ID", "node-1",
                    "ORGSYNC_WECOM_BASE_URL", "http://wecom.test:9000",
                    "ORGSYNC_WECHAT_BASE_URL", "http://wechat.test:9001",
                    "ORGSYNC_RESOLVE_BUDGET_RATIO", "0.05",
                    "ORGSYNC_RESOLVE_RATE", "7",
                    "ORGSYNC_UPSTREAM_TIMEOUT_MS", "2000",
                    "ORGSYNC_TOKEN_WAIT_MS", "3000",
                    "ORGSYNC_DEPT_RATE", "25",
                    "ORGSYNC_SYNC_DEADLINE_SECONDS", "600"),
            new Properties());

    @Test
    void eachFeatureReadsItsSettingsByName() {
        ResolveConfig resolve = ResolveConfig.from(SETTINGS);
        assertEquals(URI.create("http://wecom.test:9000"), resolve.wecomBaseUrl());
        assertEquals(0.05, resolve.budgetRatio());
        assertEquals(7.0, resolve.ratePerEnterprise());
        assertEquals("node-1", resolve.instanceId());
        // 14 upstream time-outs, 2 token waits and a minute: longer than any live resolve
        assertEquals(Duration.ofSeconds(14 * 2 + 2 * 3 + 60), resolve.reservationLease());

        SyncRunner.Options sync = SyncRunner.Options.from(SETTINGS);
        assertEquals(25.0, sync.departmentRate());
        assertEquals(Duration.ofMinutes(10), sync.deadline());
        assertEquals(URI.create("http://wecom.test:9000"), sync.wecomBaseUrl());

        assertEquals(
                URI.create("http://wechat.test:9001"),
                MiniAppService.Config.from(SETTINGS).wechatBaseUrl());
        assertEquals("prod", EnterpriseService.Config.from(SETTINGS).env());
        assertEquals("prod/node-1", Alerts.Config.from(SETTINGS).origin());

        NodeRegistry.Config node = NodeRegistry.Config.from(SETTINGS, "1.4.2");
        assertEquals("node-1", node.instanceId());
        assertEquals("prod", node.env());
        assertEquals("1.4.2", node.version());
        assertTrue(node.schedulerEnabled());
        assertFalse(node.readOnly());
    }

    @Test
    void aConfigTheFeatureCannotWorkWithIsRefusedAtConstruction() {
        URI wecom = URI.create("http://wecom.test");
        Duration lease = Duration.ofMinutes(3);
        IllegalArgumentException ratio =
                assertThrows(IllegalArgumentException.class, () -> new ResolveConfig(wecom, 0.2, 5, "n", lease));
        assertTrue(ratio.getMessage().contains("below 0.2"), ratio.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ResolveConfig(wecom, 0.1, -1, "n", lease));
        assertThrows(IllegalArgumentException.class, () -> new ResolveConfig(wecom, 0.1, 5, "n", Duration.ZERO));
        assertThrows(NullPointerException.class, () -> new ResolveConfig(null, 0.1, 5, "n", lease));
        assertThrows(IllegalArgumentException.class, () -> new EnterpriseService.Config(" "));
        assertThrows(IllegalArgumentException.class, () -> new Alerts.Config(""));
        assertThrows(NullPointerException.class, () -> new MiniAppService.Config(null));
        assertThrows(
                NullPointerException.class,
                () -> new NodeRegistry.Config("n", "prod", null, true, false, NodeRegistry.HEARTBEAT));
    }
}
