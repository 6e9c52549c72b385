package io.orgsync.callback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.orgsync.NodeInternals;
import io.orgsync.simulator.EventSealer;
import io.orgsync.testing.AdminClient;
import io.orgsync.testing.ApiNode;
import io.orgsync.testing.SimulatorControl;
import io.orgsync.testing.TestDatabases;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The callback URL over real HTTP: WeCom's verification GET with Tencent's published sample, an
 * event stored and answered {@code success}, and every request that must store nothing refused
 * 4xx; the settings validated and write-only; a read-only node answers 503 read_only.
 */
class CallbackEndpointTest {
    /** Tencent's sample enterprise (docs/upstream.md, "WeCom contact-change callbacks"). */
    private static final String CORP = "wx5823bf96d3bd56c7";

    private static final String SECRET = "callback-endpoint-secret-01";
    private static final String ECHO =
            "P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==";
    private static final String EVENT =
            "<xml><ToUserName><![CDATA[" + CORP + "]]></ToUserName><FromUserName><![CDATA[sys]]></FromUserName>"
                    + "<CreateTime>%d</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[change_contact]]></Event>"
                    + "<ChangeType><![CDATA[delete_user]]></ChangeType><UserID><![CDATA[nobody%d]]></UserID></xml>";
    private static final SimulatorControl sim = new SimulatorControl();
    private static ApiNode node;
    private static ApiNode readOnly;
    private static final EventSealer wecom = new EventSealer(CallbackFixture.TOKEN, CallbackFixture.AES_KEY, CORP);
    private static int sequence;

    @BeforeAll
    static void start() throws Exception {
        String db = TestDatabases.mariadb("callback_endpoint");
        sim.createCorp(CORP, SECRET, 2, 5, true);
        node = ApiNode.start(
                "cb-endpoint",
                db,
                sim,
                Map.of(
                        "ORGSYNC_ADMIN_TOKEN",
                        CallbackFixture.ADMIN_TOKEN,
                        "ORGSYNC_CALLBACK_BASE_URL",
                        "https://orgsync.example.com/"));
        node.enterprise(CORP, SECRET);
        node.enterprise("ww-no-callbacks", SECRET);
        readOnly = ApiNode.start("cb-reader", db, sim, Map.of("ORGSYNC_READ_ONLY", "true"));
    }

    @AfterAll
    static void stop() {
        readOnly.close();
        node.close();
        sim.close();
    }

    @Test
    void settingsAreValidatedWriteOnlyAndTheListingShowsTheUrl() {
        AdminClient admin = CallbackFixture.admin(node);
        String path = "/admin/api/enterprises/" + CORP + "/callback";
        AdminClient.Reply longToken =
                admin.put(path, Map.of("token", "a".repeat(33), "aesKey", CallbackFixture.AES_KEY));
        assertEquals(400, longToken.status(), longToken.toString());
        assertTrue(longToken.errorMessage().contains("token"), longToken.toString());
        AdminClient.Reply shortKey =
                admin.put(path, Map.of("token", CallbackFixture.TOKEN, "aesKey", CallbackFixture.AES_KEY.substring(1)));
        assertEquals(400, shortKey.status(), shortKey.toString());
        AdminClient.Reply badAlphabet = admin.put(path, Map.of("token", "QDG6e-", "aesKey", CallbackFixture.AES_KEY));
        assertEquals(400, badAlphabet.status(), badAlphabet.toString());
        AdminClient.Reply unknown = admin.put(
                "/admin/api/enterprises/ww-nobody/callback",
                Map.of("token", CallbackFixture.TOKEN, "aesKey", CallbackFixture.AES_KEY));
        assertEquals(404, unknown.status(), unknown.toString());
        AdminClient.Reply ok =
                admin.put(path, Map.of("token", CallbackFixture.TOKEN, "aesKey", CallbackFixture.AES_KEY));
        assertEquals(200, ok.status(), ok.toString());
        AdminClient.Reply listing = admin.get("/admin/api/enterprises");
        assertTrue(
                listing.body().contains("\"callbackUrl\":\"https://orgsync.example.com/callbacks/wecom/" + CORP + "\""),
                listing.body());
        assertFalse(
                listing.body().contains(CallbackFixture.AES_KEY)
                        || listing.body().contains(CallbackFixture.TOKEN),
                listing.body());
        assertFalse(ok.body().contains(CallbackFixture.AES_KEY), ok.body());
    }

