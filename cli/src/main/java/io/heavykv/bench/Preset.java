package io.heavykv.bench;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A named sweep: configurations, an optional baseline configuration run alongside them, the run matrix, and
 * optional gates (kept as JSON until evaluation, because a rolling baseline needs the caller's history file).
 *
 * @param context      session context length; 0 = automatic (see {@link BenchRunner})
 * @param prefillChunk prompt tokens per prefill step
 */
public record Preset(String name, String description, RunMatrix matrix, int context, int prefillChunk,
                     Optional<BenchConfig> baseline, List<BenchConfig> configs, Optional<JsonNode> gates) {

    public Preset {
        configs = List.copyOf(configs);
        if (configs.isEmpty()) throw new IllegalArgumentException("preset '" + name + "' has no configurations");
        List<String> seen = new ArrayList<>();
        for (BenchConfig c : all(baseline, configs)) {
            if (seen.contains(c.id())) throw new IllegalArgumentException("preset '" + name + "' names configuration '" + c.id() + "' twice");
            seen.add(c.id());
        }
    }

    /** The baseline first (when there is one), then the configurations. */
    public List<BenchConfig> allConfigs() { return all(baseline, configs); }

    private static List<BenchConfig> all(Optional<BenchConfig> baseline, List<BenchConfig> configs) {
        List<BenchConfig> all = new ArrayList<>();
        baseline.ifPresent(all::add);
        all.addAll(configs);
        return all;
    }
}
