package io.orgsync.wecom;

import io.orgsync.token.TokenFetchException;
import io.orgsync.token.TokenKey;
import io.orgsync.token.TokenSource;
import io.orgsync.upstream.Family;
import io.orgsync.upstream.UpstreamClient;
import io.orgsync.upstream.UpstreamRequest;
import java.net.URI;
import java.util.Map;
import java.util.Set;

/** {@code GET /cgi-bin/gettoken} for one corp and secret. */
final class WecomTokenSource implements TokenSource {
    private final UpstreamClient client;
    private final URI baseUrl;
    private final String corpId;
    private final String secret;
    private final TokenKey key;

    WecomTokenSource(UpstreamClient client, URI baseUrl, String corpId, String secret) {
        this.client = client;
        this.baseUrl = baseUrl;
        this.corpId = corpId;
        this.secret = secret;
        this.key = TokenKey.wecom(corpId, secret);
    }

    @Override
    public TokenKey key() {
        return key;
    }

    @Override
    public Fetched fetch() throws TokenFetchException {
        return client.fetchToken(UpstreamRequest.get(
                Family.WECOM,
                baseUrl,
                "/cgi-bin/gettoken",
                null,
                corpId,
                Map.of("corpid", corpId, "corpsecret", secret),
                Set.of()));
    }
}
