package io.orgsync.upstream;

import io.orgsync.token.TokenSource;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * One upstream call. {@code api} is the path, used for metrics, logs and blocks; {@code subject}
 * is the corp or app; {@code answers} are the errcodes that are definite results of this call
 * (such as 46004 "no such mobile") and come back as a response instead of an exception.
 * {@code tokenSource} is null only for the token calls themselves. {@code gate}, when not null,
 * is called around each attempt (see {@link AttemptGate}).
 */
public record UpstreamRequest(
        Family family,
        URI baseUrl,
        String api,
        boolean post,
        Map<String, String> query,
        Object jsonBody,
        TokenSource tokenSource,
        String subject,
        Set<Integer> answers,
        AttemptGate gate) {

    public UpstreamRequest {
        query = Map.copyOf(query);
        answers = Set.copyOf(answers);
    }

    public UpstreamRequest(
            Family family,
            URI baseUrl,
            String api,
            boolean post,
            Map<String, String> query,
            Object jsonBody,
            TokenSource tokenSource,
            String subject,
            Set<Integer> answers) {
        this(family, baseUrl, api, post, query, jsonBody, tokenSource, subject, answers, null);
    }

    /** The same request, each attempt of it passing through {@code gate}. */
    public UpstreamRequest withGate(AttemptGate gate) {
        return new UpstreamRequest(family, baseUrl, api, post, query, jsonBody, tokenSource, subject, answers, gate);
    }

    public static UpstreamRequest get(
            Family family,
            URI baseUrl,
            String api,
            TokenSource tokens,
            String subject,
            Map<String, String> query,
            Set<Integer> answers) {
        return new UpstreamRequest(family, baseUrl, api, false, query, null, tokens, subject, answers);
    }

    public static UpstreamRequest post(
            Family family,
            URI baseUrl,
            String api,
            TokenSource tokens,
            String subject,
            Object body,
            Set<Integer> answers) {
        return new UpstreamRequest(family, baseUrl, api, true, Map.of(), body, tokens, subject, answers);
    }

    /** The query string with the token added; it never reaches a log line. */
    Map<String, String> queryWith(String accessToken) {
        Map<String, String> all = new LinkedHashMap<>(query);
        if (accessToken != null) {
            all.put("access_token", accessToken);
        }
        return all;
    }
}
