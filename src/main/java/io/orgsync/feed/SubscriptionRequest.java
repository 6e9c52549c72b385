package io.orgsync.feed;

import com.fasterxml.jackson.databind.JsonNode;
import io.orgsync.error.Refusal;
import io.orgsync.error.RefusedException;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The body of {@code PUT /admin/api/subscriptions/{name}}, checked field by field before anything is
 * written; each refusal says what to send instead. Absent {@code corpIds} and {@code types} mean
 * all; absent {@code secret} keeps the stored one (or generates one on create).
 */
record SubscriptionRequest(
        String url, String secret, List<String> corpIds, Set<String> types, boolean beginning, boolean enabled) {
    static final Pattern NAME = Pattern.compile("[a-z0-9-]{1,64}");
    private static final Set<String> FIELDS = Set.of("url", "secret", "corpIds", "types", "startAt", "enabled");

    static String name(String name) {
        if (!NAME.matcher(name).matches()) {
            throw invalid("the subscription name must be 1 to 64 lower-case letters, digits or '-'");
        }
        return name;
    }

    /** {@code creating}: startAt is allowed only then. */
    static SubscriptionRequest parse(JsonNode body, boolean creating) {
        if (body == null || !body.isObject()) {
            throw invalid("the body must be a JSON object {\"url\", \"secret\"?, \"corpIds\"?, \"types\"?, "
                    + "\"startAt\"?, \"enabled\"?}");
        }
        for (var it = body.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!FIELDS.contains(field)) {
                throw invalid("unknown field '" + field + "'; a subscription has "
                        + String.join(", ", FIELDS.stream().sorted().toList()));
            }
        }
        String startAt = text(body, "startAt");
        if (startAt != null && !creating) {
            throw invalid("startAt applies only when a subscription is created; to deliver again from an earlier "
                    + "change, POST /admin/api/subscriptions/{name}/replay {\"corpId\", \"after\"}");
        }
        if (startAt != null && !startAt.equals("now") && !startAt.equals("beginning")) {
            throw invalid("startAt must be \"now\" (changes from now on, the default) or \"beginning\" (every change "
                    + "the log still holds)");
        }
        JsonNode enabled = body.get("enabled");
        if (enabled != null && !enabled.isNull() && !enabled.isBoolean()) {
            throw invalid("enabled must be true or false");
        }
        String secret = text(body, "secret");
        return new SubscriptionRequest(
                url(text(body, "url")),
                secret == null ? null : FeedSecrets.check(secret),
                corpIds(body.get("corpIds")),
                types(body.get("types")),
                "beginning".equals(startAt),
                enabled == null || enabled.isNull() || enabled.asBoolean());
    }

    private static String url(String url) {
        if (url == null) {
            throw invalid("url is required: the receiver's absolute http:// or https:// URL");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (java.net.URISyntaxException e) {
            throw invalid("url is not a valid URI: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null || url.length() > 2048) {
            throw invalid("url must be an absolute http:// or https:// URL with a host, at most 2048 characters");
        }
        if (uri.getUserInfo() != null) {
            throw invalid("url must not carry a user or password: receivers verify the webhook-signature instead");
        }
        return url;
    }

    private static List<String> corpIds(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isArray() || node.isEmpty()) {
            throw invalid("corpIds must be a non-empty array of registered enterprise ids, or left out for all");
        }
        Set<String> out = new LinkedHashSet<>();
        for (JsonNode id : node) {
            if (!id.isTextual()
                    || !io.orgsync.http.IdFormats.CORP_ID.matcher(id.asText()).matches()) {
                throw invalid("corpIds must hold enterprise ids as WeCom shows them (e.g. ww1234abcd), not " + id);
            }
            out.add(id.asText());
        }
        return new ArrayList<>(out);
    }

    private static Set<String> types(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        String allowed = String.join(", ", Subscription.TYPES);
        if (!node.isArray() || node.isEmpty()) {
            throw invalid("types must be a non-empty array of event types (" + allowed + "), or left out for all");
        }
        Set<String> out = new LinkedHashSet<>();
        for (JsonNode t : node) {
            String type = t.isTextual() ? t.asText() : "";
            if (!type.startsWith(FeedEvents.TYPE_PREFIX)) {
                type = FeedEvents.TYPE_PREFIX + type;
            }
            if (!Subscription.TYPES.contains(type)) {
                throw invalid("unknown event type " + t + "; the types are " + allowed);
            }
            out.add(type);
        }
        return out;
    }

    private static String text(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v != null && !v.isNull() && !v.isTextual()) {
            throw invalid(field + " must be a string");
        }
        return v == null || v.isNull() ? null : v.asText();
    }

    static RefusedException invalid(String message) {
        return new RefusedException(Refusal.INVALID_REQUEST, message);
    }
}
