package io.orgsync.feed;

import io.orgsync.error.Refusal;
import io.orgsync.error.RefusedException;
import io.orgsync.http.Json;
import io.orgsync.org.ChangeLog;
import java.sql.SQLException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/** What the admin API does with subscriptions: create or change, list with state and lag, delete, replay. */
final class Subscriptions {
    /** {@code secret}: the generated key, answered once; null otherwise. */
    record Put(boolean created, Map<String, Object> view, String secret) {}

    private final SubscriptionStore store;
    private final CursorStore cursors;
    private final ChangeLog log;
    private final Clock clock;
    private final Runnable changed;

    Subscriptions(SubscriptionStore store, CursorStore cursors, ChangeLog log, Clock clock, Runnable changed) {
        this.store = store;
        this.cursors = cursors;
        this.log = log;
        this.clock = clock;
        this.changed = changed;
    }

    Put put(String name, com.fasterxml.jackson.databind.JsonNode body) throws SQLException {
        SubscriptionRequest.name(name);
        var existing = store.find(name);
        SubscriptionRequest r = SubscriptionRequest.parse(body, existing.isEmpty());
        List<String> corps = store.corps();
        if (r.corpIds() != null) {
            for (String corpId : r.corpIds()) {
                if (!corps.contains(corpId)) {
                    throw new RefusedException(
                            Refusal.INVALID_REQUEST,
                            "corpIds: no enterprise " + corpId + " is registered in this environment "
                                    + "(GET /admin/api/enterprises lists them)");
                }
            }
        }
        long now = clock.millis();
        String generated = existing.isEmpty() && r.secret() == null ? FeedSecrets.generate() : null;
        String sealed = r.secret() != null
                ? store.seal(r.secret())
                : generated != null ? store.seal(generated) : existing.get().sealedSecret();
        boolean failing = existing.isPresent() && existing.get().failing() && !r.enabled();
        Subscription s = new Subscription(
                name,
                r.url(),
                sealed,
                r.corpIds(),
                r.types(),
                r.enabled(),
                failing,
                failing ? existing.get().lastError() : null,
                existing.map(Subscription::lastDeliveredAt).orElse(null),
                existing.map(Subscription::createdAt).orElse(now),
                now);
        boolean created = existing.isEmpty();
        if (created) {
            Map<String, Long> start = new LinkedHashMap<>();
            for (String corpId : corps) {
                if (s.covers(corpId)) {
                    start.put(corpId, r.beginning() ? beginning(corpId) : log.latest(corpId));
                }
            }
            if (!store.insert(s, start)) {
                throw new RefusedException(
                        Refusal.CONFLICT, "subscription " + name + " was created meanwhile; PUT again");
            }
        } else {
            store.update(s);
            startNewlyCovered(existing.get(), s, corps);
        }
        changed.run();
        return new Put(created, view(store.find(name).orElseThrow()), generated);
    }

    List<Map<String, Object>> list() throws SQLException {
        List<Map<String, Object>> out = new java.util.ArrayList<>();
        for (Subscription s : store.list()) {
            out.add(view(s));
        }
        return out;
    }

    Map<String, Object> get(String name) throws SQLException {
        return view(find(name));
    }

    void delete(String name) throws SQLException {
        if (!store.delete(SubscriptionRequest.name(name))) {
            throw notFound(name);
        }
        changed.run();
    }

    /** Moves the subscription's cursor of one enterprise back (or forward) to {@code after}. */
    Map<String, Object> replay(String name, com.fasterxml.jackson.databind.JsonNode body) throws SQLException {
        Subscription s = find(name);
        if (body == null
                || !body.isObject()
                || !body.path("corpId").isTextual()
                || !body.path("after").canConvertToLong()
                || body.path("after").asLong() < 0) {
            throw SubscriptionRequest.invalid(
                    "the body must be {\"corpId\": \"<enterprise id>\", \"after\": <sequence, 0 or more>}: "
                            + "the changes after that sequence are delivered again");
        }
        String corpId = body.get("corpId").asText();
        long after = body.get("after").asLong();
        if (!store.corps().contains(corpId) || !s.covers(corpId)) {
            throw SubscriptionRequest.invalid("corpId " + corpId + " is not an enterprise this subscription delivers");
        }
        long latest = log.latest(corpId);
        if (after > latest) {
            throw SubscriptionRequest.invalid("after must be at most " + latest + ", the latest sequence of " + corpId);
        }
        OptionalLong oldest = log.oldest(corpId);
        if (after < latest && (oldest.isEmpty() || after < oldest.getAsLong() - 1)) {
            throw new RefusedException(
                    Refusal.GONE,
                    "the changes of " + corpId + " after sequence " + after + " were deleted "
                            + "(ORGSYNC_CHANGE_RETENTION_DAYS); the earliest replay is after="
                            + (oldest.isEmpty() ? latest : oldest.getAsLong() - 1));
        }
        cursors.moveTo(name, corpId, after);
        changed.run();
        return view(s);
    }

    /** An enterprise the subscription now covers and did not before starts at its latest change, as on create. */
    private void startNewlyCovered(Subscription before, Subscription after, List<String> corps) throws SQLException {
        var stored = cursors.cursors(after.name());
        for (String corpId : corps) {
            if (after.covers(corpId) && !before.covers(corpId) && !stored.containsKey(corpId)) {
                cursors.moveTo(after.name(), corpId, log.latest(corpId));
            }
        }
    }

    private long beginning(String corpId) throws SQLException {
        OptionalLong oldest = log.oldest(corpId);
        return oldest.isPresent() ? oldest.getAsLong() - 1 : log.latest(corpId);
    }

    private Subscription find(String name) throws SQLException {
        return store.find(SubscriptionRequest.name(name)).orElseThrow(() -> notFound(name));
    }

    private Map<String, Object> view(Subscription s) throws SQLException {
        Lag lag = Lag.of(s, store.corps(), cursors.cursors(s.name()), log, clock.millis());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", s.name());
        m.put("url", s.url());
        m.put("corpIds", s.corpIds());
        m.put("types", s.types() == null ? null : List.copyOf(s.types()));
        m.put("enabled", s.enabled());
        m.put("state", s.state());
        m.put("lag", Map.of("events", lag.events(), "seconds", lag.seconds()));
        m.put("lastDeliveredAt", Json.time(s.lastDeliveredAt()));
        m.put("lastError", s.lastError());
        m.put("createdAt", Json.time(s.createdAt()));
        return m;
    }

    private static RefusedException notFound(String name) {
        return new RefusedException(
                Refusal.NOT_FOUND, "no subscription " + name + " (GET /admin/api/subscriptions lists them)");
    }
}
