package io.orgsync.schedule;

import io.orgsync.sync.Run;

/** A sync job as the admin API shows it; times are epoch milliseconds or null. */
public record JobView(
        String corpId, String state, String cron, Long nextFireTime, Long previousFireTime, Run lastRun) {}
