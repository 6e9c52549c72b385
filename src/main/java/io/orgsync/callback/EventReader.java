package io.orgsync.callback;

import io.orgsync.wecom.Readable;
import io.orgsync.wecom.WecomClient;
import io.orgsync.wecom.WecomDepartment;
import io.orgsync.wecom.WecomMember;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Re-reads what an ID-only event names through the secrets that can read it (docs/setups.md,
 * "Callbacks"): the app's first (within its range), then the contact-sync secret's unless it is
 * known to answer 48009. When none can, {@link ChangeWriter.Read#NONE}: the event's own fields
 * (its Department list) are written.
 */
final class EventReader {
    private final List<WecomClient> clients;

    /** {@code app}, {@code contact}: the clients of the secrets that may read, either null. */
    EventReader(WecomClient app, WecomClient contact) {
        clients = new ArrayList<>();
        if (app != null) {
            clients.add(app);
        }
        if (contact != null) {
            clients.add(contact);
        }
    }

    ChangeWriter.Read read(ContactEvent ev) throws NotReadableYet {
        if (ev.changeType().endsWith("_user")) {
            String userid =
                    ev.has("NewUserID") && !ev.get("NewUserID").isEmpty() ? ev.get("NewUserID") : ev.get("UserID");
            Optional<Optional<WecomMember>> read = first(c -> c.memberIfReadable(userid));
            if (read.isEmpty()) {
                return ChangeWriter.Read.NONE;
            }
            return new ChangeWriter.Read(
                    read.get()
                            .orElseThrow(() -> new NotReadableYet("user/get does not show member " + userid
                                    + " (yet); retried later, never taken for a deletion")),
                    null);
        }
        int id = Integer.parseInt(ev.get("Id"));
        Optional<Optional<WecomDepartment>> read = first(c -> c.departmentIfReadable(id));
        if (read.isEmpty()) {
            return ChangeWriter.Read.NONE;
        }
        return new ChangeWriter.Read(
                null,
                read.get()
                        .orElseThrow(() -> new NotReadableYet(
                                "department/get does not show department " + id + " (yet); retried later")));
    }

    /** The first secret's answer that may read it; empty when none may. */
    private <T> Optional<Optional<T>> first(Function<WecomClient, Readable<T>> read) {
        for (WecomClient c : clients) {
            Readable<T> r = read.apply(c);
            if (r.readable()) {
                return Optional.of(r.value());
            }
        }
        return Optional.empty();
    }
}
