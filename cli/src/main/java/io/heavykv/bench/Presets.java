package io.heavykv.bench;

import io.heavykv.files.InputFiles;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Loads presets and configuration files. A preset is
 * <pre>{"name": ..., "description": ..., "matrix": {"prompt_tokens": [..], "generate_tokens": [..], "repeats": N,
 *   "context": 0, "prefill_chunk": 64}, "baseline": {config}, "base": {config keys}, "configs": [{config}, ..],
 *   "gates": {...}}</pre>
 * where each entry of {@code configs} is {@code base} overlaid with the entry's own keys (the baseline is not).
 */
public final class Presets {
    private static final String DIR = "heavykv/presets/";
    private static final Set<String> KEYS = Set.of("name", "description", "matrix", "baseline", "base", "configs", "gates");
    private static final Set<String> MATRIX_KEYS = Set.of("prompt_tokens", "generate_tokens", "repeats", "context", "prefill_chunk");
    static final int DEFAULT_PREFILL_CHUNK = 64;

    private Presets() {
    }

    /** The names of the presets shipped in the jar. */
    public static List<String> bundled() {
        return TextPrompts.resource(DIR + "index.txt").lines().map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    /** A preset from a file path, else a bundled preset of that name. */
    public static Preset load(String nameOrPath) throws IOException {
        Path path = Path.of(nameOrPath);
        if (Files.exists(path)) return parse(InputFiles.readText(path, "preset file"), path.toString());
        String name = nameOrPath.endsWith(".json") ? nameOrPath.substring(0, nameOrPath.length() - 5) : nameOrPath;
        if (!bundled().contains(name)) {
            throw new IllegalArgumentException("no preset file " + nameOrPath + " and no bundled preset of that name (bundled: "
                    + String.join(", ", bundled()) + ")");
        }
        return parse(TextPrompts.resource(DIR + name + ".json"), "bundled preset " + name);
    }

    public static Preset parse(String text, String source) {
        StrictJson json = new StrictJson(readTree(text, source), source);
        json.requireKeys(KEYS);
        String name = json.text("name", source);
        StrictJson m = json.has("matrix") ? json.object("matrix") : new StrictJson(BenchJson.MAPPER.createObjectNode(), source + " matrix");
        m.requireKeys(MATRIX_KEYS);
        RunMatrix matrix = new RunMatrix(m.integers("prompt_tokens", List.of(128)), m.integers("generate_tokens", List.of(32)),
                m.integer("repeats", 1));
        int context = m.integer("context", 0);
        if (context < 0) throw new IllegalArgumentException(m.where() + ": key 'context' must be >= 0 (0 = automatic), got " + context);
        int chunk = m.integer("prefill_chunk", DEFAULT_PREFILL_CHUNK);
        if (chunk < 1) throw new IllegalArgumentException(m.where() + ": key 'prefill_chunk' must be at least 1, got " + chunk);
        Optional<BenchConfig> baseline = json.has("baseline")
                ? Optional.of(CacheConfigJson.parse(json.object("baseline"), "baseline")) : Optional.empty();
        ObjectNode base = json.has("base") ? (ObjectNode) json.object("base").node() : BenchJson.MAPPER.createObjectNode();
        JsonNode list = json.node().get("configs");
        if (list == null || !list.isArray() || list.isEmpty()) {
            throw new IllegalArgumentException(source + ": key 'configs' must be a non-empty list of configurations");
        }
        List<BenchConfig> configs = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            String where = source + " configs[" + i + "]";
            StrictJson entry = new StrictJson(list.get(i), where);
            ObjectNode merged = base.deepCopy();
            merged.setAll((ObjectNode) entry.node());
            configs.add(CacheConfigJson.parse(new StrictJson(merged, where), "config" + (i + 1)));
        }
        Optional<JsonNode> gates = json.has("gates") ? Optional.of(json.object("gates").node()) : Optional.empty();
        return new Preset(name, json.text("description", ""), matrix, context, chunk, baseline, configs, gates);
    }

    /**
     * Configurations from a file: one configuration object, a list of them, or a preset (its baseline and
     * configurations).
     */
    public static List<BenchConfig> loadConfigs(Path file) throws IOException {
        String text = InputFiles.readText(file, "config file");
        JsonNode root = readTree(text, file.toString());
        if (root.isObject() && root.has("configs")) return parse(text, file.toString()).allConfigs();
        if (root.isArray()) {
            List<BenchConfig> configs = new ArrayList<>();
            for (int i = 0; i < root.size(); i++) {
                configs.add(CacheConfigJson.parse(new StrictJson(root.get(i), file + " [" + i + "]"), "config" + (i + 1)));
            }
            if (configs.isEmpty()) throw new IllegalArgumentException(file + " holds an empty list of configurations");
            return configs;
        }
        return List.of(CacheConfigJson.parse(new StrictJson(root, file.toString()), stem(file)));
    }

    private static String stem(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    private static JsonNode readTree(String text, String source) {
        try {
            return BenchJson.SETTINGS.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(source + " is not valid JSON: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")"), e);
        }
    }
}
