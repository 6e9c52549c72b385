package io.orgsync.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** Settings are read and validated in one place; every bad value is named with its fix. */
class SettingsTest {
    private static Settings load(Map<String, String> env) {
        return Settings.from(env, new Properties());
    }

    @Test
    void defaultsNeedNoSetUp() {
        Settings s = load(Map.of());
        assertEquals(Settings.DEFAULT_DB_URL, s.dbUrl());
        assertEquals(8080, s.httpPort());
        assertEquals("orgsync-dev", s.schedulerName());
        assertTrue(s.schedulerEnabled());
        assertEquals(10.0, s.deptRate());
        assertEquals(1, s.deptConcurrency(), "department calls are strictly serial unless told otherwise");
        assertTrue(s.embeddedDatabase());
    }

    @Test
    void departmentConcurrencyIsOneToSixteen() {
        assertEquals(4, load(Map.of("ORGSYNC_DEPT_CONCURRENCY", "4")).deptConcurrency());
        assertEquals(16, load(Map.of("ORGSYNC_DEPT_CONCURRENCY", "16")).deptConcurrency());
        for (String bad : new String[] {"0", "17", "two"}) {
            ConfigException e =
                    assertThrows(ConfigException.class, () -> load(Map.of("ORGSYNC_DEPT_CONCURRENCY", bad)));
            assertTrue(
                    e.getMessage().contains("ORGSYNC_DEPT_CONCURRENCY")
                            && e.getMessage().contains("from 1 to 16"),
                    e.getMessage());
        }
    }

    @Test
    void everyInvalidValueIsReportedWithItsVariable() {
        ConfigException e = assertThrows(
                ConfigException.class,
                () -> load(Map.of(
                        "ORGSYNC_HTTP_PORT", "eighty",
                        "ORGSYNC_ENV", "Prod Env",
                        "ORGSYNC_DEPT_RATE", "-1",
                        "ORGSYNC_SCHEDULER_ENABLED", "yes",
                        "ORGSYNC_RESOLVE_BUDGET_RATIO", "0.25",
                        "ORGSYNC_DB_URL", "postgres://x",
                        "ORGSYNC_ALERT_EMAIL", "ops@example.com,not-an-address",
                        "ORGSYNC_LOG_FORMAT", "xml")));
        String text = e.getMessage();
        for (String variable : new String[] {
            "ORGSYNC_HTTP_PORT",
            "ORGSYNC_ENV",
            "ORGSYNC_DEPT_RATE",
            "ORGSYNC_SCHEDULER_ENABLED",
            "ORGSYNC_RESOLVE_BUDGET_RATIO",
            "ORGSYNC_DB_URL",
            "ORGSYNC_ALERT_EMAIL",
            "ORGSYNC_SMTP_HOST",
            "ORGSYNC_LOG_FORMAT"
        }) {
            assertTrue(text.contains(variable), variable + " missing from: " + text);
        }
        assertEquals(9, e.problems().size(), text);
    }

    @Test
    void aSystemPropertyOverridesTheEnvironment() {
        Properties props = new Properties();
        props.setProperty("orgsync.http.port", "9191");
        props.setProperty("orgsync.max.removal.ratio", "0.5");
        Settings s = Settings.from(Map.of("ORGSYNC_HTTP_PORT", "8081"), props);
        assertEquals(9191, s.httpPort());
        assertEquals(0.5, s.maxRemovalRatio());
    }

    @Test
    void theShutdownGraceAndTheRunRetentionHaveDefaultsAndBounds() {
        Settings s = load(Map.of());
        assertEquals(java.time.Duration.ofSeconds(30), s.shutdownGrace());
        assertEquals(java.time.Duration.ofDays(90), s.runRetention());
        assertEquals(
                java.time.Duration.ZERO,
                load(Map.of("ORGSYNC_SHUTDOWN_GRACE_SECONDS", "0")).shutdownGrace());
        ConfigException e = assertThrows(
                ConfigException.class,
                () -> load(Map.of("ORGSYNC_SHUTDOWN_GRACE_SECONDS", "-5", "ORGSYNC_RUN_RETENTION_DAYS", "0")));
        assertTrue(e.getMessage().contains("ORGSYNC_SHUTDOWN_GRACE_SECONDS"), e.getMessage());
        assertTrue(e.getMessage().contains("ORGSYNC_RUN_RETENTION_DAYS"), e.getMessage());
    }

