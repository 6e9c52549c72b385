package io.orgsync.config;

import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * Every setting of orgsync, read and validated in one place at start-up. Each environment
 * variable {@code ORGSYNC_X_Y} may be overridden by the system property {@code orgsync.x.y}.
 * Secrets (database password, tokens, keys) are never part of {@link #toString()}.
 */
public record Settings(
        String dbUrl,
        String dbUser,
        String dbPassword,
        int httpPort,
        String env,
        boolean schedulerEnabled,
        boolean readOnly,
        String instanceId,
        String adminToken,
        String apiToken,
        URI wecomBaseUrl,
        URI wechatBaseUrl,
        double deptRate,
        int deptConcurrency,
        double nodeRate,
        int syncThreads,
        double maxRemovalRatio,
        double resolveBudgetRatio,
        URI alertWebhook,
        List<String> alertEmails,
        String smtpHost,
        int smtpPort,
        String smtpFrom,
        String secretKey,
        LogFormat logFormat,
        Duration syncDeadline,
        Duration tokenWait,
        Duration tokenRefreshAhead,
        Duration upstreamTimeout,
        double resolveRate,
        String buildVersion,
        Duration shutdownGrace,
        Duration runRetention,
        URI callbackBaseUrl,
        int lookupCacheMb,
        Duration cacheStaleness,
        Duration eventRetryHorizon,
        String httpHost,
        Duration resolveRecheck,
        Duration changeRetention,
        Duration feedRetryHorizon,
        Duration heartbeat) {

    public enum LogFormat {
        TEXT,
        JSON
    }

    public static final String DEFAULT_DB_URL = "jdbc:h2:file:./data/orgsync";
    private static final Pattern ENV_NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,31}");
    private static final Pattern INSTANCE_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s,]+@[^@\\s,]+");

    /** Reads the process environment and system properties. */
    public static Settings load() {
        return from(System.getenv(), System.getProperties());
    }

    public static Settings from(Map<String, String> env, Properties props) {
        SettingSource s = new SettingSource(env, props);
        String dbUrl = s.string("ORGSYNC_DB_URL", DEFAULT_DB_URL);
        if (!dbUrl.startsWith("jdbc:h2:") && !dbUrl.startsWith("jdbc:mysql:") && !dbUrl.startsWith("jdbc:mariadb:")) {
            s.problem(
                    "ORGSYNC_DB_URL",
                    "must be a jdbc:h2: or jdbc:mysql: URL, for example jdbc:mysql://127.0.0.1:3306/orgsync");
        }
        String env0 = s.string("ORGSYNC_ENV", "dev");
        if (!ENV_NAME.matcher(env0).matches()) {
            s.problem("ORGSYNC_ENV", "'" + env0 + "' is not valid: use 1 to 32 lower-case letters, digits or '-'");
        }
        String instanceId = s.string("ORGSYNC_INSTANCE_ID", null);
        if (instanceId != null && !INSTANCE_ID.matcher(instanceId).matches()) {
            s.problem(
                    "ORGSYNC_INSTANCE_ID",
                    "'" + instanceId + "' is not valid: use up to 64 letters, digits or . _ : -");
        }
        if (instanceId == null) {
            instanceId = SettingChecks.generatedInstanceId();
        }
        boolean readOnly = s.bool("ORGSYNC_READ_ONLY", false);
        boolean schedulerEnabled = s.bool("ORGSYNC_SCHEDULER_ENABLED", true) && !readOnly;

        double resolveBudget = s.decimal("ORGSYNC_RESOLVE_BUDGET_RATIO", 0.1, 0, 1);
        if (resolveBudget >= 0.2) {
            s.problem(
                    "ORGSYNC_RESOLVE_BUDGET_RATIO",
                    "must stay below 0.2, where WeCom blocks the enterprise's getuserid for the day");
        }
        List<String> emails = Arrays.stream(s.string("ORGSYNC_ALERT_EMAIL", "").split(","))
                .map(String::trim)
                .filter(e -> !e.isEmpty())
                .toList();
        for (String email : emails) {
            if (!EMAIL.matcher(email).matches()) {
                s.problem("ORGSYNC_ALERT_EMAIL", "'" + email + "' is not an e-mail address");
            }
        }
        String smtpHost = s.string("ORGSYNC_SMTP_HOST", null);
        if (!emails.isEmpty() && smtpHost == null) {
            s.problem("ORGSYNC_SMTP_HOST", "must be set when ORGSYNC_ALERT_EMAIL is set");
        }
        URI webhook = SettingChecks.webhook(s, "ORGSYNC_ALERT_WEBHOOK");

        Settings settings = new Settings(
                dbUrl,
                s.string("ORGSYNC_DB_USER", null),
                s.raw("ORGSYNC_DB_PASSWORD"),
                s.integer("ORGSYNC_HTTP_PORT", 8080, 0, 65535),
                env0,
                schedulerEnabled,
                readOnly,
                instanceId,
                s.secret("ORGSYNC_ADMIN_TOKEN", 16),
                s.secret("ORGSYNC_API_TOKEN", 16),
                s.parsed(
                        "ORGSYNC_WECOM_BASE_URL",
                        URI.create("https://qyapi.weixin.qq.com"),
                        "an http(s) URL",
                        SettingChecks::httpUrl),
                s.parsed(
                        "ORGSYNC_WECHAT_BASE_URL",
                        URI.create("https://api.weixin.qq.com"),
                        "an http(s) URL",
                        SettingChecks::httpUrl),
                s.decimal("ORGSYNC_DEPT_RATE", 10, 0, 10_000),
                s.integer("ORGSYNC_DEPT_CONCURRENCY", 1, 1, 16),
                s.decimal("ORGSYNC_NODE_RATE", 100, 0, 100_000),
                s.integer("ORGSYNC_SYNC_THREADS", 4, 1, 64),
                s.decimal("ORGSYNC_MAX_REMOVAL_RATIO", 0.2, 0, 1),
                resolveBudget,
                webhook,
                emails,
                smtpHost,
                s.integer("ORGSYNC_SMTP_PORT", 25, 1, 65535),
                s.parsed(
                        "ORGSYNC_SMTP_FROM",
                        "orgsync@localhost",
                        "an e-mail address",
                        v -> EMAIL.matcher(v).matches() ? v : null),
                s.secret("ORGSYNC_SECRET_KEY", 16),
                s.parsed("ORGSYNC_LOG_FORMAT", LogFormat.TEXT, "text or json", v -> LogFormat.valueOf(v.toUpperCase())),
                Duration.ofSeconds(s.integer("ORGSYNC_SYNC_DEADLINE_SECONDS", 1800, 10, 86_400)),
                Duration.ofMillis(s.integer("ORGSYNC_TOKEN_WAIT_MS", 5000, 100, 120_000)),
                Duration.ofSeconds(s.integer("ORGSYNC_TOKEN_REFRESH_AHEAD_SECONDS", 900, 0, 3600)),
                Duration.ofMillis(s.integer("ORGSYNC_UPSTREAM_TIMEOUT_MS", 10_000, 100, 300_000)),
                s.decimal("ORGSYNC_RESOLVE_RATE", 5, 0, 1000),
                // normally unset (the jar's version counts); per node so that one JVM can play two builds
                s.string("ORGSYNC_BUILD_VERSION", null),
                Duration.ofSeconds(s.integer("ORGSYNC_SHUTDOWN_GRACE_SECONDS", 30, 0, 3600)),
                Duration.ofDays(s.integer("ORGSYNC_RUN_RETENTION_DAYS", 90, 1, 36_500)),
                s.parsed("ORGSYNC_CALLBACK_BASE_URL", null, "an http(s) URL", SettingChecks::httpUrl),
                s.integer("ORGSYNC_LOOKUP_CACHE_MB", 64, 0, 65_536),
                Duration.ofMillis(s.integer("ORGSYNC_CACHE_STALENESS_MS", 250, 10, 60_000)),
                Duration.ofHours(s.integer("ORGSYNC_EVENT_RETRY_HOURS", 24, 1, 720)),
                s.parsed(
                        "ORGSYNC_HTTP_HOST",
                        "0.0.0.0",
                        "an IP address or host name of this machine",
                        SettingChecks::host),
                Duration.ofDays(s.integer("ORGSYNC_RESOLVE_RECHECK_DAYS", 30, 1, 3650)),
                Duration.ofDays(s.integer("ORGSYNC_CHANGE_RETENTION_DAYS", 7, 1, 36_500)),
                Duration.ofHours(s.integer("ORGSYNC_FEED_RETRY_HOURS", 24, 1, 8760)),
                // at most the 5 s the cluster's liveness window (three heartbeats) is reckoned in
                Duration.ofMillis(s.integer("ORGSYNC_HEARTBEAT_MS", 5000, 500, 5000)));
        s.throwIfProblems();
        return settings;
    }

    public boolean embeddedDatabase() {
        return dbUrl.startsWith("jdbc:h2:");
    }

    public String schedulerName() {
        return "orgsync-" + env;
    }

    @Override
    public String toString() {
        return "Settings[dbUrl=" + redactUrl(dbUrl) + ", dbUser=" + dbUser + ", httpPort=" + httpPort + ", env=" + env
                + ", schedulerEnabled=" + schedulerEnabled + ", readOnly=" + readOnly + ", instanceId=" + instanceId
                + ", adminToken=" + (adminToken == null ? "unset" : "set") + ", apiToken="
                + (apiToken == null ? "unset" : "set")
                + ", wecomBaseUrl=" + wecomBaseUrl + ", wechatBaseUrl=" + wechatBaseUrl
                + ", deptRate=" + deptRate + ", deptConcurrency=" + deptConcurrency + ", nodeRate=" + nodeRate
                + ", syncThreads=" + syncThreads
                + ", maxRemovalRatio=" + maxRemovalRatio + ", resolveBudgetRatio=" + resolveBudgetRatio
                + ", alertWebhook=" + (alertWebhook == null ? "unset" : "set") + ", alertEmails=" + alertEmails
                + ", smtpHost=" + smtpHost + ", smtpPort=" + smtpPort + ", smtpFrom=" + smtpFrom
                + ", secretKey=" + (secretKey == null ? "unset" : "set") + ", logFormat=" + logFormat
                + ", syncDeadline=" + syncDeadline + ", tokenWait=" + tokenWait + ", tokenRefreshAhead="
                + tokenRefreshAhead
                + ", upstreamTimeout=" + upstreamTimeout + ", resolveRate=" + resolveRate
                + (buildVersion == null ? "" : ", buildVersion=" + buildVersion)
                + ", shutdownGrace=" + shutdownGrace + ", runRetention=" + runRetention
                + ", callbackBaseUrl=" + (callbackBaseUrl == null ? "unset" : callbackBaseUrl)
                + ", lookupCacheMb=" + lookupCacheMb + ", cacheStaleness=" + cacheStaleness + ", eventRetryHorizon="
                + eventRetryHorizon + ", httpHost=" + httpHost + ", resolveRecheck=" + resolveRecheck
                + ", changeRetention=" + changeRetention + ", feedRetryHorizon=" + feedRetryHorizon
                + ", heartbeat=" + heartbeat + "]";
    }

    /** JDBC URLs may carry a password parameter; it never reaches a log line. */
    public static String redactUrl(String url) {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1***");
    }
}
