package io.orgsync.simulator;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Control bodies in and answers out. A body binds to a record whose constructor checks it; a
 * value of the wrong kind or a failed check is refused 400 with what to fix, naming the field.
 * A field given as {@code null} counts as left out.
 */
final class ControlJson {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            // "5" is not a number, 1.5 not a whole one and "yes" not a boolean: refuse, never guess
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .withConfigOverride(List.class, o -> o.setSetterInfo(JsonSetter.Value.forContentNulls(Nulls.FAIL)))
            // checked before binding (Jackson would check them only after the record's constructor)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private ControlJson() {}

    /** The body bound to {@code type}; fields the record does not have are ignored. */
    static <T extends Record> T read(Context ctx, Class<T> type) {
        return bind(object(ctx), type);
    }

    /** The body bound to {@code type}; a field the record does not have is refused with {@code unknownField}'s message. */
    static <T extends Record> T read(Context ctx, Class<T> type, Function<String, String> unknownField) {
        ObjectNode body = object(ctx);
        refuseUnknown(body, type, unknownField);
        return bind(body, type);
    }

    /** {@code current} with the given fields replaced, checked as a whole: a bad field changes nothing. */
    @SuppressWarnings("unchecked")
    static <T extends Record> T merge(T current, ObjectNode changes, Function<String, String> unknownField) {
        Class<T> type = (Class<T>) current.getClass();
        refuseUnknown(changes, type, unknownField);
        ObjectNode merged = MAPPER.valueToTree(current);
        merged.setAll(withoutNulls(changes));
        return bind(merged, type);
    }

    /** The body, which must be a JSON object. */
    static ObjectNode object(Context ctx) {
        JsonNode node;
        try {
            node = MAPPER.readTree(ctx.bodyAsBytes());
        } catch (IOException e) {
            node = null;
        }
        if (node == null || !node.isObject()) {
            throw ControlException.badRequest("the body must be a JSON object");
        }
        return (ObjectNode) node;
    }

    /** The JSON names of a body record's fields, in their order. */
    static List<String> fieldNames(Class<? extends Record> type) {
        return new ArrayList<>(fields(type).keySet());
    }

    static void reply(Context ctx, int status, Object body) {
        try {
            ctx.status(status).contentType(Gate.JSON).result(MAPPER.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static void refuse(Context ctx, int status, String message) {
        reply(ctx, status, Map.of("error", message));
    }

    private static <T> T bind(ObjectNode body, Class<T> type) {
        try {
            return MAPPER.treeToValue(withoutNulls(body), type);
        } catch (ValueInstantiationException e) {
            if (e.getCause() instanceof IllegalArgumentException refused) {
                throw ControlException.badRequest(refused.getMessage());
            }
            throw new IllegalStateException(e);
        } catch (JsonMappingException e) {
            String field = e.getPath().isEmpty() ? null : e.getPath().get(0).getFieldName();
            Type fieldType = field == null ? null : fields(type).get(field);
            if (fieldType == null) {
                throw new IllegalStateException(e);
            }
            throw ControlException.badRequest(field + " must be " + kind(MAPPER.constructType(fieldType), false));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void refuseUnknown(ObjectNode body, Class<?> type, Function<String, String> unknownField) {
        Map<String, Type> known = fields(type);
        body.fieldNames().forEachRemaining(field -> {
            if (!known.containsKey(field)) {
                throw ControlException.badRequest(unknownField.apply(field));
            }
        });
    }

    private static ObjectNode withoutNulls(ObjectNode body) {
        ObjectNode copy = body.deepCopy();
        copy.properties().removeIf(field -> field.getValue().isNull());
        return copy;
    }

    /** A record's fields by JSON name, in their order. */
    private static Map<String, Type> fields(Class<?> type) {
        Map<String, Type> out = new LinkedHashMap<>();
        for (RecordComponent c : type.getRecordComponents()) {
            JsonProperty renamed = c.getAccessor().getAnnotation(JsonProperty.class);
            out.put(renamed != null && !renamed.value().isEmpty() ? renamed.value() : c.getName(), c.getGenericType());
        }
        return out;
    }

    /** What a value of this type must be, in the words of an error message. */
    private static String kind(JavaType type, boolean plural) {
        if (type.isCollectionLikeType()) {
            return "a list of " + kind(type.getContentType(), true);
        }
        Class<?> c = type.getRawClass();
        if (c == int.class || c == Integer.class || c == long.class || c == Long.class) {
            return plural ? "whole numbers" : "a whole number";
        }
        if (c == double.class || c == Double.class) {
            return plural ? "numbers" : "a number";
        }
        if (c == boolean.class || c == Boolean.class) {
            return "true or false";
        }
        return plural ? "texts" : "text";
    }
}
