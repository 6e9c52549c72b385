package io.orgsync.simulator;

import static io.orgsync.simulator.SimHttp.map;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** user/getuserid: found, not found, malformed, and the daily failure rule. */
class GetUserIdTest {
    @RegisterExtension
    static final SimHttp s = new SimHttp();

    static final String CORP = "wwgetid";
    String token;
    JsonNode truth;

    @BeforeEach
    void fresh() {
        // a licence for 100 members: ratio 0.02 allows 2 failures a day
        s.corp(CORP, 5, 60, 3, true, "memberLimit", 100);
        token = s.token(CORP);
        truth = s.export(CORP);
    }

    private SimHttp.Resp getuserid(String mobile) {
        return s.post("/cgi-bin/user/getuserid?access_token=" + token, map("mobile", mobile));
    }

    private JsonNode memberWithMobile(boolean international) {
        for (JsonNode m : truth.get("members")) {
            if (m.get("mobile").asText().startsWith("+") == international) {
                return m;
            }
        }
        throw new AssertionError("no " + (international ? "international" : "mainland") + " member");
    }

    @Test
    void findsMainlandAndInternationalMobiles() {
        JsonNode mainland = memberWithMobile(false);
        String mobile = mainland.get("mobile").asText();
        assertEquals(
                mainland.get("userid").asText(),
                getuserid(mobile).assertOk().json().get("userid").asText());
        assertEquals(
                mainland.get("userid").asText(),
                getuserid("+86" + mobile).assertOk().json().get("userid").asText());
        JsonNode intl = memberWithMobile(true);
        assertEquals(
                intl.get("userid").asText(),
                getuserid(intl.get("mobile").asText())
                        .assertOk()
                        .json()
                        .get("userid")
                        .asText());
    }

    @Test
    void notFoundAndMalformed() {
        getuserid("13000000000").assertWecomErr(46004);
        getuserid("12ab").assertWecomErr(60103);
        getuserid("not a mobile").assertWecomErr(60103);
        getuserid("1".repeat(33)).assertWecomErr(60103);
        s.post("/cgi-bin/user/getuserid?access_token=" + token, "{").assertWecomErr(47001);
    }

    @Test
    void failuresAboveTheDailyShareBlockUntilTheChinaDayEnds() {
        if (secondsToNextChinaDay() < 120) {
            s.advance(secondsToNextChinaDay() + 1); // the block must start well before midnight
            token = s.token(CORP);
        }
        String known = memberWithMobile(false).get("mobile").asText();
        s.limits("getuseridFailureRatio", 0.02); // 0.02 x 100 = 2 failures allowed
        getuserid("13000000001").assertWecomErr(46004);
        getuserid("13000000002").assertWecomErr(46004);
        getuserid(known).assertOk();
        getuserid("13000000003").assertWecomErr(46004); // the third failure passes the share
        getuserid(known).assertWecomErr(45009);
        getuserid("13000000004").assertWecomErr(45009);
        // other APIs are not blocked
        s.get("/cgi-bin/department/list?access_token=" + token).assertOk();
        // still blocked a minute later and half a minute before the day in China ends
        s.advance(60);
        getuserid(known).assertWecomErr(45009);
        s.advance(secondsToNextChinaDay() - 30);
        token = s.token(CORP); // the advance may have outlived the token
        getuserid(known).assertWecomErr(45009);
        // lifted once it is over: the count starts again with the new day
        s.advance(secondsToNextChinaDay() + 1);
        token = s.token(CORP);
        getuserid(known).assertOk();
        getuserid("13000000005").assertWecomErr(46004);
    }

    @Test
    void theBlockIsPerEnterprise() {
        s.limits("getuseridFailureRatio", 0.01); // 1 failure allowed
        getuserid("13000000001").assertWecomErr(46004);
        getuserid("13000000002").assertWecomErr(46004);
        getuserid("13000000003").assertWecomErr(45009);
        s.corp("wwother", 2, 20, 4, true);
        String other = s.token("wwother");
        String mobile = s.export("wwother").get("members").get(0).get("mobile").asText();
        s.post("/cgi-bin/user/getuserid?access_token=" + other, map("mobile", mobile))
                .assertOk();
    }

    private long secondsToNextChinaDay() {
        Instant now = Instant.parse(s.get("/__sim/clock").json().get("now").asText());
        ZonedDateTime china = now.atZone(ZoneId.of("Asia/Shanghai"));
        return Duration.between(china, china.toLocalDate().plusDays(1).atStartOfDay(china.getZone()))
                .getSeconds();
    }
}
