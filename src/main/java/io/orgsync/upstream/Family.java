package io.orgsync.upstream;

/** The two upstream APIs: they share the error envelope but not all codes. */
public enum Family {
    WECOM,
    WECHAT
}
