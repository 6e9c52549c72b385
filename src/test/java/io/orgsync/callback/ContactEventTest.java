package io.orgsync.callback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** One decrypted contact-change event: what it is about, whether orgsync writes it, and its fingerprint. */
class ContactEventTest {
    private static String xml(String... fieldsAndValues) {
        StringBuilder out = new StringBuilder("<xml><CreateTime>1767225600</CreateTime>");
        for (int i = 0; i < fieldsAndValues.length; i += 2) {
            String f = fieldsAndValues[i];
            out.append('<')
                    .append(f)
                    .append("><![CDATA[")
                    .append(fieldsAndValues[i + 1])
                    .append("]]></")
                    .append(f)
                    .append('>');
        }
        return out.append("</xml>").toString();
    }

    private static ContactEvent change(String changeType, String... more) {
        String[] all = new String[more.length + 6];
        all[0] = "MsgType";
        all[1] = "event";
        all[2] = "Event";
        all[3] = "change_contact";
        all[4] = "ChangeType";
        all[5] = changeType;
        System.arraycopy(more, 0, all, 6, more.length);
        return ContactEvent.parse(xml(all));
    }

    private static ContactEvent fields(Map<String, String> fields) {
        return new ContactEvent(fields);
    }

    @Test
    void aMemberChangeIsAboutItsUserid() {
        ContactEvent e = change("update_user", "UserID", "zhangsan");
        assertEquals("update_user", e.changeType());
        assertEquals("user:zhangsan", e.subject());
        assertEquals(1767225600L, e.createTime());
    }

    @Test
    void aDepartmentChangeIsAboutItsId() {
        assertEquals("party:7", change("create_party", "Id", "7").subject());
    }

    @Test
    void aTagChangeIsAboutItsTagId() {
        assertEquals("tag:3", change("update_tag", "TagId", "3").subject());
    }

    @Test
    void anotherEventIsAboutItsEventName() {
        ContactEvent e = ContactEvent.parse(xml("MsgType", "event", "Event", "enter_agent"));
        assertEquals("enter_agent", e.changeType());
        assertEquals("enter_agent:", e.subject());
    }

    @Test
    void aMessageThatIsNoEventIsAboutItsMsgType() {
        assertEquals("text", ContactEvent.parse(xml("MsgType", "text")).changeType());
    }

    @Test
    void aContactChangeWithoutChangeTypeIsRejected() {
        String bare = xml("MsgType", "event", "Event", "change_contact", "UserID", "zs");
        assertThrows(CallbackRejected.class, () -> ContactEvent.parse(bare));
    }

    @Test
    void aMemberChangeWithoutUseridIsRejected() {
        CallbackRejected e = assertThrows(CallbackRejected.class, () -> change("delete_user"));
        assertTrue(e.getMessage().contains("UserID"), e.getMessage());
    }

    @Test
    void aDepartmentChangeWithAnEmptyIdIsRejected() {
        assertThrows(CallbackRejected.class, () -> change("delete_party", "Id", ""));
    }

    @Test
    void anEventWithoutCreateTimeIsRejected() {
        assertThrows(CallbackRejected.class, () -> ContactEvent.parse("<xml><MsgType>event</MsgType></xml>"));
    }

    @Test
    void aCreateTimeThatIsNotEpochSecondsIsRejected() {
        assertThrows(
                CallbackRejected.class,
                () -> ContactEvent.parse("<xml><CreateTime>2026-01-01</CreateTime><MsgType>event</MsgType></xml>"));
    }

    @Test
    void memberAndDepartmentChangesAreWritten() {
        for (String type : new String[] {
            "create_user", "update_user", "delete_user", "create_party", "update_party", "delete_party"
        }) {
            String id = type.endsWith("_user") ? "UserID" : "Id";
            assertNull(change(type, id, "1").notWritten(), type);
        }
    }

    @Test
    void aTagChangeIsNotWrittenBecauseOrgsyncKeepsNoTags() {
        assertTrue(change("update_tag", "TagId", "3").notWritten().contains("keeps no tags"));
    }

