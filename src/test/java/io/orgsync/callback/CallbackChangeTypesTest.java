package io.orgsync.callback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.orgsync.NodeInternals;
import io.orgsync.simulator.EventSealer;
import io.orgsync.testing.AdminClient;
import io.orgsync.testing.ApiNode;
import io.orgsync.testing.MutableClock;
import io.orgsync.testing.SimulatorControl;
import io.orgsync.testing.TestDatabases;
import io.orgsync.testing.Waiting;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every change type WeCom sends under change_contact (docs/upstream.md), posted encrypted over
 * HTTP, ends APPLIED or SKIPPED: a tag change (orgsync keeps no tags), an unknown change type,
 * another kind of event and a field that is not a number are SKIPPED at once with their reason in
 * GET /admin/api/events, never retried.
 */
class CallbackChangeTypesTest {
    private static final String SECRET = "callback-types-secret-01";

    @RegisterExtension
    static final SimulatorControl sim = new SimulatorControl();

    private ApiNode node;

    @AfterEach
    void close() {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void everyChangeTypeEndsAppliedOrSkipped() throws Exception {
        String corp = "ww-cb-types";
        sim.createCorp(corp, SECRET, 3, 10, true);
        // moved on while waiting, so that an event retried with backoff would end FAILED quickly instead of in 31 s
        MutableClock clock = new MutableClock();
        node = ApiNode.start(
                "cb-types",
                TestDatabases.h2("callback_types"),
                sim,
                Map.of("ORGSYNC_ADMIN_TOKEN", CallbackFixture.ADMIN_TOKEN),
                clock);
        EventSealer wecom = CallbackFixture.syncedAndDirect(node, corp, SECRET);

        Map<String, String> expected = new LinkedHashMap<>();
        change(
                expected,
                "APPLIED",
                "create_user",
                "UserID",
                "ct-new",
                "Name",
                "类型新人",
                "Department",
                "1",
                "Mobile",
                "13900009001");
        change(expected, "APPLIED", "update_user", "UserID", "ct-new", "Name", "类型改名");
        change(expected, "APPLIED", "create_party", "Id", "7100", "Name", "类型部门", "ParentId", "1", "Order", "5");
        change(expected, "APPLIED", "update_party", "Id", "7100", "Name", "类型部门改名");
        change(expected, "SKIPPED", "update_tag", "TagId", "3", "AddUserItems", "ct-new", "DelPartyItems", "7100");
        change(expected, "APPLIED", "delete_user", "UserID", "ct-new");
        change(expected, "APPLIED", "delete_party", "Id", "7100");
        change(expected, "SKIPPED", "create_widget", "WidgetId", "9");
        change(expected, "SKIPPED", "update_party", "Id", "not-a-number", "Name", "坏的");
        long now = clock.millis() / 1000;
        int n = 0;
        for (String xml : expected.keySet()) {
            ApiNode.Response r = CallbackFixture.post(node, wecom, corp, now, "types" + n++, xml);
            assertEquals(200, r.status(), xml + ": " + new String(r.body(), java.nio.charset.StandardCharsets.UTF_8));
        }
        String other = "<xml><ToUserName><![CDATA[" + corp + "]]></ToUserName><CreateTime>" + now
                + "</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[enter_agent]]></Event></xml>";
        assertEquals(
                200,
                CallbackFixture.post(node, wecom, corp, now, "types-other", other)
                        .status());

        Waiting.until(Duration.ofSeconds(60), "no PENDING events", () -> {
            clock.advance(Duration.ofSeconds(4));
            return node.node.events().recent(corp, 100).stream().noneMatch(e -> e.status() == EventStatus.PENDING);
        });
        AdminClient.Reply listed = CallbackFixture.admin(node).get("/admin/api/events?corpId=" + corp + "&limit=100");
        assertEquals(200, listed.status(), listed.toString());
        JsonNode events = listed.json();
        assertEquals(expected.size() + 1, events.size(), listed.toString());
        List<String> statuses = new java.util.ArrayList<>();
        for (int i = events.size() - 1; i >= 0; i--) {
            statuses.add(events.get(i).path("changeType").asText() + " "
                    + events.get(i).path("status").asText());
        }
        List<String> wanted = new java.util.ArrayList<>();
        expected.forEach((xml, status) -> wanted.add(type(xml) + " " + status));
        wanted.add("enter_agent SKIPPED");
        assertEquals(wanted, statuses, listed.toString());
        for (JsonNode e : events) {
            assertEquals(1, e.path("attempts").asInt(), "applied or skipped at the first attempt: " + e);
        }
        assertTrue(reason(events, "update_tag").contains("tag"), listed.toString());
        assertTrue(reason(events, "create_widget").contains("create_widget"), listed.toString());
        assertTrue(reason(events, "enter_agent").contains("enter_agent"), listed.toString());
        assertTrue(events.toString().contains("not-a-number"), listed.toString());
        assertTrue(
                NodeInternals.members(node.node).byMobile("13900009001", corp).isEmpty(),
                "the deleted member answers no lookup");
    }

    private static void change(Map<String, String> into, String status, String type, String... fields) {
        Map<String, String> all = new LinkedHashMap<>();
        all.put("Event", "change_contact");
        all.put("ChangeType", type);
        for (int i = 0; i < fields.length; i += 2) {
            all.put(fields[i], fields[i + 1]);
        }
        into.put(CallbackFixture.changeXml("ww-cb-types", 1_700_000_000L + into.size(), all), status);
    }

    private static String type(String xml) {
        int at = xml.indexOf("<ChangeType><![CDATA[") + "<ChangeType><![CDATA[".length();
        return xml.substring(at, xml.indexOf(']', at));
    }

    private static String reason(JsonNode events, String type) {
        for (JsonNode e : events) {
            if (e.path("changeType").asText().equals(type)) {
                return e.path("error").asText();
            }
        }
        throw new AssertionError("no " + type + " event in " + events);
    }
}
