package io.orgsync.callback;

import io.orgsync.error.Refusal;
import io.orgsync.error.RefusedException;

/** A callback request refused before anything is stored: a bad signature, payload, receiver, time or a replay. */
public final class CallbackRejected extends RefusedException {
    public CallbackRejected(String message) {
        super(Refusal.INVALID_REQUEST, message);
    }
}
