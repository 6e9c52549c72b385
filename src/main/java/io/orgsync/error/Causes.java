package io.orgsync.error;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Walks a cause chain, so that no caller writes the loop again: one that forgets the guard
 * against a cycle (an exception that names itself or an earlier one as its cause) never ends.
 */
public final class Causes {
    private Causes() {}

    /** {@code e} and its causes, outermost first, each once. */
    public static List<Throwable> chain(Throwable e) {
        List<Throwable> out = new ArrayList<>();
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable t = e; t != null && seen.add(t); t = t.getCause()) {
            out.add(t);
        }
        return out;
    }

    /** The outermost throwable of the chain that is a {@code type}. */
    public static <T extends Throwable> Optional<T> find(Throwable e, Class<T> type) {
        return find(e, type, t -> true);
    }

    /** The outermost throwable of the chain that is a {@code type} and matches {@code which}. */
    public static <T extends Throwable> Optional<T> find(Throwable e, Class<T> type, Predicate<? super T> which) {
        for (Throwable t : chain(e)) {
            if (type.isInstance(t) && which.test(type.cast(t))) {
                return Optional.of(type.cast(t));
            }
        }
        return Optional.empty();
    }

    /** Whether any throwable of the chain matches. */
    public static boolean any(Throwable e, Predicate<Throwable> which) {
        return chain(e).stream().anyMatch(which);
    }

    /** The innermost cause ({@code e} itself when it has none). */
    public static Throwable root(Throwable e) {
        List<Throwable> chain = chain(e);
        return chain.get(chain.size() - 1);
    }
}
