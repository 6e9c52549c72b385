package io.orgsync.http;

import io.orgsync.error.Causes;
import io.orgsync.error.Refusal;
import io.orgsync.error.RefusedException;
import io.orgsync.token.TokenFetchException;
import io.orgsync.token.TokenUnavailableException;
import io.orgsync.upstream.UpstreamException;
import java.util.Optional;

/** How an upstream failure reaches an API caller: the one translation into a refusal. */
final class UpstreamErrors {
    /** A token that cannot be had right now (the holder waited, or a hold is on): worth a retry soon. */
    private static final long TOKEN_RETRY_AFTER_SECONDS = 5;

    private UpstreamErrors() {}

    static RefusedException toRefusal(UpstreamException e) {
        Optional<TokenFetchException> refusedToken =
                Causes.find(e, TokenFetchException.class, TokenFetchException::permanent);
        if (refusedToken.isPresent()) {
            // a wrong secret or an untrusted IP: retrying cannot help, so no 503 and no Retry-After
            return new RefusedException(
                    Refusal.UPSTREAM_ERROR,
                    "the upstream refused this server's credentials with errcode "
                            + refusedToken.get().errcode() + ": " + e.getMessage());
        }
        return switch (e.kind()) {
            case RATE_LIMITED ->
                new RefusedException(
                        Refusal.RATE_LIMITED,
                        "the upstream limits calls right now (" + e.getMessage() + "); retry later",
                        Math.max(1, e.retryAfterSeconds()));
            case UNAVAILABLE ->
                new RefusedException(
                        Refusal.UNAVAILABLE, "the upstream is unavailable: " + e.getMessage() + "; retry later", 5);
            case CONFIGURATION, REFUSED ->
                new RefusedException(
                        Refusal.UPSTREAM_ERROR,
                        "the upstream refused the call with errcode " + e.errcode() + ": " + e.getMessage());
        };
    }

    static RefusedException toRefusal(TokenUnavailableException e) {
        return new RefusedException(Refusal.UNAVAILABLE, e.getMessage(), TOKEN_RETRY_AFTER_SECONDS);
    }
}
