package io.heavykv.bench;

import io.heavykv.bench.gate.PairedDecode;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * Each configuration's decode speed against the baseline of the same run (median of the ratios of runs paired
 * by repeat) beside what it buys: resident KV, and the lossless runtime's figures that explain its cost.
 * KV held counts what a store-mode cache really keeps: resident pages, frames of released pages and the decode
 * cache and the codecs' models; it is what the speed must be weighed against (a decode cache holding every page is free and saves nothing).
 * "hook us/st" is the wall time per decode step the forward pass spent in the lossless runtime (restores, releases,
 * installs), its direct cost; "dec us/st" is all frame decoding of the run, workers' verification included, per step.
 */
public final class PairedTable {
    private static final String ROW = "%-22s %-16s %5s %9s %9s %7s %15s %9s %9s %8s %13s %9s %9s %9s %6s";

    private PairedTable() {
    }

    public static void print(PrintStream out, String baselineId, List<RunRecord> records) {
        List<PairedDecode> comparisons = PairedDecode.of(baselineId, records).stream().filter(PairedDecode::paired).toList();
        if (comparisons.isEmpty()) return;
        out.println();
        out.println("decode against '" + baselineId + "' of the same run (medians over repeats; ratio = median of per-repeat ratios)");
        out.println(String.format(Locale.ROOT, ROW, "config", "prompt/gen", "pairs", "base t/s", "conf t/s", "ratio", "ratio min..max",
                "KV res MB", "KV held MB", "lossless", "hits/misses", "hook us/st", "dec us/st", "wait us", "q peak"));
        for (PairedDecode c : comparisons) {
            List<RunRecord> runs = c.candidates();
            boolean lossless = !runs.isEmpty() && runs.get(0).hasLossless();
            double min = c.ratios().stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
            double max = c.ratios().stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
            out.println(String.format(Locale.ROOT, ROW, clip(c.configId(), 22), clip(c.promptId() + "/" + c.generatedTokens(), 16),
                    c.ratios().size(), fixed(c.baselineMedianTokS(), 3), fixed(c.candidateMedianTokS(), 3), fixed(c.medianRatio(), 4),
                    fixed(min, 3) + ".." + fixed(max, 3), fixed(median(runs, r -> r.kvResidentBytes() / 1e6), 3),
                    lossless ? fixed(median(runs, r -> r.losslessHeldBytes() / 1e6), 3) : "-",
                    lossless ? fixed(median(runs, RunRecord::losslessRatio), 3) + "x" : "-",
                    lossless ? Math.round(median(runs, RunRecord::losslessCacheHits)) + "/" + Math.round(median(runs, RunRecord::losslessCacheMisses)) : "-",
                    lossless ? fixed(median(runs, r -> r.losslessHookUs() / Math.max(1, r.generatedTokens())), 0) : "-",
                    lossless ? fixed(median(runs, r -> r.losslessDecodeUs() / Math.max(1, r.generatedTokens())), 0) : "-",
                    lossless ? fixed(median(runs, RunRecord::losslessAsyncWaitUs), 0) : "-",
                    lossless ? fixed(median(runs, RunRecord::losslessQueuePeak), 0) : "-").stripTrailing());
        }
        out.flush();
    }

    private static double median(List<RunRecord> runs, ToDoubleFunction<RunRecord> figure) {
        return PairedDecode.median(runs.stream().mapToDouble(figure).toArray());
    }

    private static String fixed(double value, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }

    private static String clip(String s, int width) {
        return s.length() <= width ? s : s.substring(0, width - 1) + "~";
    }
}