    @Test
    void anUndocumentedChangeTypeIsNotWritten() {
        assertTrue(change("merge_user", "UserID", "zs").notWritten().contains("unknown change type merge_user"));
    }

    @Test
    void anEventThatIsNoContactChangeIsNotWritten() {
        ContactEvent e = ContactEvent.parse(xml("MsgType", "event", "Event", "enter_agent"));
        assertTrue(e.notWritten().startsWith("not a contact change (enter_agent)"), e.notWritten());
    }

    @Test
    void aMemberDepartmentListOfNumbersIsWritten() {
        assertNull(change("update_user", "UserID", "zs", "Department", "1, 2,3", "MainDepartment", "2", "Status", "1")
                .notWritten());
    }

    @Test
    void anEmptyDepartmentListIsWritten() {
        assertNull(change("update_user", "UserID", "zs", "Department", "").notWritten());
    }

    @Test
    void aDepartmentListThatIsNotNumbersIsNotWrittenAndTheValueIsCut() {
        String value = "1,x".repeat(30);
        String reason =
                change("update_user", "UserID", "zs", "Department", value).notWritten();

        assertTrue(reason.contains("Department '" + value.substring(0, 40) + "'"), reason);
        assertFalse(reason.contains(value.substring(0, 41)), reason);
    }

    @Test
    void aDepartmentIdTooLargeForAnIntIsNotWritten() {
        assertTrue(change("update_user", "UserID", "zs", "MainDepartment", "1234567890")
                .notWritten()
                .contains("MainDepartment"));
    }

    @Test
    void aDepartmentParentThatIsNotANumberIsNotWritten() {
        assertTrue(
                change("update_party", "Id", "7", "ParentId", "-1").notWritten().contains("ParentId"));
    }

    @Test
    void aDepartmentOrderMayBeALongNumber() {
        assertNull(change("update_party", "Id", "7", "Order", "99999999999").notWritten());
    }

    @Test
    void anIdsOnlyMemberEventCarriesNoData() {
        assertFalse(change("create_user", "UserID", "zs").carriesData());
    }

    @Test
    void aMemberEventWithAnyMemberFieldCarriesData() {
        assertTrue(
                change("update_user", "UserID", "zs", "Mobile", "13800000000").carriesData());
    }

    @Test
    void aDepartmentEventCarriesDataOnlyWithNameOrOrder() {
        assertFalse(change("update_party", "Id", "7", "ParentId", "1").carriesData());
        assertTrue(change("update_party", "Id", "7", "Order", "3").carriesData());
    }

    @Test
    void theFingerprintDoesNotDependOnFieldOrder() {
        Map<String, String> a = new LinkedHashMap<>();
        a.put("UserID", "zs");
        a.put("Mobile", "1");
        Map<String, String> b = new LinkedHashMap<>();
        b.put("Mobile", "1");
        b.put("UserID", "zs");

        assertEquals(fields(a).fingerprint(), fields(b).fingerprint());
        assertTrue(fields(a).fingerprint().matches("[0-9a-f]{40}"));
    }

    @Test
    void twoChangesDifferingInOneFieldHaveDifferentFingerprints() {
        assertNotEquals(
                fields(Map.of("UserID", "zs", "Mobile", "1")).fingerprint(),
                fields(Map.of("UserID", "zs", "Mobile", "2")).fingerprint());
    }

    @Test
    void theFingerprintSeparatesFieldNamesFromValues() {
        assertNotEquals(
                fields(Map.of("ab", "c")).fingerprint(),
                fields(Map.of("a", "bc")).fingerprint());
    }

    @Test
    void theFieldsCannotBeChangedAfterwards() {
        Map<String, String> source = new LinkedHashMap<>(Map.of("UserID", "zs"));
        ContactEvent e = fields(source);
        source.put("UserID", "other");

        assertEquals("zs", e.get("UserID"));
        assertThrows(UnsupportedOperationException.class, () -> e.fields().put("x", "y"));
    }
}
