package io.orgsync.http;

import io.orgsync.error.Refusal;
import io.orgsync.error.RefusedException;

/** The {@code limit} of the admin API's lists (runs, alerts, events): 1 to 1,000, 50 when left out. */
public final class ListLimit {
    private ListLimit() {}

    public static int parse(String given) {
        if (given == null || given.isEmpty()) {
            return 50;
        }
        try {
            int n = Integer.parseInt(given);
            if (n >= 1 && n <= 1000) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // answered below
        }
        throw new RefusedException(Refusal.INVALID_REQUEST, "limit must be a whole number from 1 to 1000");
    }
}
