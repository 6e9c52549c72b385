package io.orgsync.enterprise;

import io.orgsync.error.Refusal;
import io.orgsync.error.RefusedException;

/** No enterprise with this corp id is registered (or it was removed meanwhile). */
public final class UnknownEnterpriseException extends RefusedException {
    private final String corpId;

    public UnknownEnterpriseException(String corpId) {
        this(corpId, "no enterprise " + corpId + "; add it with PUT /admin/api/enterprises/" + corpId);
    }

    public UnknownEnterpriseException(String corpId, String message) {
        super(Refusal.UNKNOWN_CORP, message);
        this.corpId = corpId;
    }

    public String corpId() {
        return corpId;
    }
}
