package io.orgsync.member;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * An enterprise's departments as one immutable tree, read from one snapshot of the database: the
 * path of each department (names from the root down, joined by '/'), its sub-departments, and
 * the tree in display order. A department whose parent is not stored counts as a root, and a
 * parent chain that loops (never written by a sync, but the data is not ours to trust) is cut.
 */
public final class DepartmentTree {
    private static final Comparator<StoredDepartment> SIBLINGS =
            Comparator.comparingLong(StoredDepartment::order).thenComparingLong(StoredDepartment::id);
    private final Map<Long, StoredDepartment> byId;
    private final Map<Long, String> paths = new HashMap<>();
    private final Map<Long, List<StoredDepartment>> children = new HashMap<>();
    private final List<StoredDepartment> ordered = new ArrayList<>();
    private final long weight;

    private DepartmentTree(Map<Long, StoredDepartment> byId) {
        this.byId = Map.copyOf(byId);
        List<StoredDepartment> roots = new ArrayList<>();
        for (StoredDepartment d : byId.values()) {
            if (d.parentId() == d.id() || !byId.containsKey(d.parentId())) {
                roots.add(d);
            } else {
                children.computeIfAbsent(d.parentId(), k -> new ArrayList<>()).add(d);
            }
        }
        children.values().forEach(list -> list.sort(SIBLINGS));
        roots.sort(SIBLINGS);
        Set<Long> seen = new HashSet<>();
        for (StoredDepartment root : roots) {
            walk(root, null, seen);
        }
        // departments on a loop reach no root: they get their own name as path, and hang nowhere
        for (StoredDepartment d : byId.values()) {
            if (!seen.contains(d.id())) {
                walk(d, null, seen);
            }
        }
        long w = 64;
        for (StoredDepartment d : ordered) {
            w += 96 + 2L * length(d.name()) + 48 + 2L * length(paths.get(d.id()));
        }
        this.weight = w;
    }

    private static int length(String s) {
        return s == null ? 0 : s.length();
    }

    public static DepartmentTree of(Collection<StoredDepartment> departments) {
        Map<Long, StoredDepartment> byId = new HashMap<>();
        departments.forEach(d -> byId.put(d.id(), d));
        return new DepartmentTree(byId);
    }

    private void walk(StoredDepartment d, String parentPath, Set<Long> seen) {
        // iterative depth-first walk: a tree may be deep, and the stack is not ours to spend
        List<Object[]> stack = new ArrayList<>();
        stack.add(new Object[] {d, parentPath, false});
        while (!stack.isEmpty()) {
            Object[] top = stack.remove(stack.size() - 1);
            StoredDepartment current = (StoredDepartment) top[0];
            if (!seen.add(current.id())) {
                continue;
            }
            // a name the set-up did not read (department/simplelist has none) leaves no path at or below it
            boolean unknown = (Boolean) top[2] || current.name() == null;
            String path = unknown ? null : top[1] == null ? current.name() : top[1] + "/" + current.name();
            if (path != null) {
                paths.put(current.id(), path);
            }
            ordered.add(current);
            List<StoredDepartment> kids = children.getOrDefault(current.id(), List.of());
            for (int i = kids.size() - 1; i >= 0; i--) {
                stack.add(new Object[] {kids.get(i), path, unknown});
            }
        }
    }

    public Optional<StoredDepartment> department(long id) {
        return Optional.ofNullable(byId.get(id));
    }

    /** The department's path, or null when it is not stored or a name on it is not known. */
    public String path(long id) {
        return paths.get(id);
    }

    /** The department and every department below it. */
    public Set<Long> subtree(long id) {
        Set<Long> out = new TreeSet<>();
        if (!byId.containsKey(id)) {
            return out;
        }
        List<Long> todo = new ArrayList<>(List.of(id));
        while (!todo.isEmpty()) {
            long next = todo.remove(todo.size() - 1);
            if (out.add(next)) {
                children.getOrDefault(next, List.of()).forEach(c -> todo.add(c.id()));
            }
        }
        return out;
    }

    /** Every department, parents before children, siblings by their order and then id. */
    public List<StoredDepartment> inOrder() {
        return ordered;
    }

    /**
     * References for a member's departments (id to the member's leader flag in it), by id; a
     * department that is not stored has neither name nor path.
     */
    public List<Member.DepartmentRef> refs(Map<Long, Boolean> memberships) {
        List<Member.DepartmentRef> out = new ArrayList<>(memberships.size());
        for (long id : new TreeSet<>(memberships.keySet())) {
            StoredDepartment d = byId.get(id);
            out.add(new Member.DepartmentRef(id, d == null ? null : d.name(), paths.get(id), memberships.get(id)));
        }
        return out;
    }

    public int size() {
        return byId.size();
    }

    /** About how many bytes of heap the tree takes, for a cache bounded by memory. */
    public long weight() {
        return weight;
    }
}
