package io.heavykv.bench.reference;

import io.heavykv.bench.RunPair;
import io.heavykv.bench.RunRecord;
import io.heavykv.bench.gate.PairedDecode;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * One heavykv configuration against llama.cpp on one setting (prompt, generation length) of a side-by-side
 * run: each repeat's heavykv run beside llama.cpp's run of the same repeat, both engines' tok/s and the ratios
 * heavykv / llama.cpp of prefill and decode. A figure a run did not measure (0 tok/s) gives no ratio.
 *
 * @param pairs heavykv's passing runs with llama.cpp's run of their repeat (absent when llama.cpp's did not pass)
 */
public record EngineComparison(String configId, String promptId, int promptTokens, int generatedTokens, List<RunPair> pairs) {

    public EngineComparison {
        pairs = List.copyOf(pairs);
    }

    /** Every heavykv configuration and setting in {@code records}, in first-run order. */
    public static List<EngineComparison> of(List<RunRecord> records) {
        List<EngineComparison> result = new ArrayList<>();
        for (List<RunPair> group : RunPair.groups(LlamaCppTool.CONFIG_ID, records)) {
            RunRecord first = group.get(0).candidate();
            result.add(new EngineComparison(first.configId(), first.promptId(), first.promptTokens(), first.generatedTokens(), group));
        }
        return result;
    }

    public RatioSpread prefill() { return ratios(RunRecord::prefillTokS); }

    public RatioSpread decode() { return ratios(RunRecord::decodeTokS); }

    /** Median tok/s of heavykv's paired runs: {@code prefill} or decode. */
    public double heavykvTokS(boolean prefill) { return median(prefill, RunPair::candidate); }

    /** Median tok/s of llama.cpp's paired runs: {@code prefill} or decode. */
    public double llamaCppTokS(boolean prefill) { return median(prefill, RunPair::baseline); }

    private RatioSpread ratios(ToDoubleFunction<RunRecord> figure) {
        List<Double> ratios = new ArrayList<>();
        for (RunPair pair : pairs) {
            if (!pair.paired()) continue;
            double ours = figure.applyAsDouble(pair.candidate());
            double theirs = figure.applyAsDouble(pair.baseline());
            if (ours > 0 && theirs > 0) ratios.add(ours / theirs);
        }
        return new RatioSpread(ratios);
    }

    private double median(boolean prefill, java.util.function.Function<RunPair, RunRecord> side) {
        ToDoubleFunction<RunRecord> figure = prefill ? RunRecord::prefillTokS : RunRecord::decodeTokS;
        return PairedDecode.median(pairs.stream().filter(RunPair::paired).map(side).mapToDouble(figure).filter(v -> v > 0).toArray());
    }
}
