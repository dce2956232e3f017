package io.estuary.audit.domain;

import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * JSON with one spelling per value: object keys sorted, no whitespace, nulls written. What is hashed must not depend on
 * the order a producer happened to write its fields in.
 */
public final class CanonicalJson {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS).build();

    private CanonicalJson() {
    }

    /** A map (values: strings, numbers, booleans, nulls, maps, lists) as canonical JSON. */
    public static String write(Map<String, ?> object) {
        try {
            return MAPPER.writeValueAsString(object);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not representable as JSON", e);
        }
    }

    /** A parsed JSON tree as canonical JSON. */
    @SuppressWarnings("unchecked")
    public static String write(JsonNode tree) {
        Object plain = MAPPER.convertValue(tree, Object.class);
        if (!(plain instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException("an event must be a JSON object");
        }
        return write((Map<String, ?>) map);
    }
}
