package io.orgsync.callback;

/** A received event as {@code callback_event} keeps it; times are epoch milliseconds, {@code createTime} WeCom's seconds. */
public record StoredEvent(
        long id,
        String corpId,
        String changeType,
        String subject,
        long createTime,
        String fingerprint,
        ContactEvent event,
        long receivedAt,
        EventStatus status,
        int attempts,
        Long appliedAt,
        String error) {}
