package io.heavykv.bench.results;

import io.heavykv.bench.BenchConfig;
import io.heavykv.bench.BenchRunner;
import io.heavykv.bench.CacheVariant;
import io.heavykv.bench.MatrixRunner;
import io.heavykv.bench.RunMatrix;
import io.heavykv.bench.RunRecord;
import io.heavykv.bench.TextPrompts;
import io.heavykv.bench.quality.EvalText;
import io.heavykv.bench.quality.EvalTexts;
import io.heavykv.bench.quality.PerplexityEvaluator;
import io.heavykv.bench.quality.PerplexityResult;
import io.heavykv.eviction.FullConfig;
import io.heavykv.runtime.KvCacheConfig;
import io.heavykv.eviction.Policies;
import io.heavykv.eviction.ScheduledConfig;
import io.heavykv.kvcache.KvDType;
import io.heavykv.kvcache.KvStorage;
import io.heavykv.kvcache.PositionMode;
import io.heavykv.lossless.LosslessConfig;
import io.heavykv.lossless.LosslessMode;
import io.heavykv.runtime.Engine;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * The runs behind the README's results table on one model: the full cache against H2O at its defaults
 * (keeping a third) with its kept pages in lossless store mode, FP16 KV with keys stored unrotated (what
 * compresses), interleaved in every repeat; then both on a held-out perplexity window.
 */
public final class ResultsRun {
    /** The baseline's config id in the bench records. */
    public static final String FULL = "full";

    private ResultsRun() {
    }

    /** The cache the table describes: H2O keeping a third, store mode, the encoder on the decode thread. */
    public static CacheVariant candidate(KvCacheConfig storage) {
        // Encoding on the decode thread frames the same pages at the same steps in every run, so the ratios and
        // the bytes held come out identical run to run and the committed records can be checked.
        LosslessConfig store = LosslessConfig.off().withMode(LosslessMode.STORE).withAsync(0, LosslessConfig.off().queueCapacity());
        return CacheVariant.ratio(storage, (ScheduledConfig) Policies.named("h2o").defaults()).withLossless(store);
    }

    public static KvCacheConfig storage() {
        return new KvCacheConfig(KvDType.FP16, KvStorage.DEFAULT_PAGE_TOKENS, PositionMode.ABSOLUTE_PRE_ROPE, new FullConfig());
    }

    /** @param benchSink receives each bench record as its run ends */
    public static ModelResults run(Engine engine, Path modelFile, ResultsSetup setup, Consumer<RunRecord> benchSink) {
        KvCacheConfig storage = storage();
        CacheVariant candidate = candidate(storage);
        List<BenchConfig> configs = List.of(new BenchConfig(FULL, storage), new BenchConfig(candidate.label(), candidate.config()));
        RunMatrix matrix = new RunMatrix(List.of(setup.promptTokens()), List.of(setup.generate()), setup.repeats());
        MatrixRunner runner = new MatrixRunner(new BenchRunner(engine, modelFile, "results", 0, PerplexityEvaluator.PREFIX_CHUNK),
                new TextPrompts(engine.tokenizer()));
        runner.warmUp(configs, matrix);
        List<RunRecord> bench = runner.run(configs, matrix, benchSink, done -> { });
        EvalText text = EvalTexts.bundled(engine.tokenizer(), setup.qualityText());
        int tokens = Math.min(text.length(), setup.window() - 1);
        EvalText window = new EvalText(text.name(), text.slice(0, tokens));
        List<PerplexityResult> quality = new PerplexityEvaluator(engine, storage, setup.window(), setup.scoredTail())
                .evaluate(List.of(window), List.of(candidate)).rows();
        return new ModelResults(setup.model(), bench, quality);
    }
}
