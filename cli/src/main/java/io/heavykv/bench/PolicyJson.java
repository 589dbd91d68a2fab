package io.heavykv.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.heavykv.eviction.Policies;
import io.heavykv.eviction.PolicyConfig;
import io.heavykv.eviction.PolicyType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Binds an eviction policy's configuration from JSON: {@code "policy"} names a registered policy (the names from
 * {@link Policies}, each with its configuration record), every other key is one of its settings, flat: the keys
 * of nested settings (a schedule, SnapKV's inside PyramidKV) sit beside the policy's own. Keys left out take the
 * policy's defaults; an unknown key, a null or a value of the wrong type is an error naming the key.
 */
public final class PolicyJson {
    static final String POLICY = "policy";

    /**
     * The project's mapper, reading strictly: the tree it binds is the policy's defaults with the given keys set, each
     * checked against its default's JSON type first ({@link #requireType}), so nothing is left for Jackson to guess.
     */
    private static final ObjectReader STRICT = BenchJson.MAPPER.reader()
            .with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES,
                    DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
            .without(DeserializationFeature.ACCEPT_FLOAT_AS_INT);

    private PolicyJson() {
    }

    /** The policy's settings as one flat object, its defaults filled in (for help texts and errors). */
    public static ObjectNode defaults(String policy) {
        ObjectNode flat = settings(Policies.named(policy).defaults());
        flat.remove(POLICY);
        return flat;
    }

    /** A configuration as {@link #bind} reads it: "policy" and the flat keys. */
    public static ObjectNode settings(PolicyConfig config) {
        ObjectNode flat = BenchJson.MAPPER.createObjectNode();
        flat.put(POLICY, Policies.nameOf(config));
        flatten(tree(config), flat);
        return flat;
    }

    /**
     * The configuration {@code settings} describe ({@code "policy"} and flat keys; without "policy", the full
     * cache). {@code where} names the place in errors.
     */
    public static PolicyConfig bind(ObjectNode settings, String where) {
        String name = settings.has(POLICY) ? text(settings.get(POLICY), where) : "full";
        PolicyType type = Policies.all().stream().filter(t -> t.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(where + ": key 'policy' must be one of "
                        + Policies.all().stream().map(PolicyType::name).toList() + ", got \"" + name + "\""));
        ObjectNode tree = tree(type.defaults());
        for (Iterator<Map.Entry<String, JsonNode>> it = settings.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equals(POLICY)) continue;
            if (e.getValue().isNull()) {
                throw new IllegalArgumentException(where + ": key '" + e.getKey() + "' is null: give a value, or leave the key out for the default");
            }
            ObjectNode owner = owner(tree, e.getKey());
            if (owner == null) {
                boolean another = Policies.all().stream().anyMatch(t -> keys(t.name()).contains(e.getKey()));
                throw new IllegalArgumentException(where + ": " + (another ? "key '" + e.getKey() + "' does not apply to policy " + name
                        : "unknown key '" + e.getKey() + "'") + " (known keys: " + String.join(", ", keys(name)) + ")");
            }
            requireType(e.getKey(), owner.get(e.getKey()), e.getValue(), where);
            owner.set(e.getKey(), e.getValue());
        }
        try {
            return STRICT.forType(type.configType()).readValue(tree);
        } catch (ValueInstantiationException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new IllegalArgumentException(where + ": " + cause.getMessage(), e);
        } catch (InvalidFormatException e) {
            if (e.getTargetType() != null && e.getTargetType().isEnum()) {
                List<String> names = new ArrayList<>();
                for (Object c : e.getTargetType().getEnumConstants()) names.add(c.toString().toLowerCase(Locale.ROOT));
                throw new IllegalArgumentException(where + ": key '" + e.getPath().getLast().getFieldName() + "' must be one of "
                        + names + ", got \"" + e.getValue() + "\"", e);
            }
            throw new IllegalArgumentException(where + ": " + describe(e), e);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(where + ": " + describe(e), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A value of the JSON type of the key's default: an integer where the default is one, and so on. */
    private static void requireType(String key, JsonNode defaultValue, JsonNode value, String where) {
        String expected = null;
        if (defaultValue.isIntegralNumber() && !(value.isIntegralNumber() && value.canConvertToInt())) expected = "an integer";
        else if (defaultValue.isNumber() && !value.isNumber()) expected = "a number";
        else if (defaultValue.isBoolean() && !value.isBoolean()) expected = "true or false";
        else if (defaultValue.isTextual() && !value.isTextual()) expected = "a string";
        if (expected != null) {
            throw new IllegalArgumentException(where + ": key '" + key + "' must be " + expected + ", got " + value);
        }
    }

    /** The flat keys of a policy, sorted. */
    public static List<String> keys(String policy) {
        List<String> keys = new ArrayList<>();
        defaults(policy).fieldNames().forEachRemaining(keys::add);
        keys.sort(null);
        return keys;
    }

    private static ObjectNode tree(PolicyConfig config) {
        return BenchJson.MAPPER.valueToTree(config);
    }

    /** The object (the top or a nested one) that holds {@code key}, or null. */
    private static ObjectNode owner(ObjectNode node, String key) {
        if (node.has(key) && !node.get(key).isObject()) return node;
        for (JsonNode child : node) {
            if (child.isObject()) {
                ObjectNode found = owner((ObjectNode) child, key);
                if (found != null) return found;
            }
        }
        return null;
    }

    /** The leaves of {@code node} (a nested policy's, such as PyramidKV's SnapKV, among them) into one object. */
    private static void flatten(ObjectNode node, ObjectNode into) {
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getValue().isObject()) flatten((ObjectNode) e.getValue(), into);
            else into.set(e.getKey(), e.getValue());
        }
    }

    private static String text(JsonNode value, String where) {
        if (!value.isTextual()) throw new IllegalArgumentException(where + ": key 'policy' must be a string, got " + value);
        return value.textValue();
    }

    /** Jackson's message without its source excerpt, led by the key it is about. */
    private static String describe(JsonProcessingException e) {
        String key = e instanceof com.fasterxml.jackson.databind.JsonMappingException m && !m.getPath().isEmpty()
                ? m.getPath().getLast().getFieldName() : null;
        String message = e.getOriginalMessage();
        return key == null ? message : "key '" + key + "': " + message;
    }
}