    @Test
    void verificationAnswersTencentsSampleEchoAlone() throws Exception {
        configure();
        ApiNode.Response r =
                node.get("/callbacks/wecom/" + CORP + "?msg_signature=5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3"
                        + "&timestamp=1409659589&nonce=263014780&echostr=" + enc(ECHO));
        assertEquals(200, r.status(), r.toString());
        assertEquals("1616140317555161061", r.text());
        ApiNode.Response forged =
                node.get("/callbacks/wecom/" + CORP + "?msg_signature=5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd4"
                        + "&timestamp=1409659589&nonce=263014780&echostr=" + enc(ECHO));
        assertEquals(400, forged.status(), forged.toString());
    }

    @Test
    void anEventIsStoredOnceAndEveryBadRequestStoresNothing() throws Exception {
        configure();
        long now = System.currentTimeMillis() / 1000;
        Post good = post(wecom, now, "1111" + (sequence++), event(now));
        int before = stored();
        ApiNode.Response accepted = good.send();
        assertEquals(200, accepted.status(), accepted.toString());
        assertEquals("success", accepted.text());
        assertEquals(before + 1, stored());

        assertRefused(400, good.send(), "a replay of the same request");
        assertRefused(
                400,
                post(wecom, now, "2222" + (sequence++), event(now))
                        .withSignature("0".repeat(40))
                        .send(),
                "a forged signature");
        EventSealer otherCorp = new EventSealer(CallbackFixture.TOKEN, CallbackFixture.AES_KEY, "ww-another-corp");
        assertRefused(
                400,
                post(otherCorp, now, "3333" + (sequence++), event(now)).send(),
                "a payload sealed for another corp");
        assertRefused(
                400,
                post(wecom, now - 600, "4444" + (sequence++), event(now - 600)).send(),
                "a timestamp 10 minutes old");
        assertRefused(
                400, post(wecom, now, "5555" + (sequence++), "<xml><Broken>").send(), "a malformed event inside");
        assertRefused(
                400,
                new Post(CORP, "x".repeat(40), now, "6666", "<xml><Encrypt>" + "A".repeat(100_000) + "</Encrypt></xml>")
                        .send(),
                "a 100 KB body");
        assertRefused(
                400,
                new Post(
                                CORP,
                                "x".repeat(40),
                                now,
                                "7777",
                                "<!DOCTYPE xml [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>"
                                        + "<xml><Encrypt>&e;</Encrypt></xml>")
                        .send(),
                "an external entity");
        assertRefused(400, new Post(CORP, "x".repeat(40), now, "8888", "not xml at all").send(), "not XML");
        assertRefused(
                400,
                new Post("ww-no-callbacks", "x".repeat(40), now, "9999", "<xml/>").send(),
                "an enterprise without callbacks");
        assertEquals(before + 1, stored(), "nothing stored for any refused request");

        ApiNode.Response reader =
                readOnly.post("/callbacks/wecom/" + CORP + "?msg_signature=x&timestamp=1&nonce=1", "<xml/>".getBytes());
        assertEquals(503, reader.status(), reader.toString());
        assertEquals("read_only", reader.code());
    }

