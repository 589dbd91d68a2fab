package io.heavykv.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * Runs every configuration over a {@link RunMatrix}. Configurations are interleaved inside each repeat and
 * setting, so that drift (thermal, other load) hits them all alike instead of biasing the last one.
 */
public final class MatrixRunner {
    private final BenchRunner runner;
    private final PromptSource prompts;

    public MatrixRunner(BenchRunner runner, PromptSource prompts) {
        this.runner = runner;
        this.prompts = prompts;
    }

    /**
     * Runs each configuration once, short and unrecorded, so the JIT has compiled the hot paths (which differ
     * per eviction policy) before the first measured run.
     */
    public void warmUp(List<BenchConfig> configs, RunMatrix matrix) {
        int prompt = Math.min(64, matrix.promptTokens().get(0));
        int generate = Math.min(16, matrix.generateTokens().get(0));
        for (BenchConfig config : configs) runner.run(config, prompts.tokens(prompt), "warmup", null, generate, 0);
    }

    /**
     * @param sink     receives each record as soon as its run finishes
     * @param progress told the number of tokens processed so far
     * @return every record, in run order
     */
    public List<RunRecord> run(List<BenchConfig> configs, RunMatrix matrix, Consumer<RunRecord> sink, LongConsumer progress) {
        List<RunRecord> records = new ArrayList<>();
        long[] done = {0};
        for (int repeat = 1; repeat <= matrix.repeats(); repeat++) {
            for (int promptLength : matrix.promptTokens()) {
                int[] prompt = prompts.tokens(promptLength);
                for (int generate : matrix.generateTokens()) {
                    for (BenchConfig config : configs) {
                        long before = done[0];
                        RunRecord record = runner.run(config, prompt, prompts.promptId(promptLength), null, generate, repeat,
                                tokens -> progress.accept(before + tokens));
                        done[0] = before + promptLength + generate;
                        progress.accept(done[0]);
                        records.add(record);
                        sink.accept(record);
                    }
                }
            }
        }
        return records;
    }
}
