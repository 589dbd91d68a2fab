package io.heavykv.bench;

import io.heavykv.eviction.EvictionStats;
import io.heavykv.lossless.LosslessRuntime;
import io.heavykv.lossless.LosslessStats;
import io.heavykv.runtime.Engine;
import io.heavykv.runtime.MemoryProbe;
import io.heavykv.runtime.RunFigures;
import io.heavykv.runtime.Session;
import io.heavykv.runtime.Timings;

import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.function.IntConsumer;

/**
 * Measures one run: a fresh cache, the prompt prefilled in chunks, then exactly {@code generate} decode steps,
 * each feeding the greedy choice. End-of-sequence does not stop a benchmark (lengths must be what was asked),
 * and the context is raised to fit prompt plus generation unless one is given. An error is recorded as a
 * failed run, never thrown: one bad prompt must not end a sweep.
 */
public final class BenchRunner {
    private final Engine engine;
    private final String suite;
    private final String model;
    private final int context;
    private final int prefillChunk;

    /**
     * @param context      context length of each session; 0 = the larger of the model's and prompt + generation
     * @param prefillChunk prompt tokens per prefill step
     */
    public BenchRunner(Engine engine, Path modelFile, String suite, int context, int prefillChunk) {
        if (context < 0) throw new IllegalArgumentException("context must be >= 0 (0 = automatic), got " + context);
        if (prefillChunk < 1) throw new IllegalArgumentException("prefill chunk must be positive, got " + prefillChunk);
        this.engine = engine;
        this.suite = suite;
        this.model = modelFile.getFileName().toString();
        this.context = context;
        this.prefillChunk = prefillChunk;
    }

    public Engine engine() { return engine; }

    /** Which command the records are from: bench, sweep, prompts, scenario. */
    public String suite() { return suite; }

    public RunRecord run(BenchConfig config, int[] prompt, String promptId, String bucket, int generate, int repeat) {
        return run(config, prompt, promptId, bucket, generate, repeat, done -> { });
    }

    /** As {@link #run(BenchConfig, int[], String, String, int, int)}, reporting prompt tokens done during prefill. */
    public RunRecord run(BenchConfig config, int[] prompt, String promptId, String bucket, int generate, int repeat,
                         IntConsumer prefillProgress) {
        if (generate < 0) throw new IllegalArgumentException("generation length must be >= 0, got " + generate);
        int sessionContext = context > 0 ? context : Math.max(engine.defaultContext(), prompt.length + generate);
        MemoryProbe.resetPeaks();
        Session session = null;
        String error = null;
        long prefillHookMicros = 0;
        try {
            session = engine.openSession(config.cache(), sessionContext, prefillChunk);
            float[] logits = session.prefill(prompt, prefillProgress);
            prefillHookMicros = session.figures().lossless().hookMicros();
            for (int step = 0; step < generate; step++) {
                logits = session.decode(greedy(logits, step));
            }
            greedy(logits, generate);
        } catch (RuntimeException | OutOfMemoryError e) {
            error = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
        try {
            RunFigures figures = session == null ? null : session.figures();
            LosslessRuntime.Settled settled = session == null || error != null ? null : LosslessRuntime.settled(session.cache());
            return record(config, promptId, bucket, prompt.length, generate, repeat, figures, settled, prefillHookMicros, error);
        } finally {
            if (session != null) session.close();
        }
    }

    /** The most likely next token; a non-finite logit means the forward pass broke, which must not pass as a figure. */
    private static int greedy(float[] logits, int step) {
        int best = 0;
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < logits.length; i++) {
            float v = logits[i];
            if (!Float.isFinite(v)) {
                throw new IllegalStateException("non-finite logit " + v + " for token " + i + " after decode step " + step);
            }
            if (v > max) {
                max = v;
                best = i;
            }
        }
        return best;
    }

    private RunRecord record(BenchConfig config, String promptId, String bucket, int promptTokens, int generate, int repeat,
                             RunFigures figures, LosslessRuntime.Settled settled, long prefillHookMicros, String error) {
        Timings t = figures == null ? new Timings(0, 0, 0, 0) : figures.timings();
        EvictionStats e = figures == null ? null : figures.eviction();
        // Lossless figures only for runs that had lossless compression: "off" must not read as a measured 1.0.
        LosslessStats l = figures == null || !config.cache().lossless().enabled() ? null : figures.lossless();
        // The ratios recorded are the settled ones when the run got that far: records are what gates judge,
        // and the online ratio differs between identical runs with the async encoder.
        Double losslessRatio = l == null ? null : settled != null ? settled.ratio() : l.losslessRatio();
        double decodeShare = t.decodeNanos() == 0 ? 0 : (double) t.decodeAttentionNanos() / t.decodeNanos();
        return new RunRecord(suite, Instant.now().truncatedTo(ChronoUnit.MILLIS).toString(), Machine.key(), model, config.id(),
                promptId, bucket, promptTokens, generate, repeat, error == null ? RunRecord.PASS : RunRecord.FAIL, error,
                t.prefillTokensPerSecond(), t.decodeTokensPerSecond(), t.ttftMillis(), t.tpotMillis(),
                t.decodeAttentionMicrosPerStep(), decodeShare,
                MemoryProbe.peakResidentBytes(), MemoryProbe.peakHeapBytes(),
                figures == null ? 0 : figures.kvResidentBytes(), e == null ? 0 : e.peakResidentBytes(),
                e == null ? 0 : e.tokensSeen(), e == null ? 0 : e.keepRatio(), e == null ? 0 : e.lossyRatio(),
                e == null ? 0 : e.evictingLossyRatio(), e == null ? 0 : e.quantizedKeep(),
                e == null ? 0 : e.plansApplied(), e == null ? 0 : e.plansRejected(), e == null ? 0 : e.evictionMicros(),
                l == null ? null : settled != null ? settled.rawBytes() / 1e6 : l.rawMegabytes(),
                l == null ? null : settled != null ? settled.storedBytes() / 1e6 : l.storedMegabytes(), losslessRatio,
                l == null ? null : l.lossyRatio() * losslessRatio, l == null ? null : (double) l.encodeMicros(),
                l == null ? null : (double) l.decodeMicros(), l == null ? null : l.fallbacks(), l == null ? null : (long) l.queuePeak(),
                l == null ? null : (double) l.asyncWaitMicros(), l == null ? null : l.decodeCacheHits(),
                l == null ? null : l.decodeCacheMisses(), l == null ? null : l.mode(),
                l == null ? null : (double) l.decodeMaxMicros(), l == null ? null : l.restores(),
                l == null || figures == null ? null : figures.kvResidentBytes() + l.overheadBytes(),
                l == null ? null : (double) (l.hookMicros() - prefillHookMicros));
    }
}
