package io.orgsync.callback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** WeCom's flat callback XML as a field map; anything else, and any DTD or entity, is refused unparsed. */
class CallbackXmlTest {
    private static CallbackRejected refused(String xml) {
        return assertThrows(CallbackRejected.class, () -> CallbackXml.fields(xml));
    }

    @Test
    void theRootsChildrenBecomeFieldsInDocumentOrder() {
        Map<String, String> fields = CallbackXml.fields(
                "<xml><ToUserName><![CDATA[wwacme]]></ToUserName><Encrypt><![CDATA[abc==]]></Encrypt>"
                        + "<AgentID>1000002</AgentID></xml>");

        assertEquals(List.of("ToUserName", "Encrypt", "AgentID"), List.copyOf(fields.keySet()));
        assertEquals("wwacme", fields.get("ToUserName"));
        assertEquals("abc==", fields.get("Encrypt"));
        assertEquals("1000002", fields.get("AgentID"));
    }

    @Test
    void cdataKeepsMarkupCharactersAsText() {
        assertEquals(
                "a<b>&c",
                CallbackXml.fields("<xml><Name><![CDATA[a<b>&c]]></Name></xml>").get("Name"));
    }

    @Test
    void anEmptyFieldIsAnEmptyString() {
        assertEquals("", CallbackXml.fields("<xml><Mobile></Mobile></xml>").get("Mobile"));
    }

    @Test
    void textBetweenFieldsIsIgnored() {
        Map<String, String> fields = CallbackXml.fields("<xml>\n  <A>1</A>\n  stray\n  <B>2</B>\n</xml>");
        assertEquals(Map.of("A", "1", "B", "2"), fields);
    }

    @Test
    void anotherRootElementIsRefused() {
        assertTrue(refused("<root><A>1</A></root>").getMessage().contains("<xml>"));
    }

    @Test
    void aRepeatedFieldIsRefused() {
        assertTrue(refused("<xml><UserID>a</UserID><UserID>b</UserID></xml>")
                .getMessage()
                .contains("<UserID>"));
    }

    @Test
    void textThatIsNotXmlIsRefused() {
        refused("{\"Encrypt\": \"abc\"}");
    }

    @Test
    void anEmptyBodyIsRefused() {
        refused("");
    }

    @Test
    void unclosedXmlIsRefused() {
        refused("<xml><Encrypt>abc</Encrypt>");
    }

    @Test
    void aDoctypeIsRefusedSoNoEntityIsEverExpanded() {
        refused("<!DOCTYPE xml [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]>"
                + "<xml><Name>&b;</Name></xml>");
    }

    @Test
    void anExternalEntityIsRefusedAndNotRead() {
        CallbackRejected e =
                refused("<!DOCTYPE xml [<!ENTITY x SYSTEM \"file:///etc/hostname\">]><xml><Name>&x;</Name></xml>");
        assertFalse(e.getMessage().contains("hostname"), e.getMessage());
    }

    @Test
    void theRefusalIsAnInvalidRequestThatDoesNotEchoTheBody() {
        CallbackRejected e = refused("<xml><Secret>s3cr3t</Secret>");
        assertEquals(io.orgsync.error.Refusal.INVALID_REQUEST, e.reason());
        assertFalse(e.getMessage().contains("s3cr3t"), e.getMessage());
    }
}
