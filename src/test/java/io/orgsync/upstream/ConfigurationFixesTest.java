package io.orgsync.upstream;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The operator's fix for each configuration errcode: it names the errcode, the subject and what to do. */
class ConfigurationFixesTest {
    private static final String CORP = "wwacme";
    private static final String API = "/cgi-bin/user/list_id";

    private static void assertSays(String text, String... parts) {
        for (String part : parts) {
            assertTrue(text.contains(part), "expected \"" + part + "\" in: " + text);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {40001, 40013, 40125, 40164, 48002, 48009, 60011, 60020})
    void everyConfigurationErrcodeIsNamedInItsFix(int errcode) {
        assertSays(ConfigurationFixes.describe(Family.WECOM, errcode, CORP, API), "(" + errcode + ")");
        assertSays(ConfigurationFixes.describe(Family.WECHAT, errcode, "wxapp", API), "(" + errcode + ")");
    }

    @Test
    void everyConfigurationErrcodeHasAFixOfItsOwn() {
        for (int errcode : Outcome.CONFIG) {
            String fix = ConfigurationFixes.describe(Family.WECOM, errcode, CORP, API);
            assertFalse(fix.startsWith("The upstream refused"), errcode + " has only the generic text: " + fix);
        }
    }

    @Test
    void aWrongWecomSecretSaysHowToUpdateItAndWhyThereIsNoRetryLoop() {
        assertSays(
                ConfigurationFixes.describe(Family.WECOM, 40001, CORP, API),
                "corp wwacme",
                "PUT /admin/api/enterprises/wwacme",
                "banned for an hour");
    }

    @Test
    void aWrongWechatCredentialNamesTheApp() {
        assertSays(ConfigurationFixes.describe(Family.WECHAT, 40001, "wxapp", API), "app wxapp", "app secret");
    }

    @Test
    void anUnknownIdIsTheCorpIdForWecomAndTheAppIdForWechat() {
        assertSays(ConfigurationFixes.describe(Family.WECOM, 40013, CORP, API), "corp id wwacme");
        assertSays(ConfigurationFixes.describe(Family.WECHAT, 40013, "wxapp", API), "app id wxapp");
    }

    @Test
    void aWrongMiniProgramSecretPointsToItsAdminRoute() {
        assertSays(ConfigurationFixes.describe(Family.WECHAT, 40125, "wxapp", API), "PUT /admin/api/miniapps/wxapp");
    }

    @Test
    void aMissingPermissionNamesTheApi() {
        assertSays(ConfigurationFixes.describe(Family.WECOM, 48002, CORP, API), API, "contact-sync secret");
    }

    @Test
    void anUntrustedIpSaysWhereToAddIt() {
        assertSays(ConfigurationFixes.describe(Family.WECOM, 60020, CORP, API), "trusted IPs");
        assertSays(ConfigurationFixes.describe(Family.WECHAT, 40164, "wxapp", API), "IP whitelist");
    }

    @Test
    void idsOnlyIsTheFixFor48009AndSaysAddingIpsDoesNotHelp() {
        String fix = ConfigurationFixes.describe(Family.WECOM, 48009, CORP, API);
        assertTrue(fix.equals(ConfigurationFixes.idsOnly(CORP)), fix);
        assertSays(fix, "without names", "\"secret\"", "does not lift 48009");
    }

    @Test
    void anyOtherErrcodeGetsTheGenericTextWithApiAndErrcode() {
        assertSays(
                ConfigurationFixes.describe(Family.WECOM, 60111, CORP, API),
                "The upstream refused " + API,
                "for wwacme",
                "errcode 60111");
    }
}
