package io.orgsync.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Arrays;
import java.util.UUID;

/**
 * The checks and defaults behind {@link Settings#from}, apart from the record so that the list
 * of settings stays readable: URL validation (including the webhook's, whose key must never be
 * echoed in a message) and the generated instance id.
 */
final class SettingChecks {
    private SettingChecks() {}

    /** The address to bind: an IP literal or a name that resolves (an unknown name fails here, not at bind). */
    static String host(String value) {
        try {
            java.net.InetAddress.getByName(value);
            return value;
        } catch (java.net.UnknownHostException e) {
            return null;
        }
    }

    static URI httpUrl(String value) {
        URI uri = URI.create(value);
        String scheme = uri.getScheme();
        if (uri.getHost() == null || !("http".equals(scheme) || "https".equals(scheme))) {
            return null;
        }
        return uri;
    }

    /**
     * The group robot's URL. Its key is the robot's password (whoever has it can post to the
     * group), so a bad value is described by its host and path, never echoed.
     */
    static URI webhook(SettingSource s, String variable) {
        String value = s.raw(variable);
        if (value == null) {
            return null;
        }
        String example = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=<the robot's key>";
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            // the parser's message quotes the input: say where it failed instead
            s.problem(
                    variable,
                    "is not a URL (character " + (e.getIndex() + 1) + " of " + value.length()
                            + " is not allowed; look for spaces or quotes): expected " + example);
            return null;
        }
        String scheme = uri.getScheme();
        if (uri.getHost() == null || !("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme))) {
            s.problem(
                    variable,
                    "is not an http(s) URL with a host" + (uri.getHost() == null ? "" : " (" + where(uri) + ")")
                            + ": expected " + example);
            return null;
        }
        boolean keyed = uri.getRawQuery() != null
                && Arrays.stream(uri.getRawQuery().split("&"))
                        .anyMatch(p -> p.startsWith("key=") && p.length() > "key=".length());
        if (!keyed) {
            s.problem(
                    variable,
                    "the URL (" + where(uri) + ") has no key parameter: copy the robot's whole webhook address"
                            + " from its settings in the WeCom group, as in " + example);
            return null;
        }
        return uri;
    }

    /** Host and path for a message; a long path segment may be a token (other robots put theirs there), so only its length shows. */
    private static String where(URI uri) {
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        String shown = Arrays.stream(path.split("/", -1))
                .map(seg -> seg.length() > 24 ? "<" + seg.length() + " characters>" : seg)
                .collect(java.util.stream.Collectors.joining("/"));
        return "host " + uri.getHost() + (uri.getPort() == -1 ? "" : ":" + uri.getPort()) + ", path " + shown;
    }

    static String generatedInstanceId() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "node";
        }
        host = host.replaceAll("[^A-Za-z0-9._-]", "");
        if (host.isEmpty() || host.length() > 40) {
            host = "node";
        }
        return host + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
