package io.orgsync.feed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.jackson.JsonFormat;
import io.orgsync.org.OrgChange;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * A change of the log as a CloudEvent 1.0 in structured JSON, the same bytes for a push and for a
 * page of the pull feed: {@code id} "corpId:seq" stays the same however often it is sent, so that
 * receivers de-duplicate on it.
 */
final class FeedEvents {
    static final String CONTENT_TYPE = "application/cloudevents+json";
    static final String TYPE_PREFIX = "io.orgsync.";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonFormat FORMAT = new JsonFormat();

    private final String env;

    FeedEvents(String env) {
        this.env = env;
    }

    static String id(OrgChange change) {
        return change.corpId() + ":" + change.seq();
    }

    byte[] event(OrgChange change) {
        CloudEvent event = CloudEventBuilder.v1()
                .withId(id(change))
                .withType(TYPE_PREFIX + change.kind().type())
                .withSource(URI.create("/orgsync/" + env + "/corps/" + change.corpId()))
                .withSubject(change.subject())
                .withTime(Instant.ofEpochMilli(change.changedAt()).atOffset(ZoneOffset.UTC))
                .withDataContentType("application/json")
                .withExtension("corpid", change.corpId())
                .withExtension("sequence", Long.toString(change.seq()))
                .withData(data(change))
                .build();
        return FORMAT.serialize(event);
    }

    /** The member or department as the read API shows it, with what an update changed. */
    private static byte[] data(OrgChange change) {
        try {
            JsonNode data = JSON.readTree(change.data());
            if (change.kind().type().endsWith(".updated") && data instanceof ObjectNode object) {
                ArrayNode fields = object.putArray("changedFields");
                change.changedFields().forEach(fields::add);
            }
            return JSON.writeValueAsBytes(data);
        } catch (IOException e) {
            throw new UncheckedIOException("a change's data is not JSON: " + id(change), e);
        }
    }
}
