package io.heavykv.bench;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Typed reads from a JSON object for hand-written settings files, where a typo must not be silently
 * ignored: every error names the place ({@code where}) and the key.
 */
public final class StrictJson {
    private final JsonNode node;
    private final String where;

    public StrictJson(JsonNode node, String where) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException(where + " must be a JSON object, got " + describe(node));
        }
        this.node = node;
        this.where = where;
    }

    public String where() { return where; }

    public JsonNode node() { return node; }

    /**
     * Whether {@code key} is given. A JSON null is refused rather than read as absent: "null" in a settings
     * file is a value someone meant, and the default it would silently become is not what they wrote.
     */
    public boolean has(String key) {
        if (!node.has(key)) return false;
        if (node.get(key).isNull()) {
            throw new IllegalArgumentException(where + ": key '" + key + "' is null: give a value, or leave the key out for the default");
        }
        return true;
    }

    /** Rejects any key outside {@code allowed}, listing the allowed ones. */
    public void requireKeys(Set<String> allowed) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String key = names.next();
            if (!allowed.contains(key)) {
                throw new IllegalArgumentException(where + ": unknown key '" + key + "' (known keys: "
                        + String.join(", ", allowed.stream().sorted().toList()) + ")");
            }
        }
    }

    public int integer(String key, int fallback) {
        if (!has(key)) return fallback;
        JsonNode value = node.get(key);
        if (!value.isIntegralNumber() || !value.canConvertToInt()) throw bad(key, "an integer", value);
        return value.intValue();
    }

    public double number(String key, double fallback) {
        if (!has(key)) return fallback;
        JsonNode value = node.get(key);
        if (!value.isNumber()) throw bad(key, "a number", value);
        return value.doubleValue();
    }

    public boolean bool(String key, boolean fallback) {
        if (!has(key)) return fallback;
        JsonNode value = node.get(key);
        if (!value.isBoolean()) throw bad(key, "true or false", value);
        return value.booleanValue();
    }

    public String text(String key, String fallback) {
        if (!has(key)) return fallback;
        JsonNode value = node.get(key);
        if (!value.isTextual()) throw bad(key, "a string", value);
        return value.textValue();
    }

    /** A string that must name one of {@code values} (case-insensitive, '-' and '_' alike). */
    public <E extends Enum<E>> E choice(String key, Class<E> type, E fallback) {
        if (!has(key)) return fallback;
        String raw = text(key, null);
        for (E e : type.getEnumConstants()) {
            if (e.name().replace('_', '-').equalsIgnoreCase(raw.replace('_', '-'))) return e;
        }
        List<String> names = new ArrayList<>();
        for (E e : type.getEnumConstants()) names.add(e.name().toLowerCase());
        throw new IllegalArgumentException(where + ": key '" + key + "' must be one of " + names + ", got \"" + raw + "\"");
    }

    /** A positive integer or a list of them. */
    public List<Integer> integers(String key, List<Integer> fallback) {
        if (!has(key)) return fallback;
        JsonNode value = node.get(key);
        List<Integer> out = new ArrayList<>();
        if (value.isArray()) {
            for (JsonNode item : value) {
                if (!item.isIntegralNumber() || !item.canConvertToInt()) throw bad(key, "a list of integers", value);
                out.add(item.intValue());
            }
        } else if (value.isIntegralNumber() && value.canConvertToInt()) {
            out.add(value.intValue());
        } else {
            throw bad(key, "an integer or a list of integers", value);
        }
        if (out.isEmpty()) throw bad(key, "a non-empty list", value);
        for (int v : out) if (v <= 0) throw bad(key, "positive", value);
        return out;
    }

    public StrictJson object(String key) {
        return new StrictJson(node.get(key), where + " key '" + key + "'");
    }

    private IllegalArgumentException bad(String key, String expected, JsonNode value) {
        return new IllegalArgumentException(where + ": key '" + key + "' must be " + expected + ", got " + describe(value));
    }

    private static String describe(JsonNode value) {
        if (value == null || value.isMissingNode()) return "nothing";
        String text = value.toString();
        return text.length() > 60 ? text.substring(0, 57) + "..." : text;
    }
}
