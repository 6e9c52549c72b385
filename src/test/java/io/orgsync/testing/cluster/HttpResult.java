package io.orgsync.testing.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** One HTTP answer of a node: status and body, with the body as JSON on demand. */
public record HttpResult(int status, String body) {
    static final ObjectMapper JSON = new ObjectMapper();

    public JsonNode json() {
        try {
            return JSON.readTree(body);
        } catch (Exception e) {
            throw new IllegalStateException("not JSON (" + status + "): " + body, e);
        }
    }

    public boolean ok() {
        return status >= 200 && status < 300;
    }

    /** The body as JSON, after checking the status is 2xx. */
    public JsonNode expectOk(String what) {
        if (!ok()) {
            throw new AssertionError(what + " answered " + status + ": " + body);
        }
        return json();
    }

    public String errorCode() {
        try {
            return json().path("error").path("code").asText(null);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
