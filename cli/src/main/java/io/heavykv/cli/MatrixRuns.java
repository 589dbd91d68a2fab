package io.heavykv.cli;

import io.heavykv.bench.BenchConfig;
import io.heavykv.bench.BenchRunner;
import io.heavykv.bench.MatrixRunner;
import io.heavykv.bench.PairedTable;
import io.heavykv.bench.PromptSource;
import io.heavykv.bench.RandomPrompts;
import io.heavykv.bench.RunMatrix;
import io.heavykv.bench.RunRecord;
import io.heavykv.bench.TextPrompts;
import io.heavykv.bench.gate.GateSpec;
import io.heavykv.bench.reference.ComparisonTable;
import io.heavykv.bench.reference.EngineComparison;
import io.heavykv.bench.reference.LlamaCppTool;
import io.heavykv.bench.reference.SideBySide;
import io.heavykv.runtime.Engine;
import io.heavykv.tensor.Parallel;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.LongConsumer;

/**
 * What bench and sweep share: choosing prompts, warming up, running the matrix into the record outputs, and,
 * when the baseline configuration ran, each configuration's decode speed against it (or, against llama.cpp,
 * heavykv's prefill and decode speed against llama.cpp's).
 */
final class MatrixRuns {
    private MatrixRuns() {
    }

    /** text: bundled eval texts cut to length; random: seeded ids; auto: random for synthetic models. */
    static PromptSource prompts(String source, Engine engine, boolean synthetic) {
        String chosen = source.equals("auto") ? (synthetic ? "random" : "text") : source;
        return switch (chosen) {
            case "text" -> new TextPrompts(engine.tokenizer());
            case "random" -> RandomPrompts.forModel(engine);
            default -> throw new IllegalArgumentException("--prompt-source must be text, random or auto, got " + source);
        };
    }

    /**
     * Warms up, then runs the matrix into the record outputs and a table; with {@code reference} (else null) every
     * setting of every repeat also runs on llama.cpp, interleaved, and the table ends with heavykv's ratios to it.
     */
    static List<RunRecord> run(Engine engine, Path modelPath, String suite, int context, int prefillChunk, PromptSource prompts,
                               List<BenchConfig> configs, RunMatrix matrix, int warmups, RecordOutput output, PrintStream table,
                               String baselineId, LlamaCppTool reference) throws IOException {
        BenchRunner bench = new BenchRunner(engine, modelPath, suite, context, prefillChunk);
        MatrixRunner runner = new MatrixRunner(bench, prompts);
        int engines = configs.size() + (reference == null ? 0 : 1);
        if (!output.quiet) {
            System.err.printf(Locale.ROOT, "model %s (%s), %d threads, prompts: %s, %d configurations%s x %d runs%n",
                    modelPath.getFileName(), engine.model().description(), Parallel.threads(), prompts.kind(), configs.size(),
                    reference == null ? "" : " and llama.cpp", matrix.runsPerConfig());
        }
        for (int i = 0; i < warmups; i++) runner.warmUp(configs, matrix);
        List<RunRecord> records;
        try (RecordOutput.Sink sink = output.open(table, modelPath);
             Progress progress = Progress.start(suite, matrix.tokensPerConfig() * engines, output.quiet)) {
            LongConsumer done = tokens -> progress.update((int) Math.min(Integer.MAX_VALUE, tokens));
            records = reference == null ? runner.run(configs, matrix, sink, done)
                    : new SideBySide(bench, prompts, reference, modelPath, Parallel.threads()).run(configs, matrix, sink, done);
        }
        if (!output.quiet && configs.stream().anyMatch(c -> c.id().equals(baselineId))) PairedTable.print(table, baselineId, records);
        if (!output.quiet && reference != null) ComparisonTable.print(table, Parallel.threads(), EngineComparison.of(records));
        return records;
    }

    /**
     * The exit code of a matrix: the gates' verdict when there are gates (which include that every run
     * passed), else 1 when a run failed, told on stderr with the first failure, so a run that measured
     * nothing never ends with success.
     */
    static int exitCode(List<RunRecord> records, GateSpec spec, GateOptions gates, PrintStream out) {
        if (spec.enabled()) return gates.judge(spec, records, out);
        List<RunRecord> failed = records.stream().filter(r -> !r.passed()).toList();
        if (failed.isEmpty()) return 0;
        RunRecord first = failed.getFirst();
        System.err.println("heavykv: " + (failed.size() == records.size() ? "every run failed" : failed.size() + " of " + records.size() + " runs failed")
                + " (" + first.configId() + " " + first.promptId() + ": " + first.error() + ")");
        return 1;
    }
}
