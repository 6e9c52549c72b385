package io.orgsync.sync;

/** What an apply changed. */
record SyncCounts(int added, int updated, int removed, int departmentsChanged, java.util.List<String> examples) {
    static final SyncCounts NONE = new SyncCounts(0, 0, 0);

    SyncCounts(int added, int updated, int removed) {
        this(added, updated, removed, 0, java.util.List.of());
    }

    /** Members and departments this apply changed. */
    int corrections() {
        return added + updated + removed + departmentsChanged;
    }
}
