package io.orgsync.wecom;

/** A department as WeCom's department/list returns it (root: id 1, parent 0). */
public record WecomDepartment(int id, String name, int parentId, long order) {}
