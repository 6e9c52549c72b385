package io.orgsync.schedule;

import io.orgsync.error.Refusal;
import io.orgsync.error.RefusedException;

/** No sync job of that enterprise in this environment's scheduler. */
public final class UnknownJobException extends RefusedException {
    private final String corpId;

    UnknownJobException(String corpId) {
        super(Refusal.UNKNOWN_CORP, "no sync job for " + corpId + " in this environment");
        this.corpId = corpId;
    }

    public String corpId() {
        return corpId;
    }
}
