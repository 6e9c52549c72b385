package io.orgsync.alert;

/**
 * An alert key as the cluster recorded it: when it was first and last raised, how often (the
 * repeats that were not sent included), the latest message, and what each sink made of the
 * last sending ("ok", "queued", "failed: HTTP 500", "not configured", "pending").
 */
public record AlertRecord(
        String type,
        String subject,
        String message,
        long firstAt,
        long lastAt,
        long count,
        String webhook,
        String email) {}
