package io.orgsync.http;

import io.orgsync.common.RequestException;
import io.orgsync.upstream.UpstreamException;

/** How an upstream failure reaches an API caller. */
public final class UpstreamErrors {
    private UpstreamErrors() {
    }

    public static RequestException toRequest(UpstreamException e) {
        return switch (e.kind()) {
            case RATE_LIMITED -> new RequestException(429, "rate_limited",
                    "the upstream limits calls right now (" + e.getMessage() + "); retry later", Math.max(1, e.retryAfterSeconds()));
            case UNAVAILABLE -> new RequestException(503, "unavailable", "the upstream is unavailable: " + e.getMessage() + "; retry later", 5);
            case CONFIGURATION, REFUSED -> new RequestException(502, "upstream_error",
                    "the upstream refused the call with errcode " + e.errcode() + ": " + e.getMessage());
        };
    }
}
