package io.orgsync.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.orgsync.error.Refusal;
import io.orgsync.error.RefusedException;
import org.junit.jupiter.api.Test;

/** Page cursors: they round-trip, carry no readable key beyond base64, and refuse any edit or other query. */
class CursorsTest {
    private static final String SCOPE = "/api/v1/enterprises/wwacme/members?department=2";
    private final Cursors cursors = Cursors.keyedBy("a-secret-key");

    private void assertRefused(Cursors by, String scope, String cursor) {
        RefusedException e = assertThrows(RefusedException.class, () -> by.open(scope, cursor));
        assertEquals(Refusal.INVALID_REQUEST, e.reason());
    }

    @Test
    void aCursorOpensToTheKeyItWasIssuedFor() {
        assertEquals("zhangsan", cursors.open(SCOPE, cursors.issue(SCOPE, "zhangsan")));
    }

    @Test
    void aKeyOutsideAsciiRoundTrips() {
        assertEquals("张三@部门", cursors.open(SCOPE, cursors.issue(SCOPE, "张三@部门")));
    }

    @Test
    void aCursorIsUrlSafe() {
        String cursor = cursors.issue(SCOPE, "user?with/odd+chars=");
        assertTrue(cursor.matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+"), cursor);
    }

    @Test
    void theLongestUseridGivesACursorWithinTheLimit() {
        String cursor = cursors.issue(SCOPE, "u".repeat(64));
        assertTrue(cursor.length() <= Cursors.MAX_LENGTH, cursor.length() + " characters");
        assertEquals("u".repeat(64), cursors.open(SCOPE, cursor));
    }

    @Test
    void aCursorIsRefusedForAnotherScope() {
        String cursor = cursors.issue(SCOPE, "zhangsan");
        assertRefused(cursors, SCOPE + "&status=1", cursor);
    }

    @Test
    void aCursorWithAnEditedKeyIsRefused() {
        String cursor = cursors.issue(SCOPE, "zhangsan");
        String mac = cursor.substring(cursor.indexOf('.'));
        String other = cursors.issue(SCOPE, "lisi");
        String edited = other.substring(0, other.indexOf('.')) + mac;
        assertRefused(cursors, SCOPE, edited);
    }

    @Test
    void aCursorWithOneCharacterChangedIsRefused() {
        String cursor = cursors.issue(SCOPE, "zhangsan");
        char last = cursor.charAt(cursor.length() - 1);
        String changed = cursor.substring(0, cursor.length() - 1) + (last == 'A' ? 'B' : 'A');
        assertRefused(cursors, SCOPE, changed);
    }

    @Test
    void aCutCursorIsRefused() {
        String cursor = cursors.issue(SCOPE, "zhangsan");
        assertRefused(cursors, SCOPE, cursor.substring(0, cursor.length() - 2));
    }

    @Test
    void aCursorWithoutMacIsRefused() {
        assertRefused(cursors, SCOPE, "emhhbmdzYW4");
    }

    @Test
    void aCursorStartingWithTheDotIsRefused() {
        assertRefused(cursors, SCOPE, ".abc");
    }

    @Test
    void aCursorThatIsNotBase64IsRefused() {
        assertRefused(cursors, SCOPE, "not*base64.abc");
    }

    @Test
    void aCursorLongerThanTheLimitIsRefusedBeforeDecoding() {
        assertRefused(cursors, SCOPE, "a".repeat(Cursors.MAX_LENGTH) + ".b");
    }

    @Test
    void nodesWithTheSameSecretKeyAcceptEachOthersCursors() {
        Cursors other = Cursors.keyedBy("a-secret-key");
        assertEquals("zhangsan", other.open(SCOPE, cursors.issue(SCOPE, "zhangsan")));
    }

    @Test
    void aNodeWithAnotherSecretKeyRefusesTheCursor() {
        assertRefused(Cursors.keyedBy("another-key"), SCOPE, cursors.issue(SCOPE, "zhangsan"));
    }

    @Test
    void nodesWithoutSecretKeyDrawKeysOfTheirOwn() {
        Cursors a = Cursors.keyedBy(null);
        Cursors b = Cursors.keyedBy(null);
        String cursor = a.issue(SCOPE, "zhangsan");

        assertEquals("zhangsan", a.open(SCOPE, cursor));
        assertNotEquals(cursor, b.issue(SCOPE, "zhangsan"));
        assertRefused(b, SCOPE, cursor);
    }

    @Test
    void theRefusalTellsTheCallerWhatToDoWithoutEchoingTheCursor() {
        RefusedException e = assertThrows(RefusedException.class, () -> cursors.open(SCOPE, "abc.def"));
        assertTrue(e.getMessage().contains("nextCursor"), e.getMessage());
        assertFalse(e.getMessage().contains("abc.def"), e.getMessage());
    }
}
