package io.orgsync.wechat;

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
        return client.fetchToken(stable
                // force_refresh is allowed 20 times a day: never used routinely
                ? UpstreamRequest.post(Family.WECHAT, baseUrl, "/cgi-bin/stable_token", null, appId,
                Map.of("grant_type", "client_credential", "appid", appId, "secret", secret, "force_refresh", false), Set.of())
                : UpstreamRequest.get(Family.WECHAT, baseUrl, "/cgi-bin/token", null, appId,
                Map.of("grant_type", "client_credential", "appid", appId, "secret", secret), Set.of()));
    }
}
