package io.orgsync.callback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.orgsync.simulator.EventSealer;
import io.orgsync.testing.ApiNode;
import io.orgsync.testing.MutableClock;
import io.orgsync.testing.SimulatorControl;
import io.orgsync.testing.TcpProxy;
import io.orgsync.testing.TestDatabases;
import io.orgsync.testing.Waiting;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An ids-only event whose re-read meets a 45009 block of user/get stays PENDING for as long as
 * the block lasts (an hour here, the node's clock moved through it), each next attempt at the
 * block's end, and is applied after it; one still blocked after ORGSYNC_EVENT_RETRY_HOURS ends
 * FAILED with an {@code events_failing} alert. The same for a token hold, and for the database
 * going away while an event waits (nothing can be recorded then, so it stays PENDING).
 */
class CallbackBlockTest {
    private static final String SECRET = "callback-block-secret-01";
    private static final String USER_GET = "/cgi-bin/user/get";
    private static final String GETTOKEN = "/cgi-bin/gettoken";

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
    void anEventWaitsOutABlockAndFailsOnlyAfterTheHorizon() throws Exception {
        String corp = "ww-cb-block";
        sim.createCorp(corp, SECRET, 3, 10, true);
        MutableClock clock = new MutableClock();
        node = ApiNode.start("cb-block", TestDatabases.mariadb("callback_block"), sim, Map.of(), clock);
        EventSealer wecom = CallbackFixture.syncedAndDirect(node, corp, SECRET);
        List<String> userids = new java.util.ArrayList<>();
        sim.export(corp)
                .path("members")
                .forEach(m -> userids.add(m.path("userid").asText()));

        // WeCom's hour-level block of user/get: every call answers 45009 until it ends
        sim.fault(Map.of("path", USER_GET, "corpId", corp, "errcode", 45009));
        sim.send("PATCH", "/__sim/corps/" + corp + "/members/" + userids.get(0), Map.of("name", "封锁后的名字"));
        long event = idsOnlyUpdate(wecom, corp, clock, userids.get(0), "block1");
        long calls = blockedCall(corp, event, 0);
        for (int step = 1; step <= 6; step++) {
            // ten minutes at a time through the hour: each step passes the block's end the client knows (a minute),
            // so one new attempt each, which meets the block again
            clock.advance(Duration.ofMinutes(10));
            calls = blockedCall(corp, event, calls);
        }
        sim.clearFaults();
        clock.advance(Duration.ofSeconds(61));
        StoredEvent applied = Waiting.await(
                Duration.ofSeconds(20),
                "applied after the block",
                () -> status(corp, event) == EventStatus.APPLIED ? find(corp, event) : null);
        assertEquals(
                "封锁后的名字",
                io.orgsync.testing.OrgTruth.fromDatabase(node.node.dataSource(), corp)
                        .members
                        .get(userids.get(0))
                        .name(),
                applied.toString());

        // still blocked when ORGSYNC_EVENT_RETRY_HOURS (24 by default) have passed since it arrived: FAILED, alerted
        sim.fault(Map.of("path", USER_GET, "corpId", corp, "errcode", 45009));
        // counted before the event is posted: the drainer, woken by the post, may call at once
        long beforeDoomed = sim.calls(USER_GET, corp);
        long doomed = idsOnlyUpdate(wecom, corp, clock, userids.get(1), "block2");
        calls = blockedCall(corp, doomed, beforeDoomed);
        clock.advance(Duration.ofHours(23));
        calls = blockedCall(corp, doomed, calls);
        clock.advance(Duration.ofMinutes(61));
        StoredEvent failed = Waiting.await(
                Duration.ofSeconds(20),
                "FAILED past the horizon",
                () -> status(corp, doomed) == EventStatus.FAILED ? find(corp, doomed) : null);
        assertTrue(failed.error().contains("45009"), failed.error());
        assertTrue(failed.error().contains("24 h"), failed.error());
        Waiting.until(
                Duration.ofSeconds(20),
                "an events_failing alert",
                () -> node.node.alerts().recent(10).stream()
                        .anyMatch(a -> a.type().equals("events_failing")));
    }

    @Test
    void anEventWaitsOutATokenHold() throws Exception {
        String corp = "ww-cb-hold";
        sim.createCorp(corp, SECRET, 3, 10, true);
        MutableClock clock = new MutableClock();
        node = ApiNode.start("cb-hold", TestDatabases.mariadb("callback_hold"), sim, Map.of(), clock);
        EventSealer wecom = CallbackFixture.syncedAndDirect(node, corp, SECRET);
        String userid = sim.export(corp).path("members").get(0).path("userid").asText();

        // the token is rejected and gettoken is blocked: the token row is held (a minute at a time) for the cluster
        sim.invalidateTokens(corp);
        sim.fault(Map.of("path", GETTOKEN, "corpId", corp, "errcode", 45009));
        sim.send("PATCH", "/__sim/corps/" + corp + "/members/" + userid, Map.of("name", "等到令牌的名字"));
        long event = idsOnlyUpdate(wecom, corp, clock, userid, "hold1");
        long calls = blockedCall(GETTOKEN, corp, event, 0);
        for (int step = 1; step <= 6; step++) {
            clock.advance(Duration.ofMinutes(10));
            calls = blockedCall(GETTOKEN, corp, event, calls);
        }
        sim.clearFaults();
        clock.advance(Duration.ofSeconds(61));
        Waiting.until(
                Duration.ofSeconds(20), "applied after the hold", () -> status(corp, event) == EventStatus.APPLIED);
        assertEquals(
                "等到令牌的名字",
                io.orgsync.testing.OrgTruth.fromDatabase(node.node.dataSource(), corp)
                        .members
                        .get(userid)
                        .name());
    }

    @Test
    void anEventWaitsOutADatabaseOutage() throws Exception {
        String corp = "ww-cb-db-outage";
        sim.createCorp(corp, SECRET, 3, 10, true);
        MutableClock clock = new MutableClock();
        try (TcpProxy database = new TcpProxy("127.0.0.1", 3306)) {
            node = ApiNode.start(
                    "cb-db-outage", database.relay(TestDatabases.mariadb("callback_db_outage")), sim, Map.of(), clock);
            EventSealer wecom = CallbackFixture.syncedAndDirect(node, corp, SECRET);
            String userid =
                    sim.export(corp).path("members").get(0).path("userid").asText();

            // the event waits for a block's end; the database goes away meanwhile, for hours of the node's clock
            sim.fault(Map.of("path", USER_GET, "corpId", corp, "errcode", 45009));
            sim.send("PATCH", "/__sim/corps/" + corp + "/members/" + userid, Map.of("name", "断库之后的名字"));
            long event = idsOnlyUpdate(wecom, corp, clock, userid, "outage1");
            blockedCall(corp, event, 0);
            sim.clearFaults();
            database.cut();
            for (int hour = 0; hour < 3; hour++) {
                clock.advance(Duration.ofHours(1));
                Waiting.sleep(Duration.ofMillis(700)); // the drainer meets the outage at each hour
            }
            database.restore();

            Waiting.until(
                    Duration.ofSeconds(30),
                    "applied once the database is back",
                    () -> status(corp, event) == EventStatus.APPLIED);
            assertEquals(
                    "断库之后的名字",
                    io.orgsync.testing.OrgTruth.fromDatabase(node.node.dataSource(), corp)
                            .members
                            .get(userid)
                            .name());
            node.close(); // before its database's proxy
            node = null;
        }
    }

    private long blockedCall(String corp, long event, long before) throws Exception {
        return blockedCall(USER_GET, corp, event, before);
    }

    /** Waits for one more call of {@code path} that met the block; the event is still PENDING after it. */
    private long blockedCall(String path, String corp, long event, long before) throws Exception {
        long calls = Waiting.await(Duration.ofSeconds(20), "another attempt of event " + event, () -> {
            long now = sim.calls(path, corp);
            return now > before || status(corp, event) != EventStatus.PENDING ? now : null;
        });
        // the attempt's outcome is stored after its call
        Waiting.until(
                Duration.ofSeconds(10),
                "the attempt recorded",
                () -> find(corp, event).error() != null);
        StoredEvent e = find(corp, event);
        assertEquals(EventStatus.PENDING, e.status(), "still waiting for the block's end: " + e);
        assertTrue(e.error().contains("45009"), e.toString());
        return calls;
    }

    private long idsOnlyUpdate(EventSealer wecom, String corp, MutableClock clock, String userid, String nonce)
            throws Exception {
        long now = clock.millis() / 1000;
        String xml = CallbackFixture.changeXml(
                corp, now, Map.of("Event", "change_contact", "ChangeType", "update_user", "UserID", userid));
        assertEquals(
                200, CallbackFixture.post(node, wecom, corp, now, nonce, xml).status());
        return node.node.events().recent(corp, 1).get(0).id();
    }

    private EventStatus status(String corp, long id) throws Exception {
        return find(corp, id).status();
    }

    private StoredEvent find(String corp, long id) throws Exception {
        return node.node.events().recent(corp, 100).stream()
                .filter(e -> e.id() == id)
                .findFirst()
                .orElseThrow();
    }
}
