package io.orgsync.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** What the last line of defence for log output takes out of library messages, and what it leaves. */
class RedactionTest {
    @Test
    void nullStaysNull() {
        assertNull(Redaction.redact(null));
    }

    @Test
    void emptyStaysEmpty() {
        assertEquals("", Redaction.redact(""));
    }

    @Test
    void plainTextIsKeptAsItIs() {
        String text = "Connection is not available, request timed out after 30000ms.";
        assertEquals(text, Redaction.redact(text));
    }

    @Test
    void anH2StatementIsCutUpToItsErrorCodeTrailer() {
        String h2 = "Unique index or primary key violation: \"PUBLIC.PK\"; SQL statement:\n"
                + "INSERT INTO member (userid, mobile) VALUES ('zhangsan', '13800000000') [23505-232]";

        String out = Redaction.redact(h2);

        assertEquals("Unique index or primary key violation: \"PUBLIC.PK\" [statement not logged] [23505-232]", out);
    }

    @Test
    void anH2StatementWithoutTrailerIsCutToTheEnd() {
        String out = Redaction.redact("Syntax error; SQL statement: SELECT mobile FROM member WHERE userid = 'x'");

        assertFalse(out.contains("SELECT"), out);
        assertTrue(out.startsWith("Syntax error [statement not logged]"), out);
    }

    @Test
    void theTextNearAMySqlSyntaxErrorIsCut() {
        String mysql = "You have an error in your SQL syntax; check the manual that corresponds to your MariaDB server "
                + "version for the right syntax to use near 'VALUES ('13800000000')' at line 1";

        String out = Redaction.redact(mysql);

        assertFalse(out.contains("13800000000"), out);
        assertTrue(out.endsWith("near [statement not logged] at line 1"), out);
    }

    @Test
    void theValueOfADuplicateKeyIsCut() {
        String out = Redaction.redact("Duplicate entry '13800000000-wwacme' for key 'member.uk_mobile'");

        assertEquals("Duplicate entry [value not logged] for key 'member.uk_mobile'", out);
    }

    @Test
    void anAccessTokenInAUrlIsMasked() {
        String out = Redaction.redact("GET https://qyapi.weixin.qq.com/cgi-bin/user/get?access_token=abc123&userid=zs");

        assertEquals("GET https://qyapi.weixin.qq.com/cgi-bin/user/get?access_token=***&userid=zs", out);
    }

    @Test
    void everyCredentialParameterIsMasked() {
        String out = Redaction.redact("key=k1 corpsecret=c1 secret=s1 password=p1 pwd=w1");

        assertEquals("key=*** corpsecret=*** secret=*** password=*** pwd=***", out);
    }

    @Test
    void credentialNamesAreMatchedWhateverTheirCase() {
        assertEquals("Password=***", Redaction.redact("Password=hunter2"));
    }

    @Test
    void aMaskedValueEndsAtAQuoteOrComma() {
        assertEquals("url='x?secret=***', next", Redaction.redact("url='x?secret=s3cr3t', next"));
    }

    @Test
    void aWordThatOnlyEndsInKeyIsNotMasked() {
        String text = "monkey=banana";
        assertEquals(text, Redaction.redact(text));
    }

    @Test
    void severalRulesApplyToOneMessage() {
        String out = Redaction.redact("call ?access_token=t0k failed: Duplicate entry 'v' for key 'k'");

        assertEquals("call ?access_token=*** failed: Duplicate entry [value not logged] for key 'k'", out);
    }
}
