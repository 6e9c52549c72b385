package io.orgsync.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What a client does about each errcode, for WeCom and WeChat, with and without a token on the call. */
class OutcomeTest {
    @Test
    void zeroIsOk() {
        assertEquals(Outcome.OK, Outcome.of(Family.WECOM, 0, true));
    }

    @Test
    void minusOneIsBusy() {
        assertEquals(Outcome.BUSY, Outcome.of(Family.WECHAT, -1, true));
    }

    @Test
    void tooManyConcurrentCallsIsConcurrency() {
        assertEquals(Outcome.CONCURRENCY, Outcome.of(Family.WECOM, 45033, true));
    }

    @Test
    void callLimitReachedIsBlocked() {
        assertEquals(Outcome.BLOCKED, Outcome.of(Family.WECOM, 45009, false));
    }

    @ParameterizedTest
    @ValueSource(ints = {40014, 42001})
    void anInvalidOrExpiredTokenOnAWecomCallIsTokenRejected(int errcode) {
        assertEquals(Outcome.TOKEN_REJECTED, Outcome.of(Family.WECOM, errcode, true));
    }

    @Test
    void aWrongSecretOnAWecomCallIsConfigurationNotARejectedToken() {
        // WeCom's 40001 is the secret, not the token: replacing the token cannot help
        assertEquals(Outcome.CONFIGURATION, Outcome.of(Family.WECOM, 40001, true));
    }

    @ParameterizedTest
    @ValueSource(ints = {40001, 40014, 42001})
    void anInvalidOrExpiredTokenOnAWechatCallIsTokenRejected(int errcode) {
        assertEquals(Outcome.TOKEN_REJECTED, Outcome.of(Family.WECHAT, errcode, true));
    }

    @Test
    void aTokenErrcodeOnACallWithoutTokenIsNotATokenRejection() {
        assertEquals(Outcome.FAILED, Outcome.of(Family.WECOM, 42001, false));
        assertEquals(Outcome.CONFIGURATION, Outcome.of(Family.WECHAT, 40001, false));
    }

    @ParameterizedTest
    @ValueSource(ints = {40013, 40125, 40164, 48002, 48009, 60011, 60020})
    void settingsOnTheUpstreamSideAreConfiguration(int errcode) {
        assertEquals(Outcome.CONFIGURATION, Outcome.of(Family.WECOM, errcode, true));
        assertEquals(Outcome.CONFIGURATION, Outcome.of(Family.WECHAT, errcode, false));
    }

    @ParameterizedTest
    @ValueSource(ints = {46004, 60111, 40003, 1, -2})
    void anyOtherErrcodeFails(int errcode) {
        assertEquals(Outcome.FAILED, Outcome.of(Family.WECOM, errcode, true));
    }
}
