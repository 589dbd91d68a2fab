package io.heavykv.bench.prompts;

import io.heavykv.bench.RunRecord;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.function.ToDoubleFunction;

/**
 * One configuration's results over a prompt run. Speed and ratio figures are over passing runs only; lossless
 * figures are {@code null} when no run measured them.
 */
public record PromptSummary(String configId, int runs, int passes, List<String> failures,
                            double decodeTokSAvg, double decodeTokSMin, double decodeTokSMax,
                            double keepRatioAvg, double lossyRatioAvg, double lossyRatioMin, double lossyRatioMax,
                            Double losslessRatioAvg, Double totalRatioAvg, Double decompUsMax, Long cacheHitsMax) {

    /** One summary per configuration, in the order the configurations first appear. */
    public static List<PromptSummary> of(List<RunRecord> records) {
        Map<String, List<RunRecord>> byConfig = new LinkedHashMap<>();
        for (RunRecord r : records) byConfig.computeIfAbsent(r.configId(), k -> new ArrayList<>()).add(r);
        List<PromptSummary> out = new ArrayList<>();
        byConfig.forEach((id, runs) -> out.add(of(id, runs)));
        return out;
    }

    static PromptSummary of(String configId, List<RunRecord> runs) {
        List<RunRecord> ok = runs.stream().filter(RunRecord::passed).toList();
        List<RunRecord> lossless = ok.stream().filter(RunRecord::hasLossless).toList();
        List<String> failures = runs.stream().filter(r -> !r.passed()).map(r -> r.promptId() + ": " + r.error()).toList();
        return new PromptSummary(configId, runs.size(), ok.size(), failures,
                avg(ok, RunRecord::decodeTokS), min(ok, RunRecord::decodeTokS), max(ok, RunRecord::decodeTokS),
                avg(ok, RunRecord::keepRatio), avg(ok, RunRecord::lossyRatio), min(ok, RunRecord::lossyRatio), max(ok, RunRecord::lossyRatio),
                lossless.isEmpty() ? null : avg(lossless, RunRecord::losslessRatio),
                lossless.isEmpty() ? null : avg(lossless, RunRecord::totalRatio),
                lossless.stream().map(RunRecord::losslessDecodeUs).filter(Objects::nonNull).max(Double::compare).orElse(null),
                lossless.stream().map(RunRecord::losslessCacheHits).filter(Objects::nonNull).max(Long::compare).orElse(null));
    }

    public void print(PrintStream out) {
        out.println(String.format(Locale.ROOT, "%-20s runs %d, passed %d; decode tok/s avg %.2f min %.2f max %.2f; keep %.3f; lossy avg %.3f (%.3f..%.3f)%s",
                configId, runs, passes, decodeTokSAvg, decodeTokSMin, decodeTokSMax, keepRatioAvg, lossyRatioAvg, lossyRatioMin,
                lossyRatioMax, losslessRatioAvg == null ? "" : String.format(Locale.ROOT,
                        "; lossless avg %.3f, total %.3f, decomp max %.1f us, cache hits max %d",
                        losslessRatioAvg, totalRatioAvg, decompUsMax, cacheHitsMax)));
        for (String f : failures) out.println("  FAILED " + f);
    }

    private static double avg(List<RunRecord> runs, ToDoubleFunction<RunRecord> f) { return orNaN(runs.stream().mapToDouble(f).average()); }

    private static double min(List<RunRecord> runs, ToDoubleFunction<RunRecord> f) { return orNaN(runs.stream().mapToDouble(f).min()); }

    private static double max(List<RunRecord> runs, ToDoubleFunction<RunRecord> f) { return orNaN(runs.stream().mapToDouble(f).max()); }

    private static double orNaN(OptionalDouble d) { return d.orElse(Double.NaN); }
}
