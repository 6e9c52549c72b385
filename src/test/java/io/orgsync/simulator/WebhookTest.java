package io.orgsync.simulator;

import static io.orgsync.simulator.SimHttp.map;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The WeCom group-robot webhook and its inbox. */
class WebhookTest {
    @RegisterExtension
    static final SimHttp s = new SimHttp();

    @Test
    void textMessageIsAcceptedAndKept() {
        SimHttp.Resp r = s.post("/cgi-bin/webhook/send?key=K1", map("msgtype", "text", "text", map("content", "hi")));
        assertEquals(200, r.status());
        assertEquals(SimHttp.JSON.createObjectNode().put("errcode", 0).put("errmsg", "ok"), r.json());
        s.post("/cgi-bin/webhook/send?key=K1", map("msgtype", "markdown", "markdown", map("content", "**2**")))
                .assertOk();
        JsonNode inbox = s.get("/__sim/webhook/K1/messages").json();
        assertEquals(2, inbox.size());
        assertEquals("text", inbox.get(0).at("/message/msgtype").asText());
        assertEquals("hi", inbox.get(0).at("/message/text/content").asText());
        assertEquals("**2**", inbox.get(1).at("/message/markdown/content").asText());
        assertEquals(0, s.get("/__sim/webhook/other/messages").json().size());
    }

    @Test
    void badMessagesAreRefused() {
        s.post("/cgi-bin/webhook/send?key=K2", map("msgtype", "telegram", "telegram", map()))
                .assertWecomErr(40008);
        s.post("/cgi-bin/webhook/send", map("msgtype", "text", "text", map("content", "hi")))
                .assertWecomErr(93000);
        s.post("/cgi-bin/webhook/send?key=", map("msgtype", "text", "text", map("content", "hi")))
                .assertWecomErr(93000);
        s.post("/cgi-bin/webhook/send?key=K2", "not json").assertWecomErr(47001);
        assertEquals(0, s.get("/__sim/webhook/K2/messages").json().size());
    }
}
