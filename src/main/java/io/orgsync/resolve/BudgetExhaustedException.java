package io.orgsync.resolve;

import io.orgsync.error.Refusal;
import io.orgsync.error.RefusedException;

/**
 * A resolve refused to keep WeCom from blocking the enterprise's getuserid: the day's budget of
 * "not found" answers is spent (retry after midnight China time), or resolves in flight hold
 * the rest of it (retry in a few seconds).
 */
public final class BudgetExhaustedException extends RefusedException {
    BudgetExhaustedException(String message, long retryAfterSeconds) {
        super(Refusal.BUDGET_EXHAUSTED, message, retryAfterSeconds);
    }
}
