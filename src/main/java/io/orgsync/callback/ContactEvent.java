package io.orgsync.callback;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

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
            if (e.subject().endsWith(":")) {
                throw new CallbackRejected("the " + e.changeType() + " event has no UserID, Id or TagId");
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

    /** What the event is about: {@code user:<UserID>}, {@code party:<Id>}, {@code tag:<TagId>}. */
    public String subject() {
        String type = changeType();
        if (type.endsWith("_user")) {
            return "user:" + fields.getOrDefault("UserID", "");
        }
        if (type.endsWith("_party")) {
            return "party:" + fields.getOrDefault("Id", "");
        }
        if (type.endsWith("_tag")) {
            return "tag:" + fields.getOrDefault("TagId", "");
        }
        return type + ":";
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
