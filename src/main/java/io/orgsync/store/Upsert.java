package io.orgsync.store;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A row written by its key, for {@link Dialect#upsert} and {@link Dialect#insertIfAbsent}: the
 * table, its key columns, and what each other column becomes when a row with the key exists.
 * Immutable; build it once as a constant, e.g.
 * {@code Upsert.into("resolve_budget", "corp_id", "day_key").add("failures")}.
 */
public final class Upsert {
    /** What a column becomes when the key's row already exists. */
    public enum OnConflict {
        /** written only into a new row */
        KEEP,
        /** takes the new value */
        REPLACE,
        /** the stored value plus the new one (a counter) */
        ADD
    }

    private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_]*");

    private final String table;
    private final List<String> key;
    private final Map<String, OnConflict> others;

    private Upsert(String table, List<String> key, Map<String, OnConflict> others) {
        this.table = table;
        this.key = key;
        this.others = others;
    }

    public static Upsert into(String table, String... keyColumns) {
        if (keyColumns.length == 0) {
            throw new IllegalArgumentException("an upsert of " + table + " needs its key columns");
        }
        return new Upsert(name(table), List.of(names(keyColumns)), Map.of());
    }

    public Upsert keep(String... columns) {
        return with(OnConflict.KEEP, columns);
    }

    public Upsert replace(String... columns) {
        return with(OnConflict.REPLACE, columns);
    }

    public Upsert add(String... columns) {
        return with(OnConflict.ADD, columns);
    }

    public String table() {
        return table;
    }

    public List<String> key() {
        return key;
    }

    /** Every column in the order values bind: the key, then the others as they were named. */
    public List<String> columns() {
        List<String> all = new ArrayList<>(key);
        all.addAll(others.keySet());
        return all;
    }

    public OnConflict onConflict(String column) {
        return others.getOrDefault(column, OnConflict.KEEP);
    }

    /** The columns an existing row changes in, in binding order. */
    public List<String> updated() {
        return others.entrySet().stream()
                .filter(e -> e.getValue() != OnConflict.KEEP)
                .map(Map.Entry::getKey)
                .toList();
    }

    void checkBinds(Object[] values) {
        if (values.length != key.size() + others.size()) {
            throw new IllegalArgumentException("an upsert of " + table + " binds " + (key.size() + others.size())
                    + " values (" + columns() + "), not " + values.length);
        }
    }

    private Upsert with(OnConflict action, String... columns) {
        Map<String, OnConflict> next = new LinkedHashMap<>(others);
        for (String column : names(columns)) {
            if (key.contains(column) || next.putIfAbsent(column, action) != null) {
                throw new IllegalArgumentException(column + " is named twice in an upsert of " + table);
            }
        }
        return new Upsert(table, key, next);
    }

    private static String[] names(String[] names) {
        for (String n : names) {
            name(n);
        }
        return names;
    }

    private static String name(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not a plain table or column name: " + name);
        }
        return name;
    }
}
