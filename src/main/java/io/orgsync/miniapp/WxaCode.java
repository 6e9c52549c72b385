package io.orgsync.miniapp;

/** A mini-program code image as the upstream returned it. */
public record WxaCode(byte[] bytes, String contentType) {}
