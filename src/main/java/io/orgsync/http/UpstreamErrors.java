package io.orgsync.http;

import io.orgsync.common.RequestException;
import io.orgsync.token.TokenFetchException;
import io.orgsync.upstream.UpstreamException;

/** How an upstream failure reaches an API caller. */
public final class UpstreamErrors {
    private UpstreamErrors() {
    }

    public static RequestException toRequest(UpstreamException e) {
        TokenFetchException refusedToken = permanentTokenFailure(e);
        if (refusedToken != null) {
            // a wrong secret or an untrusted IP: retrying cannot help, so no 503 and no Retry-After
            return new RequestException(502, "upstream_error", "the upstream refused this server's credentials with errcode "
                    + refusedToken.errcode() + ": " + e.getMessage());
        }
        return switch (e.kind()) {
            case RATE_LIMITED -> new RequestException(429, "rate_limited",
                    "the upstream limits calls right now (" + e.getMessage() + "); retry later", Math.max(1, e.retryAfterSeconds()));
            case UNAVAILABLE -> new RequestException(503, "unavailable", "the upstream is unavailable: " + e.getMessage() + "; retry later", 5);
            case CONFIGURATION, REFUSED -> new RequestException(502, "upstream_error",
                    "the upstream refused the call with errcode " + e.errcode() + ": " + e.getMessage());
        };
    }

    /** The token fetch behind this failure, when the upstream refused it for good (wrong secret, unknown id, IP). */
    private static TokenFetchException permanentTokenFailure(Throwable e) {
        for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof TokenFetchException fetch && fetch.permanent()) {
                return fetch;
            }
        }
        return null;
    }
}
