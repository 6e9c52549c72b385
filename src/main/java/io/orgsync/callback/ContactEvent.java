package io.orgsync.callback;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * One decrypted contact-change event: WeCom's fields as they came ({@code ChangeType},
 * {@code UserID}, {@code Name}, ...). Events set up after 2022-08-15 carry only the ids, and an
 * {@code update_user} only the changed fields, so every field but the ids may be absent.
 */
public record ContactEvent(Map<String, String> fields) {
    /** Member fields beyond the ids: one of them present means the event carries the member's data. */
    private static final Set<String> MEMBER_DATA = Set.of(
            "Name",
            "Mobile",
            "Position",
            "Email",
            "Status",
            "Gender",
            "Alias",
            "Telephone",
            "Address",
            "BizMail",
            "Avatar",
            "DirectLeader",
            "IsLeaderInDept");

    private static final Set<String> DEPARTMENT_DATA = Set.of("Name", "Order");

    /** The field that names the subject of each family of change types. */
    private static final Map<String, String> ID_FIELD = Map.of("user", "UserID", "party", "Id", "tag", "TagId");

    /** The change types orgsync writes into the stored org. */
    private static final Set<String> WRITTEN =
            Set.of("create_user", "update_user", "delete_user", "create_party", "update_party", "delete_party");

    /** Fields that the writer reads as numbers, as they must look (department ids and statuses are ints). */
    private static final Map<String, Pattern> USER_NUMBERS = Map.of(
            "MainDepartment", Pattern.compile("[0-9]{1,9}"),
            "Status", Pattern.compile("[0-9]{1,9}"),
            "Department", Pattern.compile("\\s*([0-9]{1,9}\\s*(,\\s*[0-9]{1,9}\\s*)*)?"));

    private static final Map<String, Pattern> PARTY_NUMBERS = Map.of(
            "Id", Pattern.compile("[0-9]{1,9}"),
            "ParentId", Pattern.compile("[0-9]{1,9}"),
            "Order", Pattern.compile("[0-9]{1,18}"));

    public ContactEvent {
        fields = Map.copyOf(fields);
    }

    /**
     * The event inside a decrypted message.
     *
     * @throws CallbackRejected when it is not XML, or a contact change without its subject's id
     */
    static ContactEvent parse(String xml) {
        ContactEvent e = new ContactEvent(CallbackXml.fields(xml));
        if (e.isContactChange()) {
            if (e.changeType().isEmpty()) {
                throw new CallbackRejected("the change_contact event has no ChangeType");
            }
            String id = ID_FIELD.get(family(e.changeType()));
            if (id != null && (e.get(id) == null || e.get(id).isEmpty())) {
                throw new CallbackRejected("the " + e.changeType() + " event has no " + id);
            }
        }
        try {
            Long.parseLong(e.get("CreateTime"));
        } catch (NumberFormatException | NullPointerException ex) {
            throw new CallbackRejected("the event's CreateTime must be epoch seconds");
        }
        return e;
    }

    public String get(String field) {
        return fields.get(field);
    }

    public boolean has(String field) {
        return fields.containsKey(field);
    }

    boolean isContactChange() {
        return "event".equals(get("MsgType")) && "change_contact".equals(get("Event"));
    }

    public String changeType() {
        return isContactChange()
                ? fields.getOrDefault("ChangeType", "")
                : fields.getOrDefault("Event", fields.getOrDefault("MsgType", "other"));
    }

    public long createTime() {
        return Long.parseLong(get("CreateTime"));
    }

    /**
     * What the event is about: {@code user:<UserID>}, {@code party:<Id>}, {@code tag:<TagId>};
     * {@code <type>:} for any other change type or event.
     */
    public String subject() {
        String type = changeType();
        String family = isContactChange() ? family(type) : "";
        String id = ID_FIELD.get(family);
        return id == null ? type + ":" : family + ":" + fields.getOrDefault(id, "");
    }

    /**
     * Why orgsync writes nothing for this event, or null when it is a change it writes: another
     * kind of event, a tag change (orgsync keeps no tags), a change type WeCom did not document,
     * or a field that must be a number and is not. Such an event is SKIPPED with this reason at
     * once: retrying it could never succeed.
     */
    String notWritten() {
        if (!isContactChange()) {
            return "not a contact change (" + changeType() + "): orgsync keeps members and departments only";
        }
        String family = family(changeType());
        if (!WRITTEN.contains(changeType())) {
            return "tag".equals(family)
                    ? "orgsync keeps no tags: the " + changeType() + " change of tag " + get("TagId") + " is left out"
                    : "unknown change type " + changeType() + ": orgsync writes only the member and department"
                            + " changes of docs/upstream.md; the next sync corrects whatever it meant";
        }
        for (Map.Entry<String, Pattern> f : ("party".equals(family) ? PARTY_NUMBERS : USER_NUMBERS).entrySet()) {
            String value = get(f.getKey());
            if (value != null && !f.getValue().matcher(value).matches()) {
                return "the " + changeType() + " event's " + f.getKey() + " '"
                        + value.substring(0, Math.min(40, value.length()))
                        + "' is not what WeCom sends (a number, or ids separated by commas); the next sync corrects"
                        + " the stored org";
            }
        }
        return null;
    }

    /** {@code user}, {@code party} or {@code tag} for the change types WeCom documents; what follows the last '_' for any. */
    private static String family(String changeType) {
        int at = changeType.lastIndexOf('_');
        return at < 0 ? "" : changeType.substring(at + 1);
    }

    /** Whether the event carries the member's or department's data, not only its ids. */
    boolean carriesData() {
        Set<String> data = changeType().endsWith("_party") ? DEPARTMENT_DATA : MEMBER_DATA;
        return fields.keySet().stream().anyMatch(data::contains);
    }

    /** SHA-1 over every field: repeated deliveries of one event share it; two changes in one second do not. */
    String fingerprint() {
        StringBuilder all = new StringBuilder();
        new TreeMap<>(fields)
                .forEach((k, v) -> all.append(k).append('\u0000').append(v).append('\u0001'));
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-1")
                            .digest(all.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
