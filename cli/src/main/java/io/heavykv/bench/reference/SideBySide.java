package io.heavykv.bench.reference;

import io.heavykv.bench.BenchConfig;
import io.heavykv.bench.BenchRunner;
import io.heavykv.bench.PromptSource;
import io.heavykv.bench.RunMatrix;
import io.heavykv.bench.RunRecord;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * heavykv and llama.cpp on the same GGUF in one run: for every repeat and setting, each heavykv configuration
 * and one llama.cpp run on the very same prompt ids, with the same threads and generation length. Who goes
 * first alternates by repeat, so neither engine always inherits the other's warm caches or a burst of load.
 * heavykv's times exclude JVM start-up and model load (the engine is loaded and warmed before), llama.cpp's
 * exclude its process start and model load (the tool times only prefill and decode).
 */
public final class SideBySide {
    /** A generous bound for one llama.cpp run: a 1024-token prefill of a 1B model on a loaded 2-core machine takes minutes. */
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(20);

    private final BenchRunner heavykv;
    private final PromptSource prompts;
    private final LlamaCppTool llamaCpp;
    private final Path model;
    private final int threads;

    public SideBySide(BenchRunner heavykv, PromptSource prompts, LlamaCppTool llamaCpp, Path model, int threads) {
        this.heavykv = heavykv;
        this.prompts = prompts;
        this.llamaCpp = llamaCpp;
        this.model = model;
        this.threads = threads;
    }

    /** llama.cpp measures one prompt of at least 2 tokens and at least one decode step. */
    public static void check(RunMatrix matrix) {
        if (matrix.promptTokens().stream().anyMatch(p -> p < 2) || matrix.generateTokens().stream().anyMatch(n -> n < 1)) {
            throw new IllegalArgumentException("a run against llama.cpp needs prompts of at least 2 tokens (-p) and at least 1 generated token (-n), got -p "
                    + matrix.promptTokens() + " -n " + matrix.generateTokens());
        }
    }

    /**
     * Runs the matrix; the first llama.cpp run comes before any measured heavykv run, so a model llama.cpp cannot
     * read ends the run at once. A heavykv run that fails is recorded as failed; a llama.cpp run that fails ends
     * the run with its message.
     *
     * @param sink receives each record as its run ends, heavykv's and llama.cpp's alike
     */
    public List<RunRecord> run(List<BenchConfig> configs, RunMatrix matrix, Consumer<RunRecord> sink, LongConsumer progress) {
        check(matrix);
        String kvType = kvType(configs);
        String modelName = model.getFileName().toString();
        List<RunRecord> records = new ArrayList<>();
        Consumer<RunRecord> keep = r -> {
            records.add(r);
            sink.accept(r);
        };
        long done = 0;
        for (int repeat = 1; repeat <= matrix.repeats(); repeat++) {
            boolean llamaCppFirst = repeat % 2 == 1;
            for (int promptLength : matrix.promptTokens()) {
                int[] prompt = prompts.tokens(promptLength);
                String promptId = prompts.promptId(promptLength);
                for (int generate : matrix.generateTokens()) {
                    int r = repeat;
                    Runnable reference = () -> keep.accept(llamaCpp.speed(model, prompt, generate, threads, kvType, RUN_TIMEOUT)
                            .record(heavykv.suite(), modelName, promptId, r));
                    if (llamaCppFirst) reference.run();
                    for (BenchConfig config : configs) {
                        keep.accept(heavykv.run(config, prompt, promptId, null, generate, repeat));
                        done += promptLength + generate;
                        progress.accept(done);
                    }
                    if (!llamaCppFirst) reference.run();
                    done += promptLength + generate;
                    progress.accept(done);
                }
            }
        }
        return records;
    }

    /** llama.cpp keeps its KV in the type heavykv's configurations use, so both engines move the same bytes per position. */
    static String kvType(List<BenchConfig> configs) {
        var types = configs.stream().map(c -> c.cache().dtype()).distinct().toList();
        if (types.size() != 1) {
            throw new IllegalArgumentException("a run against llama.cpp needs one KV type across its configurations, got " + types);
        }
        return switch (types.getFirst()) {
            case FP16 -> "f16";
            case FP32 -> "f32";
        };
    }
}
