package io.orgsync.http;

import java.util.regex.Pattern;

/** Identifier formats the HTTP API checks before anything else sees a request. */
public final class IdFormats {
    /** A WeCom corp id as the admin page shows it (ww1234abcd), generously bounded. */
    public static final Pattern CORP_ID = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    private IdFormats() {}
}