    @Test
    void theHeartbeatIsFiveSecondsOrMoreOften() {
        assertEquals(java.time.Duration.ofSeconds(5), load(Map.of()).heartbeat());
        assertEquals(
                java.time.Duration.ofMillis(500),
                load(Map.of("ORGSYNC_HEARTBEAT_MS", "500")).heartbeat());
        for (String bad : List.of("499", "5001", "often")) {
            ConfigException e =
                    assertThrows(ConfigException.class, () -> load(Map.of("ORGSYNC_HEARTBEAT_MS", bad)), bad);
            assertTrue(e.getMessage().contains("ORGSYNC_HEARTBEAT_MS"), e.getMessage());
        }
    }

    @Test
    void theLookupCacheSizeAndStalenessHaveDefaultsAndBounds() {
        Settings s = load(Map.of());
        assertEquals(64, s.lookupCacheMb());
        assertEquals(java.time.Duration.ofMillis(250), s.cacheStaleness());
        assertEquals(0, load(Map.of("ORGSYNC_LOOKUP_CACHE_MB", "0")).lookupCacheMb(), "0 turns the cache off");
        ConfigException e = assertThrows(
                ConfigException.class,
                () -> load(Map.of("ORGSYNC_LOOKUP_CACHE_MB", "-1", "ORGSYNC_CACHE_STALENESS_MS", "0")));
        assertTrue(e.getMessage().contains("ORGSYNC_LOOKUP_CACHE_MB"), e.getMessage());
        assertTrue(e.getMessage().contains("ORGSYNC_CACHE_STALENESS_MS"), e.getMessage());
    }

    @Test
    void theEventRetryHorizonIsOneToSevenHundredTwentyHours() {
        assertEquals(java.time.Duration.ofHours(24), load(Map.of()).eventRetryHorizon());
        assertEquals(
                java.time.Duration.ofHours(2),
                load(Map.of("ORGSYNC_EVENT_RETRY_HOURS", "2")).eventRetryHorizon());
        for (String bad : new String[] {"0", "721", "a day"}) {
            ConfigException e =
                    assertThrows(ConfigException.class, () -> load(Map.of("ORGSYNC_EVENT_RETRY_HOURS", bad)));
            assertTrue(
                    e.getMessage().contains("ORGSYNC_EVENT_RETRY_HOURS")
                            && e.getMessage().contains("from 1 to 720"),
                    e.getMessage());
        }
    }

    @Test
    void theBindAddressAndTheResolveRecheckHaveDefaultsAndBounds() {
        Settings s = load(Map.of());
        assertEquals("0.0.0.0", s.httpHost());
        assertEquals(java.time.Duration.ofDays(30), s.resolveRecheck());
        assertEquals("127.0.0.1", load(Map.of("ORGSYNC_HTTP_HOST", "127.0.0.1")).httpHost());
        assertEquals(
                java.time.Duration.ofDays(1),
                load(Map.of("ORGSYNC_RESOLVE_RECHECK_DAYS", "1")).resolveRecheck());
        ConfigException e = assertThrows(
                ConfigException.class,
                () -> load(Map.of("ORGSYNC_HTTP_HOST", "no such host.invalid", "ORGSYNC_RESOLVE_RECHECK_DAYS", "0")));
        assertTrue(e.getMessage().contains("ORGSYNC_HTTP_HOST"), e.getMessage());
        assertTrue(e.getMessage().contains("ORGSYNC_RESOLVE_RECHECK_DAYS"), e.getMessage());
    }

