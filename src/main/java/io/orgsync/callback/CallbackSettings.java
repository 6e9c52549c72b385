package io.orgsync.callback;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.orgsync.error.Refusal;
import io.orgsync.error.RefusedException;
import io.orgsync.store.SecretCipher;
import io.orgsync.store.SecretUnreadableException;
import io.orgsync.store.Sql;
import java.net.URI;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.time.Clock;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each enterprise's callback Token and EncodingAESKey ({@code enterprise_callback}), checked as
 * WeCom's admin page checks them and sealed with the secrets' cipher. Write-only: nothing here
 * hands them to the admin API, which only learns whether callbacks are on and the URL to paste.
 * Only the environment that manages the enterprise changes them (409 elsewhere, as for the
 * enterprise itself). The endpoint reads them through a {@link CallbackKeyCache}.
 */
public final class CallbackSettings {
    private static final Logger log = LoggerFactory.getLogger(CallbackSettings.class);
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9]{1,32}");
    private static final Pattern AES_KEY = Pattern.compile("[A-Za-z0-9]{43}");
    private final DataSource ds;
    private final SecretCipher cipher;
    private final Clock clock;
    private final URI baseUrl;
    private final String env;
    private final CallbackKeyCache cache;
    private final Counter loads;

    /** {@code baseUrl}: ORGSYNC_CALLBACK_BASE_URL, may be null; {@code env}: this node's ORGSYNC_ENV. */
    public CallbackSettings(
            DataSource ds, SecretCipher cipher, Clock clock, URI baseUrl, String env, MeterRegistry metrics) {
        this.ds = ds;
        this.cipher = cipher;
        this.clock = clock;
        this.baseUrl = baseUrl;
        this.env = env;
        this.cache = new CallbackKeyCache(this::load, clock);
        this.loads = Counter.builder("orgsync_callback_settings_loads_total")
                .description("Reads of an enterprise's callback settings by the callback endpoint (its cache's misses)")
                .register(metrics);
    }

    /** Turns callbacks on for a known enterprise, or replaces its Token and EncodingAESKey. */
    public void put(String corpId, String token, String aesKey) throws SQLException {
        if (token == null || !TOKEN.matcher(token).matches()) {
            throw new RefusedException(
                    Refusal.INVALID_REQUEST,
                    "token must be 1 to 32 letters or digits, as set on WeCom's \"receive events\" page");
        }
        if (aesKey == null || !AES_KEY.matcher(aesKey).matches()) {
            throw new RefusedException(
                    Refusal.INVALID_REQUEST,
                    "aesKey must be the 43 letters or digits of the EncodingAESKey, as WeCom's \"receive events\" page generates it");
        }
        long now = clock.millis();
        String sealedToken = cipher.seal(token);
        String sealedKey = cipher.seal(aesKey);
        Sql.inTransaction(ds, c -> {
            if (!managedHere(c, corpId, env, "change its callbacks there", true)) {
                throw unknown(corpId);
            }
            int updated = Sql.update(
                    c,
                    "UPDATE enterprise_callback SET token = ?, aes_key = ?, updated_at = ? WHERE corp_id = ?",
                    sealedToken,
                    sealedKey,
                    now,
                    corpId);
            if (updated == 0) {
                try {
                    Sql.update(
                            c,
                            "INSERT INTO enterprise_callback (corp_id, token, aes_key, updated_at) VALUES (?, ?, ?, ?)",
                            corpId,
                            sealedToken,
                            sealedKey,
                            now);
                } catch (SQLIntegrityConstraintViolationException e) {
                    // the enterprise row lock makes this unreachable; say so plainly rather than hide it
                    throw new RefusedException(
                            Refusal.CONFLICT,
                            "the callback settings of " + corpId + " changed meanwhile; send them again");
                }
            }
            return null;
        });
        cache.invalidate(corpId);
    }

    /** Turns callbacks off: events still stored are applied, new ones are refused. */
    public boolean delete(String corpId) throws SQLException {
        boolean deleted = Sql.inTransaction(
                ds,
                c -> managedHere(c, corpId, env, "turn its callbacks off there", true)
                        && Sql.update(c, "DELETE FROM enterprise_callback WHERE corp_id = ?", corpId) > 0);
        cache.invalidate(corpId);
        return deleted;
    }

    /**
     * Whether the enterprise exists, locking its row when {@code lock}; a {@code 409 conflict} when
     * another environment manages it ({@code there}: what to do in that environment instead).
     */
    static boolean managedHere(java.sql.Connection c, String corpId, String env, String there, boolean lock)
            throws SQLException {
        Optional<String> owner = Sql.one(
                c,
                "SELECT env FROM enterprise WHERE corp_id = ?" + (lock ? " FOR UPDATE" : ""),
                rs -> rs.getString(1),
                corpId);
        if (owner.isPresent() && !owner.get().equals(env)) {
            throw new RefusedException(
                    Refusal.CONFLICT,
                    "enterprise " + corpId + " is managed by environment '" + owner.get() + "'; " + there);
        }
        return owner.isPresent();
    }

    /** The keys the endpoint checks a request against, from the cache. */
    Optional<CallbackKeys> cachedKeys(String corpId) throws SQLException {
        return cache.get(corpId);
    }

    /** After a failed check: newer keys to try, read at most once a second per corp; empty when there are none. */
    Optional<CallbackKeys> reloadedKeys(String corpId) throws SQLException {
        return cache.reloaded(corpId);
    }

    /** Reads and opens; keys this node cannot open count as none (logged), as the endpoint cannot check with them. */
    private Optional<CallbackKeys> load(String corpId) throws SQLException {
        loads.increment();
        try {
            return keys(corpId);
        } catch (SecretUnreadableException e) {
            log.warn("Callbacks of {} refused: {}", corpId, e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * The enterprise's opened keys; empty when callbacks are off for it.
     *
     * @throws io.orgsync.store.SecretUnreadableException when they cannot be opened with this node's key
     */
    public Optional<CallbackKeys> keys(String corpId) throws SQLException {
        return Sql.withConnection(
                ds,
                c -> Sql.one(
                        c,
                        "SELECT token, aes_key FROM enterprise_callback WHERE corp_id = ?",
                        rs -> new CallbackKeys(
                                corpId,
                                cipher.open(rs.getString(1), corpId + "'s callback token"),
                                cipher.open(rs.getString(2), corpId + "'s callback EncodingAESKey")),
                        corpId));
    }

    public boolean enabled(String corpId) throws SQLException {
        return Sql.withConnection(
                        ds, c -> Sql.one(c, "SELECT 1 FROM enterprise_callback WHERE corp_id = ?", rs -> 1, corpId))
                .isPresent();
    }

    /** The enterprises whose callbacks are on. */
    public Set<String> enabledCorps() throws SQLException {
        return new HashSet<>(Sql.withConnection(
                ds, c -> Sql.query(c, "SELECT corp_id FROM enterprise_callback", rs -> rs.getString(1))));
    }

    /** The URL to paste into WeCom's admin page; null when ORGSYNC_CALLBACK_BASE_URL is not set. */
    public String url(String corpId) {
        if (baseUrl == null) {
            return null;
        }
        String base = baseUrl.toString();
        return (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + CallbackRoutes.PATH_PREFIX + corpId;
    }

    static RefusedException unknown(String corpId) {
        return new RefusedException(
                Refusal.UNKNOWN_CORP, "no enterprise " + corpId + "; add it with PUT /admin/api/enterprises/" + corpId);
    }
}
