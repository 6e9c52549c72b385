package io.orgsync.miniapp;

/** A registered mini-program app as a listing shows it: everything but the secret, which stays sealed. */
public record MiniAppSummary(String appId, String name, boolean stableToken, long createdAt, long updatedAt) {}
