package io.orgsync.miniapp;

import java.util.LinkedHashMap;
import java.util.Map;

/** The parameters of getwxacodeunlimit, already checked by the caller. */
public record WxaCodeRequest(
        String scene, String page, Integer width, String envVersion, Boolean checkPath, Boolean hyaline) {
    Map<String, Object> body() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("scene", scene);
        if (page != null) {
            body.put("page", page);
        }
        if (width != null) {
            body.put("width", width);
        }
        if (envVersion != null) {
            body.put("env_version", envVersion);
        }
        if (checkPath != null) {
            body.put("check_path", checkPath);
        }
        if (hyaline != null) {
            body.put("is_hyaline", hyaline);
        }
        return body;
    }
}
