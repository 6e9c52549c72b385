package io.orgsync.upstream;

/** The operator's fix for each configuration errcode, for the alert that reports it. */
public final class ConfigurationFixes {
    private ConfigurationFixes() {}

    /** A contact-sync secret on an IP trusted since 2022-08-15: adding IPs does not help (docs/setups.md). */
    public static String idsOnly(String corpId) {
        return "The contact-sync secret of corp " + corpId + " is called from an IP trusted since 2022-08-15 (48009): "
                + "it can only list ids (user/list_id, department/simplelist), so members are kept without names. "
                + "Give orgsync an app secret for details: PUT /admin/api/enterprises/" + corpId
                + " with \"secret\" (adding this server's IP does not lift 48009).";
    }

    static String describe(Family family, int errcode, String subject, String api) {
        String what = switch (errcode) {
            case 40001 ->
                family == Family.WECOM
                        ? "WeCom rejected the secret of corp " + subject
                                + " (40001). Update the secret with PUT /admin/api/enterprises/" + subject
                                + ". orgsync does not retry a wrong secret in a loop: repeated failures get this server's IP banned for an hour."
                        : "WeChat rejected the credential of app " + subject + " (40001). Check the app secret.";
            case 40013 ->
                family == Family.WECOM
                        ? "WeCom does not know corp id " + subject
                                + " (40013). Check the corp id in the enterprise's settings."
                        : "WeChat does not know app id " + subject + " (40013). Check the app id.";
            case 40125 ->
                "WeChat rejected the secret of mini-program " + subject
                        + " (40125). Update it with PUT /admin/api/miniapps/" + subject + ".";
            case 40164 ->
                "WeChat refused the call from this server's IP (40164). Add the server's public IP to the mini-program's "
                        + "IP whitelist (Development > Development settings).";
            case 48002 ->
                "WeCom refused " + api + " for corp " + subject + " (48002): the secret lacks permission for this API "
                        + "(user/list_id needs the contact-sync secret). Use a secret with that permission.";
            case 48009 -> idsOnly(subject);
            case 60011 ->
                "The app of corp " + subject
                        + " may not see a member or department it asked for (60011). Widen the app's "
                        + "visible range in the WeCom admin console.";
            case 60020 ->
                "WeCom refused the call of corp " + subject
                        + " because this server's IP is not trusted (60020). Add the "
                        + "server's public IP to the app's trusted IPs in the WeCom admin console.";
            default -> "The upstream refused " + api + " for " + subject + " with errcode " + errcode + ".";
        };
        return what;
    }
}
