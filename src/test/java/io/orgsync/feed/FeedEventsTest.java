package io.orgsync.feed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orgsync.error.RefusedException;
import io.orgsync.org.OrgChange;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The pure rules of the feed: an event's CloudEvents shape, signing keys, the backoff, filters. */
class FeedEventsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final OrgChange.Touched NONE = new OrgChange.Touched(Set.of(), Set.of(), Set.of(), Set.of(), false);

    private static OrgChange change(OrgChange.Kind kind, List<String> fields) {
        return new OrgChange(
                "ww1",
                42,
                kind,
                "zhangsan",
                fields,
                OrgChange.Source.SYNC,
                1_700_000_000_123L,
                NONE,
                "{\"userid\":\"zhangsan\",\"name\":\"Zhang San\"}");
    }

    @Test
    void anUpdateIsAStructuredCloudEventWithItsChangedFields() throws Exception {
        JsonNode e =
                JSON.readTree(new FeedEvents("prod").event(change(OrgChange.Kind.MEMBER_UPDATED, List.of("name"))));
        assertEquals("1.0", e.path("specversion").asText());
        assertEquals("ww1:42", e.path("id").asText());
        assertEquals("io.orgsync.member.updated", e.path("type").asText());
        assertEquals("/orgsync/prod/corps/ww1", e.path("source").asText());
        assertEquals("zhangsan", e.path("subject").asText());
        assertEquals("2023-11-14T22:13:20.123Z", e.path("time").asText());
        assertEquals("application/json", e.path("datacontenttype").asText());
        assertEquals("ww1", e.path("corpid").asText());
        assertEquals("42", e.path("sequence").asText());
        assertEquals("Zhang San", e.path("data").path("name").asText());
        assertEquals("[\"name\"]", e.path("data").path("changedFields").toString());
    }

    @Test
    void onlyUpdatesCarryChangedFields() throws Exception {
        JsonNode e = JSON.readTree(new FeedEvents("prod").event(change(OrgChange.Kind.MEMBER_CREATED, List.of())));
        assertEquals("io.orgsync.member.created", e.path("type").asText());
        assertFalse(e.path("data").has("changedFields"));
    }

    @Test
    void generatedKeysPassTheirOwnCheckAndBadKeysAreRefusedWithoutBeingRepeated() {
        String key = FeedSecrets.generate();
        assertEquals(key, FeedSecrets.check(key));
        RefusedException e = assertThrows(RefusedException.class, () -> FeedSecrets.check("whsec_%%%secretish"));
        assertFalse(e.getMessage().contains("secretish"), e.getMessage());
        assertThrows(RefusedException.class, () -> FeedSecrets.check("abc"));
        assertThrows(RefusedException.class, () -> FeedSecrets.check("whsec_c2hvcnQ="));
    }

    @Test
    void theBackoffDoublesFromOneSecondToTenMinutes() {
        assertEquals(1_000, Lane.backoffMillis(1));
        assertEquals(2_000, Lane.backoffMillis(2));
        assertEquals(512_000, Lane.backoffMillis(10));
        assertEquals(600_000, Lane.backoffMillis(11));
        assertEquals(600_000, Lane.backoffMillis(1000));
    }

    @Test
    void aReceiversAnswerIsCutTo200Characters() {
        assertEquals(203, FeedSender.cut("x".repeat(500)).length());
        assertEquals("short", FeedSender.cut("short"));
    }

    @Test
    void typesAreAcceptedWithOrWithoutThePrefixAndUnknownOnesListTheSix() throws Exception {
        SubscriptionRequest r = SubscriptionRequest.parse(
                JSON.readTree(
                        "{\"url\":\"https://h/x\",\"types\":[\"member.created\",\"io.orgsync.department.deleted\"]}"),
                true);
        assertEquals(Set.of("io.orgsync.member.created", "io.orgsync.department.deleted"), r.types());
        assertTrue(r.enabled());
        assertFalse(r.beginning());
        RefusedException e = assertThrows(
                RefusedException.class,
                () -> SubscriptionRequest.parse(JSON.readTree("{\"url\":\"https://h/x\",\"types\":[\"x\"]}"), true));
        assertTrue(e.getMessage().contains("io.orgsync.department.updated"), e.getMessage());
    }
}
