package io.orgsync.callback;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.orgsync.NodeInternals;
import io.orgsync.simulator.EventSealer;
import io.orgsync.testing.AdminClient;
import io.orgsync.testing.ApiNode;
import io.orgsync.testing.OrgTruth;
import io.orgsync.testing.SimulatorControl;
import io.orgsync.testing.Waiting;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Callbacks turned on for one enterprise on both sides: in orgsync through the admin API, in the simulator towards a node. */
final class CallbackFixture {
    static final String ADMIN_TOKEN = "callback-admin-token-0123456789";
    static final String TOKEN = "QDG6eK";
    static final String AES_KEY = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";

    private CallbackFixture() {}

    static AdminClient admin(ApiNode node) {
        return new AdminClient(node.base.toString(), ADMIN_TOKEN, AdminClient.newLog());
    }

    /** Turns callbacks on in orgsync and has the simulator post every change of {@code corpId} to {@code receiver}. */
    static void connect(SimulatorControl sim, ApiNode receiver, String corpId, Map<String, Object> faults) {
        AdminClient.Reply put = admin(receiver)
                .put("/admin/api/enterprises/" + corpId + "/callback", Map.of("token", TOKEN, "aesKey", AES_KEY));
        assertEquals(200, put.status(), put.toString());
        Map<String, Object> registration = new java.util.HashMap<>(faults);
        registration.put("url", receiver.base + "/callbacks/wecom/" + corpId);
        registration.put("token", TOKEN);
        registration.put("aesKey", AES_KEY);
        sim.send("PUT", "/__sim/corps/" + corpId + "/callback", registration);
    }

    static JsonNode deliveries(SimulatorControl sim, String corpId) {
        return sim.send("GET", "/__sim/corps/" + corpId + "/callback/deliveries", null);
    }

    /**
     * Waits until the simulator delivered {@code events} events (sent, repeated, reordered or dropped)
     * and the node has none left PENDING; answers the deliveries.
     */
    static JsonNode settle(SimulatorControl sim, ApiNode node, String corpId, int events) {
        JsonNode delivered = Waiting.await(Duration.ofSeconds(60), events + " deliveries", () -> {
            JsonNode d = deliveries(sim, corpId);
            long distinct = java.util.stream.StreamSupport.stream(d.spliterator(), false)
                    .filter(x -> !"duplicate".equals(x.path("delivery").asText()))
                    .count();
            return distinct >= events ? d : null;
        });
        Waiting.until(
                Duration.ofSeconds(90),
                "no PENDING events",
                () -> node.node.events().recent(corpId, 1000).stream()
                        .noneMatch(e -> e.status() == EventStatus.PENDING));
        return delivered;
    }

    /**
     * Syncs {@code corpId} once on the node and turns its callbacks on there, with no callback in
     * the simulator: the test posts the events itself, sealed by the answer.
     */
    static EventSealer syncedAndDirect(ApiNode node, String corpId, String secret) throws Exception {
        synced(node, corpId, secret);
        NodeInternals.callbacks(node.node).put(corpId, TOKEN, AES_KEY);
        return new EventSealer(TOKEN, AES_KEY, corpId);
    }

    /** Registers {@code corpId} on the node and syncs it once, successfully: the org events are applied to. */
    static void synced(ApiNode node, String corpId, String secret) throws Exception {
        node.enterprise(corpId, secret);
        io.orgsync.sync.Run first = node.sync(corpId);
        assertEquals(io.orgsync.sync.RunStatus.SUCCEEDED, first.status(), first.error());
    }

    /** A change_contact event as WeCom's XML; {@code fields} after the common ones, in their order. */
    static String changeXml(String corpId, long createTime, Map<String, String> fields) {
        StringBuilder xml = new StringBuilder("<xml><ToUserName><![CDATA[" + corpId
                + "]]></ToUserName><FromUserName><![CDATA[sys]]></FromUserName><CreateTime>" + createTime
                + "</CreateTime><MsgType><![CDATA[event]]></MsgType>");
        fields.forEach((k, v) -> xml.append('<')
                .append(k)
                .append("><![CDATA[")
                .append(v)
                .append("]]></")
                .append(k)
                .append('>'));
        return xml.append("</xml>").toString();
    }

    /** Posts {@code xml} to the node's callback endpoint as WeCom does: encrypted, signed, with {@code nonce}. */
    static ApiNode.Response post(
            ApiNode node, EventSealer wecom, String corpId, long timestamp, String nonce, String xml) throws Exception {
        String encrypted = wecom.seal(xml);
        String body = "<xml><ToUserName><![CDATA[" + corpId + "]]></ToUserName><Encrypt><![CDATA[" + encrypted
                + "]]></Encrypt></xml>";
        return node.post(
                "/callbacks/wecom/" + corpId + "?msg_signature="
                        + wecom.sign(String.valueOf(timestamp), nonce, encrypted) + "&timestamp=" + timestamp
                        + "&nonce=" + nonce,
                body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** The departments of an export without sub-departments, in its order: not the root, none a test added (7000 up). */
    static List<Integer> leafDepartments(JsonNode export) {
        java.util.Set<Integer> parents = new java.util.HashSet<>();
        export.path("departments").forEach(d -> parents.add(d.path("parentid").asInt()));
        List<Integer> out = new java.util.ArrayList<>();
        for (JsonNode d : export.path("departments")) {
            int id = d.path("id").asInt();
            if (id != 1 && id < 7000 && !parents.contains(id)) {
                out.add(id);
            }
        }
        return out;
    }

    static List<String> differences(SimulatorControl sim, ApiNode node, String corpId) throws SQLException {
        return OrgTruth.fromExport(sim.export(corpId)).diff(OrgTruth.fromDatabase(node.node.dataSource(), corpId));
    }

    /** An {@code update_user} that carries a new name. */
    static String rename(String corp, String userid, long createTime, String name) {
        return userEvent(corp, userid, createTime, "<Name><![CDATA[" + name + "]]></Name>");
    }

    /** An {@code update_user} that names the member only: applying it needs a {@code user/get}. */
    static String idOnlyUpdate(String corp, String userid, long createTime) {
        return userEvent(corp, userid, createTime, "");
    }

    private static String userEvent(String corp, String userid, long createTime, String fields) {
        return "<xml><ToUserName><![CDATA[" + corp
                + "]]></ToUserName><FromUserName><![CDATA[sys]]></FromUserName><CreateTime>"
                + createTime
                + "</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[change_contact]]></Event>"
                + "<ChangeType><![CDATA[update_user]]></ChangeType><UserID><![CDATA[" + userid
                + "]]></UserID>" + fields + "</xml>";
    }
}
