package io.orgsync.simulator;

import static io.orgsync.simulator.SimHttp.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The contact-change events in both payload styles (docs/upstream.md, "WeCom contact-change
 * callbacks"), received over HTTP and opened as a receiver would: the full style of callbacks set
 * up before 2022-08-15, and the ids style since, where a department's rename sends nothing.
 */
class CallbackStylesTest {
    @RegisterExtension
    static final SimHttp s = new SimHttp();

    static final String CORP = "wwcb";
    static final String TOKEN = EventSealerTest.TOKEN;
    static final String AES_KEY = EventSealerTest.AES_KEY;
    static final Pattern FIELD = Pattern.compile("<(\\w+)>(?:<!\\[CDATA\\[(.*?)]]>|([^<]*))</\\1>");
    static final BlockingQueue<Map<String, String>> received = new LinkedBlockingQueue<>();
    static HttpServer receiver;

    @BeforeAll
    static void listen() throws IOException {
        EventSealer opener = new EventSealer(TOKEN, AES_KEY, CORP);
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/cb", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Matcher encrypt =
                    Pattern.compile("<Encrypt><!\\[CDATA\\[(.*?)]]></Encrypt>").matcher(body);
            if (encrypt.find()) {
                String[] opened = opener.open(encrypt.group(1));
                Map<String, String> fields = new LinkedHashMap<>();
                Matcher m = FIELD.matcher(opened[0].replaceFirst("^<xml>", "").replaceFirst("</xml>$", ""));
                while (m.find()) {
                    fields.put(m.group(1), m.group(2) != null ? m.group(2) : m.group(3));
                }
                received.add(fields);
            }
            byte[] ok = "success".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, ok.length);
            exchange.getResponseBody().write(ok);
            exchange.close();
        });
        receiver.start();
    }

    @AfterAll
    static void stop() {
        receiver.stop(0);
    }

    private void register(String style) {
        received.clear();
        s.corp(CORP, 6, 30, 11, true);
        String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/cb";
        SimHttp.Resp r = s.put(
                "/__sim/corps/" + CORP + "/callback",
                map("url", url, "token", TOKEN, "aesKey", AES_KEY, "style", style));
        assertEquals(200, r.status(), r::text);
    }

    private static Map<String, String> next() throws InterruptedException {
        Map<String, String> event = received.poll(10, TimeUnit.SECONDS);
        assertNotNull(event, "no event within 10 s");
        assertEquals(CORP, event.get("ToUserName"));
        assertEquals("sys", event.get("FromUserName"));
        assertEquals("event", event.get("MsgType"));
        assertEquals("change_contact", event.get("Event"));
        assertTrue(event.get("CreateTime").matches("\\d{10}"), event.toString());
        Map<String, String> own = new LinkedHashMap<>(event);
        List.of("ToUserName", "FromUserName", "CreateTime", "MsgType", "Event").forEach(own::remove);
        return own;
    }

    @Test
    void idsStyleCarriesIdsOnlyAndNothingForARename() throws Exception {
        register("ids");
        String base = "/__sim/corps/" + CORP;
        s.patch(base + "/departments/3", map("name", "改名"));
        s.post(base + "/departments", map("id", 50, "name", "新部门", "parentid", 2));
        assertEquals(
                Map.of("ChangeType", "create_party", "Id", "50", "ParentId", "2"), next(), "the rename sent nothing");
        s.patch(base + "/departments/50", map("name", "又改名", "parentid", 1));
        assertEquals(Map.of("ChangeType", "update_party", "Id", "50", "ParentId", "1"), next());
        s.post(
                base + "/members",
                map("userid", "cb1", "name", "一", "department", List.of(50, 2), "mobile", "13900000009"));
        assertEquals(Map.of("ChangeType", "create_user", "UserID", "cb1", "Department", "50,2"), next());
        s.patch(base + "/members/cb1", map("name", "二", "position", "经理"));
        assertEquals(Map.of("ChangeType", "update_user", "UserID", "cb1", "Department", "50,2"), next());
        s.delete(base + "/members/cb1");
        assertEquals(Map.of("ChangeType", "delete_user", "UserID", "cb1"), next());
        s.delete(base + "/departments/50");
        assertEquals(Map.of("ChangeType", "delete_party", "Id", "50"), next());
        assertEquals(6, s.get(base + "/callback").json().get("generated").asInt(), "and nothing else");
    }

    @Test
    void fullStyleCarriesTheFieldsAndRenames() throws Exception {
        register("full");
        String base = "/__sim/corps/" + CORP;
        s.patch(base + "/departments/3", map("name", "改名"));
        assertEquals(Map.of("ChangeType", "update_party", "Id", "3", "Name", "改名"), next());
        s.post(
                base + "/members",
                map(
                        "userid",
                        "cb2",
                        "name",
                        "三",
                        "department",
                        List.of(3),
                        "is_leader_in_dept",
                        List.of(1),
                        "direct_leader",
                        List.of("boss"),
                        "mobile",
                        "13900000010",
                        "alias",
                        "Sam Zhang",
                        "telephone",
                        "010-12345678"));
        Map<String, String> created = next();
        assertEquals(
                List.of(
                        "ChangeType",
                        "UserID",
                        "Name",
                        "Department",
                        "MainDepartment",
                        "IsLeaderInDept",
                        "DirectLeader",
                        "Position",
                        "Mobile",
                        "Gender",
                        "Email",
                        "BizMail",
                        "Avatar",
                        "Address",
                        "Status",
                        "Alias",
                        "Telephone"),
                List.copyOf(created.keySet()));
        assertEquals("boss", created.get("DirectLeader"));
        assertEquals("1", created.get("IsLeaderInDept"));
        assertEquals("13900000010", created.get("Mobile"));
        assertEquals("Sam Zhang", created.get("Alias"));
        s.patch(base + "/members/cb2", map("status", 2));
        assertEquals(Map.of("ChangeType", "update_user", "UserID", "cb2", "Status", "2"), next(), "only what changed");
        JsonNode department = s.get("/cgi-bin/department/get?id=3&access_token=" + s.token(CORP))
                .assertOk()
                .json()
                .get("department");
        assertTrue(department.get("department_leader").toString().contains("\"cb2\""), department.toString());
    }
}
