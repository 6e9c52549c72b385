package io.orgsync.wecom;

import java.util.Optional;
import java.util.Set;

/**
 * A read through a secret that may not read everything: {@code readable} false when the secret
 * may not read it at all ({@code idsOnly} when that is because it answered 48009: a contact-sync
 * secret on a new IP, which reads ids only); else {@code value}, empty when WeCom has no such thing.
 */
public record Readable<T>(boolean readable, Optional<T> value, boolean idsOnly) {
    /** 60011: outside the app's visible range; 48009: a contact-sync secret on a new IP. */
    static final Set<Integer> NOT_FOR_THIS_SECRET = Set.of(60011, ContactIds.IDS_ONLY);

    static <T> Readable<T> read(Optional<T> value) {
        return new Readable<>(true, value, false);
    }

    static <T> Readable<T> unreadable(int errcode) {
        return new Readable<>(false, Optional.empty(), errcode == ContactIds.IDS_ONLY);
    }
}
