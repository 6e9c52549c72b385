package io.orgsync.member;

/**
 * Where member reads keep department trees between calls, by enterprise and org version (see
 * {@code read.OrgVersions}): a tree read at version v is right for every member row read at v.
 */
public interface TreeCache {
    /** The tree of the enterprise at that version, or null. */
    DepartmentTree tree(String corpId, long version);

    void keep(String corpId, long version, DepartmentTree tree);

    TreeCache NONE = new TreeCache() {
        public DepartmentTree tree(String corpId, long version) {
            return null;
        }

        public void keep(String corpId, long version, DepartmentTree tree) {}
    };
}
