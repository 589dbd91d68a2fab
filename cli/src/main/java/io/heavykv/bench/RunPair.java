package io.heavykv.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A run of some configuration beside the run of the baseline configuration with the same setting (prompt,
 * generation length) and repeat: runs interleaved inside a repeat share whatever else the machine was doing,
 * so their ratio is the figure a shared machine cannot skew much.
 *
 * @param baseline the passing baseline run of the same setting and repeat; {@code null} when there is none
 */
public record RunPair(RunRecord candidate, RunRecord baseline) {

    public boolean paired() { return baseline != null; }

    /**
     * Every passing run of a configuration other than {@code baselineId} with its baseline run, grouped by
     * configuration and setting, groups and runs in first-run order.
     */
    public static List<List<RunPair>> groups(String baselineId, List<RunRecord> records) {
        Map<String, List<RunPair>> groups = new LinkedHashMap<>();
        for (RunRecord r : records) {
            if (!r.passed() || r.configId().equals(baselineId)) continue;
            RunRecord base = records.stream().filter(b -> b.passed() && b.configId().equals(baselineId)
                    && Objects.equals(b.promptId(), r.promptId()) && b.generatedTokens() == r.generatedTokens()
                    && b.repeat() == r.repeat()).findFirst().orElse(null);
            groups.computeIfAbsent(r.configId() + "\n" + r.promptId() + "\n" + r.generatedTokens(), k -> new ArrayList<>())
                    .add(new RunPair(r, base));
        }
        return List.copyOf(groups.values());
    }
}
