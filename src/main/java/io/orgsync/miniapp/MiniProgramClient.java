package io.orgsync.miniapp;

import io.orgsync.token.TokenSource;
import io.orgsync.upstream.Family;
import io.orgsync.upstream.UpstreamClient;
import io.orgsync.upstream.UpstreamException;
import io.orgsync.upstream.UpstreamRequest;
import io.orgsync.upstream.UpstreamResponse;
import java.net.URI;
import java.util.Set;

/** The mini-program API for one app, through the shared {@link UpstreamClient}. */
public final class MiniProgramClient {
    private final UpstreamClient client;
    private final URI baseUrl;
    private final String appId;
    private final TokenSource tokens;

    public MiniProgramClient(UpstreamClient client, URI baseUrl, String appId, String secret, boolean stableToken) {
        this.client = client;
        this.baseUrl = baseUrl;
        this.appId = appId;
        this.tokens = new MiniAppTokenSource(client, baseUrl, appId, secret, stableToken);
    }

    /**
     * The code image. Errors come back from the upstream as JSON on HTTP 200; they surface as
     * an {@link UpstreamException} carrying the errcode (40129, 40169, 41030 mean bad input).
     */
    public WxaCode unlimitedCode(WxaCodeRequest request) {
        UpstreamResponse r = client.call(UpstreamRequest.post(
                Family.WECHAT, baseUrl, "/wxa/getwxacodeunlimit", tokens, appId, request.body(), Set.of()));
        if (r.bytes() == null) {
            throw new UpstreamException(
                    UpstreamException.Kind.REFUSED,
                    r.errcode(),
                    "/wxa/getwxacodeunlimit",
                    "/wxa/getwxacodeunlimit for " + appId + " answered JSON instead of an image",
                    0,
                    null);
        }
        return new WxaCode(r.bytes(), r.contentType());
    }
}