    /**
     * A prober learns nothing about which corp ids exist: an unknown corp, one without callbacks
     * and a bad signature get the same status and the same body, for events and verification alike.
     */
    @Test
    void unknownCorpsAndBadSignaturesAnswerAlike() throws Exception {
        configure();
        long now = System.currentTimeMillis() / 1000;
        Post forged = post(wecom, now, "alike" + (sequence++), event(now)).withSignature("0".repeat(40));
        List<ApiNode.Response> answers = new java.util.ArrayList<>();
        for (String corp : List.of(CORP, "ww-no-callbacks", "ww-nobody")) {
            answers.add(new Post(corp, forged.signature(), now, forged.nonce(), forged.body()).send());
            answers.add(node.get("/callbacks/wecom/" + corp + "?msg_signature=" + "0".repeat(40) + "&timestamp=" + now
                    + "&nonce=alike&echostr=" + enc(ECHO)));
        }
        for (ApiNode.Response r : answers) {
            assertRefused(400, r, "a request that cannot be verified");
            assertEquals(answers.get(0).text(), r.text(), "every unverifiable request gets one answer");
        }
    }

    /** A body over the callback's limit (but under the server's 1 MB) gets its 400, also when it arrives slowly. */
    @Test
    void anOversizedBodyThatArrivesSlowlyIsAnsweredNotCutOff() throws Exception {
        configure();
        byte[] body = ("<xml><Encrypt>" + "A".repeat(100_000) + "</Encrypt></xml>").getBytes(StandardCharsets.US_ASCII);
        URI uri = node.base.resolve("/callbacks/wecom/" + CORP + "?msg_signature=" + "x".repeat(40) + "&timestamp="
                + System.currentTimeMillis() / 1000 + "&nonce=slow1");
        HttpRequest request = HttpRequest.newBuilder(uri)
                .header("Content-Type", "text/xml")
                .POST(HttpRequest.BodyPublishers.fromPublisher(
                        HttpRequest.BodyPublishers.ofInputStream(() -> new SlowStream(body)), body.length))
                .build();
        HttpResponse<String> r = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        assertEquals(400, r.statusCode(), r.body());
        assertTrue(r.body().contains("larger than"), r.body());
    }

    /** Gives its bytes 10 KB at a time, 50 ms apart, as over a slow link. */
    private static final class SlowStream extends java.io.InputStream {
        private final byte[] bytes;
        private int at;

        SlowStream(byte[] bytes) {
            this.bytes = bytes;
        }

        @Override
        public int read() {
            throw new UnsupportedOperationException();
        }

        @Override
        public int read(byte[] b, int off, int len) throws java.io.IOException {
            if (at == bytes.length) {
                return -1;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                throw new java.io.InterruptedIOException();
            }
            int n = Math.min(Math.min(len, 10_000), bytes.length - at);
            System.arraycopy(bytes, at, b, off, n);
            at += n;
            return n;
        }
    }

    private static void configure() throws Exception {
        NodeInternals.callbacks(node.node).put(CORP, CallbackFixture.TOKEN, CallbackFixture.AES_KEY);
    }

    private static int stored() throws Exception {
        return node.node.events().recent(null, 1000).size();
    }

    private static void assertRefused(int status, ApiNode.Response r, String what) {
        assertEquals(status, r.status(), what + ": " + r);
        assertTrue(r.json().path("error").path("message").asText().length() > 10, what + " says what is wrong: " + r);
    }

    private static String event(long createTime) {
        return String.format(EVENT, createTime, sequence);
    }

    private static Post post(EventSealer sealer, long timestamp, String nonce, String xml) {
        String encrypted = sealer.seal(xml);
        return new Post(
                CORP,
                wecom.sign(String.valueOf(timestamp), nonce, encrypted),
                timestamp,
                nonce,
                "<xml><ToUserName><![CDATA[" + CORP + "]]></ToUserName><Encrypt><![CDATA[" + encrypted + "]]></Encrypt>"
                        + "<AgentID><![CDATA[]]></AgentID></xml>");
    }

    private record Post(String corpId, String signature, long timestamp, String nonce, String body) {
        Post withSignature(String other) {
            return new Post(corpId, other, timestamp, nonce, body);
        }

        ApiNode.Response send() throws Exception {
            return node.post(
                    "/callbacks/wecom/" + corpId + "?msg_signature=" + signature + "&timestamp=" + timestamp + "&nonce="
                            + nonce,
                    body.getBytes(StandardCharsets.UTF_8));
        }
    }

    private static String enc(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