    @Test
    void theChangeRetentionAndTheFeedRetryHorizonHaveDefaultsAndBounds() {
        Settings s = load(Map.of());
        assertEquals(java.time.Duration.ofDays(7), s.changeRetention());
        assertEquals(java.time.Duration.ofHours(24), s.feedRetryHorizon());
        Settings set = load(Map.of("ORGSYNC_CHANGE_RETENTION_DAYS", "1", "ORGSYNC_FEED_RETRY_HOURS", "48"));
        assertEquals(java.time.Duration.ofDays(1), set.changeRetention());
        assertEquals(java.time.Duration.ofHours(48), set.feedRetryHorizon());
        ConfigException e = assertThrows(
                ConfigException.class,
                () -> load(Map.of("ORGSYNC_CHANGE_RETENTION_DAYS", "0", "ORGSYNC_FEED_RETRY_HOURS", "0")));
        assertTrue(e.getMessage().contains("ORGSYNC_CHANGE_RETENTION_DAYS"), e.getMessage());
        assertTrue(e.getMessage().contains("ORGSYNC_FEED_RETRY_HOURS"), e.getMessage());
    }

    @Test
    void readOnlyImpliesNoScheduler() {
        Settings s = load(Map.of("ORGSYNC_READ_ONLY", "true"));
        assertTrue(s.readOnly());
        assertFalse(s.schedulerEnabled());
    }

    @Test
    void secretsNeverAppearInTheDescriptionOrTheErrors() {
        Settings s = load(Map.of(
                "ORGSYNC_DB_URL",
                "jdbc:mysql://db:3306/orgsync?user=x&password=hunter2-db",
                "ORGSYNC_DB_PASSWORD",
                "hunter2-password",
                "ORGSYNC_ADMIN_TOKEN",
                "hunter2-admin-token",
                "ORGSYNC_SECRET_KEY",
                "hunter2-secret-key-0123",
                "ORGSYNC_ALERT_WEBHOOK",
                "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=hunter2"));
        assertFalse(s.toString().contains("hunter2"), s.toString());
        ConfigException e = assertThrows(ConfigException.class, () -> load(Map.of("ORGSYNC_ADMIN_TOKEN", "hunter2")));
        assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
        assertTrue(e.getMessage().contains("ORGSYNC_ADMIN_TOKEN: must be at least 16 characters"), e.getMessage());
    }
    /** The robot's key is its password: a bad URL is described by variable, host and path, never echoed. */
    @Test
    void aBadWebhookIsNamedWithWhatIsWrongButNotItsKey() {
        String key = "693axxx6-7aoc-4bc4-97a0-0ec2sifa5aaa";
        Map<String, String> bad = Map.of(
                "ftp://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=" + key,
                "ORGSYNC_ALERT_WEBHOOK: is not an http(s) URL with a host (host qyapi.weixin.qq.com, path /cgi-bin/webhook/send)",
                "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=" + key + " (robot)",
                "ORGSYNC_ALERT_WEBHOOK: is not a URL (character 90 of 97 is not allowed",
                "https://user:" + key + "@qyapi.weixin.qq.com/cgi-bin/webhook/send?id=1",
                "ORGSYNC_ALERT_WEBHOOK: the URL (host qyapi.weixin.qq.com, path /cgi-bin/webhook/send) has no key parameter",
                "https://open.example.com/hook/" + key,
                "ORGSYNC_ALERT_WEBHOOK: the URL (host open.example.com, path /hook/<36 characters>) has no key parameter");
        bad.forEach((value, expected) -> {
            ConfigException e = assertThrows(ConfigException.class, () -> load(Map.of("ORGSYNC_ALERT_WEBHOOK", value)));
            assertTrue(e.getMessage().contains(expected), e.getMessage());
            assertFalse(e.getMessage().contains(key), e.getMessage());
        });
        assertEquals(
                "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=" + key,
                load(Map.of("ORGSYNC_ALERT_WEBHOOK", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=" + key))
                        .alertWebhook()
                        .toString());
    }
}
