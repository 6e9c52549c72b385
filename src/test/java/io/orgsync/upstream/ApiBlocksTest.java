package io.orgsync.upstream;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.orgsync.testing.ManualClock;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** APIs blocked by a 45009 are refused locally, per corp and API, until the block has passed. */
class ApiBlocksTest {
    private static final URI BASE = URI.create("http://127.0.0.1:1");
    private final ManualClock clock = new ManualClock();
    private final ApiBlocks blocks = new ApiBlocks(clock);

    private static UpstreamRequest request(String subject, String api) {
        return UpstreamRequest.get(Family.WECOM, BASE, api, null, subject, Map.of(), Set.of());
    }

    private static final UpstreamRequest USER_GET = request("wwacme", "/cgi-bin/user/get");

    @Test
    void anApiThatWasNeverBlockedPasses() {
        assertDoesNotThrow(() -> blocks.check(USER_GET));
    }

    @Test
    void theBlockFailureSaysHowLongTheBlockLasts() {
        UpstreamException e = blocks.blocked(USER_GET, 45009);

        assertEquals(UpstreamException.Kind.RATE_LIMITED, e.kind());
        assertEquals(45009, e.errcode());
        assertEquals("/cgi-bin/user/get", e.api());
        assertEquals(ApiBlocks.BLOCK_MILLIS / 1000, e.retryAfterSeconds());
        assertTrue(e.getMessage().contains("not calling it again for 60 s"), e.getMessage());
    }

    @Test
    void aBlockedApiIsRefusedLocallyWithTheSecondsLeft() {
        blocks.blocked(USER_GET, 45009);
        clock.advance(Duration.ofSeconds(20));

        UpstreamException e = assertThrows(UpstreamException.class, () -> blocks.check(USER_GET));

        assertEquals(UpstreamException.Kind.RATE_LIMITED, e.kind());
        assertEquals(45009, e.errcode());
        assertEquals(40, e.retryAfterSeconds());
        assertTrue(e.getMessage().contains("for another 40 s"), e.getMessage());
    }

    @Test
    void thePartOfASecondLeftCountsAsAWholeSecond() {
        blocks.blocked(USER_GET, 45009);
        clock.advance(Duration.ofMillis(ApiBlocks.BLOCK_MILLIS - 1));

        UpstreamException e = assertThrows(UpstreamException.class, () -> blocks.check(USER_GET));
        assertEquals(1, e.retryAfterSeconds());
    }

    @Test
    void theBlockEndsExactlyAfterItsLength() {
        blocks.blocked(USER_GET, 45009);
        clock.advance(Duration.ofMillis(ApiBlocks.BLOCK_MILLIS));

        assertDoesNotThrow(() -> blocks.check(USER_GET));
    }

    @Test
    void otherApisOfTheSameCorpGoOn() {
        blocks.blocked(USER_GET, 45009);

        assertDoesNotThrow(() -> blocks.check(request("wwacme", "/cgi-bin/department/list")));
    }

    @Test
    void theSameApiOfAnotherCorpGoesOn() {
        blocks.blocked(USER_GET, 45009);

        assertDoesNotThrow(() -> blocks.check(request("wwother", "/cgi-bin/user/get")));
    }

    @Test
    void aNewBlockStartsTheWaitAgain() {
        blocks.blocked(USER_GET, 45009);
        clock.advance(Duration.ofSeconds(50));
        blocks.blocked(USER_GET, 45009);
        clock.advance(Duration.ofSeconds(50));

        UpstreamException e = assertThrows(UpstreamException.class, () -> blocks.check(USER_GET));
        assertEquals(10, e.retryAfterSeconds());
    }

    @Test
    void theBlockKeepsTheErrcodeItWasGivenButTheLocalRefusalSays45009() {
        assertEquals(45011, blocks.blocked(USER_GET, 45011).errcode());
        assertEquals(
                45009,
                assertThrows(UpstreamException.class, () -> blocks.check(USER_GET))
                        .errcode());
    }
}
