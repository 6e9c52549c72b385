package io.orgsync.simulator;

import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/** The error codes the simulator answers with, and their upstream wording. */
final class Errcodes {
    static final int BUSY = -1;
    static final int INVALID_CREDENTIAL = 40001;
    static final int INVALID_CORPID = 40013;
    static final int INVALID_TOKEN = 40014;
    static final int INVALID_PARAMETER = 40058;
    static final int INVALID_ARGS = 40097;
    static final int INVALID_SCENE = 40129;
    static final int SCENE_OR_JSON = 40169;
    static final int TOKEN_MISSING = 41001;
    static final int CORPID_MISSING = 41002;
    static final int SECRET_MISSING = 41004;
    static final int INVALID_PAGE = 41030;
    static final int TOKEN_EXPIRED = 42001;
    static final int NOT_JSON = 47001;
    static final int API_FORBIDDEN = 48002;
    static final int FREQ_LIMIT = 45009;
    static final int CONCURRENCY = 45033;
    static final int USER_NOT_FOUND = 46004;
    static final int OUT_OF_RANGE = 50002;
    static final int NEW_IP = 48009;
    static final int NO_PRIVILEGE = 60011;
    static final int INVALID_DEPARTMENT = 60123;
    static final int INVALID_MOBILE = 60103;
    static final int USERID_NOT_FOUND = 60111;
    static final int WEBHOOK_INVALID = 93000;

    private static final Map<Integer, String> TEXT = Map.ofEntries(
            Map.entry(BUSY, "system busy"),
            Map.entry(INVALID_CREDENTIAL, "invalid credential"),
            Map.entry(INVALID_CORPID, "invalid corpid"),
            Map.entry(INVALID_TOKEN, "invalid access_token"),
            Map.entry(INVALID_PARAMETER, "invalid parameter"),
            Map.entry(INVALID_ARGS, "invalid args"),
            Map.entry(INVALID_SCENE, "invalid scene"),
            Map.entry(SCENE_OR_JSON, "invalid length for scene, or the data is not json string"),
            Map.entry(TOKEN_MISSING, "access_token missing"),
            Map.entry(CORPID_MISSING, "corpid missing"),
            Map.entry(SECRET_MISSING, "corpsecret missing"),
            Map.entry(INVALID_PAGE, "invalid page"),
            Map.entry(TOKEN_EXPIRED, "access_token expired"),
            Map.entry(NOT_JSON, "data format error"),
            Map.entry(API_FORBIDDEN, "api forbidden"),
            Map.entry(FREQ_LIMIT, "api freq out of limit"),
            Map.entry(CONCURRENCY, "api concurrent out of limit"),
            Map.entry(USER_NOT_FOUND, "user no exist"),
            Map.entry(OUT_OF_RANGE, "no privilege to access/modify contact/party/agent"),
            Map.entry(INVALID_DEPARTMENT, "invalid party id"),
            Map.entry(INVALID_MOBILE, "invalid mobile"),
            Map.entry(USERID_NOT_FOUND, "userid not found"),
            Map.entry(WEBHOOK_INVALID, "invalid webhook url"),
            Map.entry(NEW_IP, "api forbidden for ip not in whitelist"),
            Map.entry(NO_PRIVILEGE, "no privilege to access/modify contact/party/agent"),
            Map.entry(60020, "not allow to access from your ip"),
            Map.entry(45029, "resp data too big"),
            Map.entry(40164, "invalid ip, not in whitelist"));

    private Errcodes() {}

    static String text(int code) {
        return TEXT.getOrDefault(code, "error " + code);
    }

    /** WeCom's wording: the text, then a hint id, the caller's IP and the error-code help page. */
    static String wecomMessage(int code, String detail, String ip) {
        String hint = Long.toHexString(System.nanoTime()) + "-"
                + Integer.toHexString(ThreadLocalRandom.current().nextInt() >>> 1);
        return (detail == null ? text(code) : detail) + ", hint: [" + hint + "], from ip: " + ip
                + ", more info at https://open.work.weixin.qq.com/devtool/query?e=" + code;
    }

    /** WeChat's wording: the text then a request id. */
    static String wechatMessage(int code, String detail) {
        String rid = Long.toHexString(System.nanoTime()) + "-"
                + Integer.toHexString(ThreadLocalRandom.current().nextInt() >>> 1);
        if (code == INVALID_CREDENTIAL && detail == null) {
            detail = "invalid credential, access_token is invalid or not latest";
        }
        return (detail == null ? text(code) : detail) + " rid: " + rid;
    }
}
