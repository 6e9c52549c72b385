package io.orgsync.simulator;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** Group-robot messages received, per webhook key, oldest first. */
final class WebhookInbox {
    private final Map<String, List<Map<String, Object>>> messages = new ConcurrentHashMap<>();

    void add(String key, Map<String, Object> body, Instant at) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("receivedAt", at.toString());
        entry.put("message", body);
        messages.computeIfAbsent(key, k -> new CopyOnWriteArrayList<>()).add(entry);
    }

    List<Map<String, Object>> of(String key) {
        return new ArrayList<>(messages.getOrDefault(key, List.of()));
    }

    void clear() {
        messages.clear();
    }
}
