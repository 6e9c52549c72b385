package io.orgsync.miniapp;

import io.orgsync.token.TokenFetchException;
import io.orgsync.token.TokenKey;
import io.orgsync.token.TokenSource;
import io.orgsync.upstream.Family;
import io.orgsync.upstream.UpstreamClient;
import io.orgsync.upstream.UpstreamRequest;
import java.net.URI;
import java.util.Map;
import java.util.Set;

/**
 * A mini-program token: the stable one by default ({@code POST /cgi-bin/stable_token}, which
 * another holder of the secret cannot invalidate), or the classic one ({@code GET /cgi-bin/token}),
 * where every fetch anywhere invalidates the previous token after 5 minutes.
 */
final class MiniAppTokenSource implements TokenSource {
    private final UpstreamClient client;
    private final URI baseUrl;
    private final String appId;
    private final String secret;
    private final boolean stable;
    private final TokenKey key;

    MiniAppTokenSource(UpstreamClient client, URI baseUrl, String appId, String secret, boolean stable) {
        this.client = client;
        this.baseUrl = baseUrl;
        this.appId = appId;
        this.secret = secret;
        this.stable = stable;
        this.key = TokenKey.miniApp(appId, stable);
    }

    @Override
    public TokenKey key() {
        return key;
    }

    @Override
    public Fetched fetch() throws TokenFetchException {
        return client.fetchToken(
                stable
                        ? stableToken(false)
                        : UpstreamRequest.get(
                                Family.WECHAT,
                                baseUrl,
                                "/cgi-bin/token",
                                null,
                                appId,
                                Map.of("grant_type", "client_credential", "appid", appId, "secret", secret),
                                Set.of()));
    }

    @Override
    public boolean forceRefreshable() {
        return stable;
    }

    /**
     * {@code force_refresh: true} invalidates the stable token everywhere and is allowed 20 times
     * a day, 30 s apart: the token holder sends it only when the platform hands back a token it
     * has just rejected, and rations it across the cluster.
     */
    @Override
    public Fetched forceRefresh() throws TokenFetchException {
        if (!stable) {
            throw new UnsupportedOperationException("classic tokens cannot be force-refreshed");
        }
        return client.fetchToken(stableToken(true));
    }

    private UpstreamRequest stableToken(boolean forceRefresh) {
        return UpstreamRequest.post(
                Family.WECHAT,
                baseUrl,
                "/cgi-bin/stable_token",
                null,
                appId,
                Map.of(
                        "grant_type",
                        "client_credential",
                        "appid",
                        appId,
                        "secret",
                        secret,
                        "force_refresh",
                        forceRefresh),
                Set.of());
    }
}
