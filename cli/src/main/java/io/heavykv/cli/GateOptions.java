package io.heavykv.cli;

import io.heavykv.bench.RunRecord;
import io.heavykv.bench.gate.DecodeBaseline;
import io.heavykv.bench.gate.GateJson;
import io.heavykv.bench.gate.GateSpec;
import io.heavykv.bench.gate.GateVerdict;
import io.heavykv.bench.gate.Gates;
import io.heavykv.bench.gate.RunHistory;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/** Acceptance gates on the command line: each flag enables one gate; with none, nothing is judged. */
final class GateOptions {

    enum Baseline { same_batch, paired, rolling, fixed }

    @Option(names = "--min-lossy", paramLabel = "X", description = "Gate: best lossy ratio (tokens seen / kept) >= X.")
    Double minLossy;

    @Option(names = "--min-lossless", paramLabel = "Y", description = "Gate: best lossless ratio >= Y.")
    Double minLossless;

    @Option(names = "--max-decode-drop", paramLabel = "Z", description = "Gate: decode tok/s may drop at most Z (0.05 = 5%%) below the baseline.")
    Double maxDecodeDrop;

    @Option(names = "--baseline", paramLabel = "MODE",
            description = "Decode baseline: same_batch (a configuration of this run, best against best), paired (the same, median of "
                    + "the ratios of runs paired by repeat), rolling (--history), fixed (--baseline-decode). "
                    + "Default: fixed if --baseline-decode is given, else rolling if --history is, else same_batch.")
    Baseline baseline;

    @Option(names = "--baseline-config", paramLabel = "NAME", defaultValue = "baseline",
            description = "same_batch/paired: the baseline configuration's name (default: ${DEFAULT-VALUE}).")
    String baselineConfig;

    @Option(names = "--baseline-decode", paramLabel = "TOK_S", description = "fixed: the baseline decode speed in tokens/s.")
    Double baselineDecode;

    @Option(names = "--history", paramLabel = "FILE", description = "rolling: JSON-lines history of past runs, keyed by machine and setting.")
    Path history;

    @Option(names = "--history-window", paramLabel = "N", defaultValue = "" + GateJson.DEFAULT_HISTORY_WINDOW,
            description = "rolling: median over the last N matching runs (default: ${DEFAULT-VALUE}).")
    int historyWindow;

    @Option(names = "--record-history", description = "Append this run's records to --history when every gate passes.")
    boolean recordHistory;

    @Option(names = "--max-decomp-us", paramLabel = "US", description = "Gate: worst lossless decode time <= US.")
    Double maxDecompUs;

    @Option(names = "--max-queue-peak", paramLabel = "N", description = "Gate: worst async encode queue peak <= N.")
    Long maxQueuePeak;

    @Option(names = "--max-fallbacks", paramLabel = "N", description = "Gate: worst lossless fallback count <= N.")
    Long maxFallbacks;

    @Option(names = "--max-async-wait-us", paramLabel = "US", description = "Gate: worst async wait <= US.")
    Double maxAsyncWaitUs;

    @Option(names = "--require-cache-hit", description = "Gate: some run shows a lossless decode-cache hit.")
    boolean requireCacheHit;

    @Option(names = "--allow-failed-runs", description = "Do not fail the gates because a run failed (failed runs are still not judged).")
    boolean allowFailedRuns;

    boolean any() {
        return minLossy != null || minLossless != null || maxDecodeDrop != null || maxDecompUs != null || maxQueuePeak != null
                || maxFallbacks != null || maxAsyncWaitUs != null || requireCacheHit || recordHistory;
    }

    /** The gates the flags ask for, or none when no gate flag was given (so a plain run judges nothing). */
    GateSpec requested() throws IOException {
        return any() ? spec() : GateSpec.none();
    }

    GateSpec spec() throws IOException {
        GateSpec spec = GateSpec.none().withAllRunsPass(!allowFailedRuns);
        if (minLossy != null) spec = spec.withMinLossyRatio(minLossy);
        if (minLossless != null) spec = spec.withMinLosslessRatio(minLossless);
        if (maxDecompUs != null) spec = spec.withMaxDecompUs(maxDecompUs);
        if (maxQueuePeak != null) spec = spec.withMaxQueuePeak(maxQueuePeak);
        if (maxFallbacks != null) spec = spec.withMaxFallbacks(maxFallbacks);
        if (maxAsyncWaitUs != null) spec = spec.withMaxAsyncWaitUs(maxAsyncWaitUs);
        spec = spec.withRequireCacheHit(requireCacheHit);
        if (maxDecodeDrop != null) spec = spec.withMaxDecodeDrop(maxDecodeDrop, decodeBaseline());
        return spec;
    }

    List<RunRecord> historyRecords() {
        if (history == null) throw new IllegalArgumentException("a rolling baseline needs --history FILE");
        try {
            return RunHistory.load(history);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read history " + history + ": " + e.getMessage(), e);
        }
    }

    private DecodeBaseline decodeBaseline() {
        Baseline mode = baseline != null ? baseline
                : baselineDecode != null ? Baseline.fixed : history != null ? Baseline.rolling : Baseline.same_batch;
        return switch (mode) {
            case same_batch -> new DecodeBaseline.SameBatch(baselineConfig);
            case paired -> new DecodeBaseline.Paired(baselineConfig);
            case fixed -> {
                if (baselineDecode == null) throw new IllegalArgumentException("--baseline fixed needs --baseline-decode TOK_S");
                yield new DecodeBaseline.Fixed(baselineDecode);
            }
            case rolling -> new DecodeBaseline.Rolling(historyRecords(), historyWindow);
        };
    }

    /** Prints the verdict, records history if asked and deserved, and returns the exit code (0 = pass). */
    int judge(GateSpec spec, List<RunRecord> records, PrintStream out) {
        GateVerdict verdict = Gates.evaluate(spec, records);
        out.println();
        verdict.print(out);
        if (recordHistory) {
            if (history == null) throw new IllegalArgumentException("--record-history needs --history FILE");
            if (verdict.passed()) {
                RunHistory.append(history, records);
                out.println("history: appended " + records.stream().filter(RunRecord::passed).count() + " runs to " + history);
            } else {
                out.println("history: not appended, the gates failed");
            }
        }
        return verdict.passed() ? 0 : 3;
    }
}
