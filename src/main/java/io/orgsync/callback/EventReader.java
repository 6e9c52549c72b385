package io.orgsync.callback;

import io.orgsync.wecom.Readable;
import io.orgsync.wecom.WecomClient;
import io.orgsync.wecom.WecomDepartment;
import io.orgsync.wecom.WecomMember;
import java.sql.SQLException;
import java.util.Optional;
import java.util.function.Function;

/**
 * Re-reads what an ID-only event names through the secrets that can read it (docs/setups.md,
 * "Callbacks"): the app's first (within its range), then the contact-sync secret's unless it is
 * known to answer 48009. When none can, {@link ChangeWriter.Read#NONE}: the event's own fields
 * (its Department list) are written. A contact-sync secret that answers 48009 here is learned as a
 * sync's is: this reader asks it no more, and the enterprise row remembers it for the day, so that
 * the events after it are not each refused again.
 */
final class EventReader {
    /** Records that the enterprise's contact-sync secret answered 48009 (IdsOnlyMemory#learned). */
    interface IdsOnlyLearned {
        void learned() throws SQLException;
    }

    private final WecomClient app;
    private final IdsOnlyLearned idsOnly;
    private WecomClient contact;

    /**
     * {@code app}, {@code contact}: the clients of the secrets that may read, either null;
     * {@code idsOnly}: told when the contact-sync secret answers 48009.
     */
    EventReader(WecomClient app, WecomClient contact, IdsOnlyLearned idsOnly) {
        this.app = app;
        this.contact = contact;
        this.idsOnly = idsOnly;
    }

    ChangeWriter.Read read(ContactEvent ev) throws NotReadableYet, SQLException {
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
    private <T> Optional<Optional<T>> first(Function<WecomClient, Readable<T>> read) throws SQLException {
        if (app != null) {
            Readable<T> r = read.apply(app);
            if (r.readable()) {
                return Optional.of(r.value());
            }
        }
        if (contact != null) {
            Readable<T> r = read.apply(contact);
            if (r.readable()) {
                return Optional.of(r.value());
            }
            if (r.idsOnly()) {
                // a contact-sync secret on a new IP: it reads ids only, for this event and every one after it
                contact = null;
                idsOnly.learned();
            }
        }
        return Optional.empty();
    }
}
