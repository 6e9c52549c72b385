package io.orgsync.cluster;

/** A node as it last reported itself; {@code alive} is derived from {@code lastSeen}. */
public record ClusterNode(
        String instanceId,
        String env,
        String version,
        boolean schedulerEnabled,
        boolean readOnly,
        boolean fenced,
        long startedAt,
        long lastSeen,
        boolean alive) {}
