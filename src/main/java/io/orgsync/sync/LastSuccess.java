package io.orgsync.sync;

/**
 * An enabled enterprise with its schedule, its registration and when its newest SUCCEEDED run
 * ended ({@code lastSuccessAt} null while it has none): what the freshness gauges report.
 */
public record LastSuccess(String corpId, String cron, long createdAt, Long lastSuccessAt) {}
