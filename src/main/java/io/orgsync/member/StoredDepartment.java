package io.orgsync.member;

/** A department row. */
public record StoredDepartment(long id, String name, long parentId, long order) {}
