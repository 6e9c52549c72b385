package io.orgsync.miniapp;

import io.orgsync.config.Settings;
import io.orgsync.error.Refusal;
import io.orgsync.error.RefusedException;
import io.orgsync.store.SecretCipher;
import io.orgsync.upstream.UpstreamClient;
import io.orgsync.upstream.UpstreamException;
import java.net.URI;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/** Registered mini-program apps (kept in {@link MiniAppStore}) and a client for each. */
public final class MiniAppService {
    public static final Pattern APP_ID = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    /** Errcodes that mean the caller's parameters were refused: the caller's mistake, not the upstream's. */
    private static final Set<Integer> BAD_INPUT = Set.of(40129, 40169, 41030, 40097);

    /** {@code wechatBaseUrl}: the mini-program API (ORGSYNC_WECHAT_BASE_URL). */
    public record Config(URI wechatBaseUrl) {
        public Config {
            java.util.Objects.requireNonNull(wechatBaseUrl, "wechatBaseUrl");
        }

        public static Config from(Settings s) {
            return new Config(s.wechatBaseUrl());
        }
    }

    private final MiniAppStore store;
    private final Clock clock;
    private final UpstreamClient upstream;
    private final URI wechatBaseUrl;
    /** Clients by app id and secret fingerprint: a changed secret or mode makes a new one. */
    private final Map<String, MiniProgramClient> clients = new ConcurrentHashMap<>();

    private final List<Consumer<String>> removals = new CopyOnWriteArrayList<>();

    public MiniAppService(DataSource ds, SecretCipher cipher, Clock clock, UpstreamClient upstream, Config config) {
        this.store = new MiniAppStore(ds, cipher);
        this.clock = clock;
        this.upstream = upstream;
        this.wechatBaseUrl = config.wechatBaseUrl();
    }

    /** Creates or updates an app. {@code tokenMode} is "stable" (default) or "classic". */
    public MiniApp put(String appId, String name, String secret, String tokenMode) throws SQLException {
        if (appId == null || !APP_ID.matcher(appId).matches()) {
            throw invalid("appId must be 1 to 64 letters, digits or _ . - (e.g. wx1234abcd)");
        }
        if (tokenMode != null && !tokenMode.equals("stable") && !tokenMode.equals("classic")) {
            throw invalid("tokenMode must be \"stable\" or \"classic\"");
        }
        if (secret != null && (secret.isBlank() || secret.length() > 512 || secret.matches(".*\\s.*"))) {
            throw invalid("secret must be 1 to 512 characters without spaces");
        }
        if (name != null && (name.isBlank() || name.length() > 200)) {
            throw invalid("name must be 1 to 200 characters");
        }
        long now = clock.millis();
        Optional<MiniApp> current = find(appId);
        if (current.isEmpty()) {
            if (secret == null) {
                throw invalid("a new app needs its secret");
            }
            MiniApp app =
                    new MiniApp(appId, name == null ? appId : name, secret, !"classic".equals(tokenMode), now, now);
            store.insert(app);
            return app;
        }
        MiniApp c0 = current.get();
        MiniApp app = new MiniApp(
                appId,
                name == null ? c0.name() : name,
                secret == null ? c0.secret() : secret,
                tokenMode == null ? c0.stableToken() : tokenMode.equals("stable"),
                c0.createdAt(),
                now);
        store.update(app);
        return app;
    }

    /** Every registered app, by app id, without opening a secret: one sealed under another key does not hide the rest. */
    public List<MiniAppSummary> list() throws SQLException {
        return store.list();
    }

    /**
     * Removes a registered app: its codes are no longer served (this node drops the ones it
     * cached at once; other nodes' cached codes of it expire within their time to live).
     */
    public void delete(String appId) throws SQLException {
        if (appId == null || !APP_ID.matcher(appId).matches()) {
            throw new RefusedException(
                    Refusal.INVALID_REQUEST, "appId must be 1 to 64 letters, digits or _ . - (e.g. wx1234abcd)");
        }
        if (!store.delete(appId)) {
            throw new RefusedException(
                    Refusal.UNKNOWN_APP,
                    "no mini-program app " + appId + "; GET /admin/api/miniapps lists the registered ones");
        }
        clients.keySet().removeIf(key -> key.startsWith(appId + " "));
        removals.forEach(listener -> listener.accept(appId));
    }

    /** {@code listener} hears the app id of every app this node deletes. */
    public void onDelete(Consumer<String> listener) {
        removals.add(listener);
    }

    public Optional<MiniApp> find(String appId) throws SQLException {
        return store.find(appId);
    }

    /** The client of a registered app; refused as {@link Refusal#UNKNOWN_APP} for one not registered. */
    public MiniProgramClient client(String appId) throws SQLException {
        MiniApp app = find(appId)
                .orElseThrow(() -> new RefusedException(
                        Refusal.UNKNOWN_APP,
                        "no mini-program app " + appId + "; register it with PUT /admin/api/miniapps/" + appId));
        String key = appId + " " + app.stableToken() + " "
                + Integer.toHexString(app.secret().hashCode());
        return clients.computeIfAbsent(
                key, k -> new MiniProgramClient(upstream, wechatBaseUrl, appId, app.secret(), app.stableToken()));
    }

    /**
     * The app's code for {@code request}. Parameters the mini-program API refuses are refused as
     * an invalid request; any other upstream failure is thrown as it is, for the error mapping.
     */
    public WxaCode unlimitedCode(String appId, WxaCodeRequest request) throws SQLException {
        MiniProgramClient client = client(appId);
        try {
            return client.unlimitedCode(request);
        } catch (UpstreamException e) {
            if (BAD_INPUT.contains(e.errcode())) {
                throw invalid(
                        "the mini-program API refused these parameters (errcode " + e.errcode()
                                + "): check scene, page (must be a published page unless checkPath=false), width and envVersion");
            }
            throw e;
        }
    }

    private static RefusedException invalid(String message) {
        return new RefusedException(Refusal.INVALID_REQUEST, message);
    }
}
