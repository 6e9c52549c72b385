package io.orgsync.upstream;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A successful call, or a definite answer the request declared: {@code errcode} is 0 or one of
 * its {@code answers}. Image answers carry {@code bytes} and their content type; JSON ones
 * {@code json}.
 */
public record UpstreamResponse(int errcode, JsonNode json, byte[] bytes, String contentType) {
    public boolean ok() {
        return errcode == 0;
    }
}
