package io.heavykv.runtime;

import io.heavykv.eviction.EvictionController;
import io.heavykv.eviction.EvictionStats;
import io.heavykv.kvcache.PagedKvCache;
import io.heavykv.lossless.LosslessDecodeException;
import io.heavykv.lossless.LosslessRuntime;

import java.util.Arrays;
import java.util.function.IntConsumer;

/**
 * One sequence being processed: the transformer, its KV cache and the position reached. Prompts are
 * fed in chunks of {@code prefillChunk} tokens (matrix-matrix); decode feeds one token per step.
 * Every step's wall time is recorded, since TTFT, TPOT and tokens/s are what users judge us by.
 */
public final class Session implements AutoCloseable {
    private final Transformer transformer;
    private final PagedKvCache<EvictionController> cache;
    private final int contextLength;
    private final int prefillChunk;
    private final int[] single = new int[1];
    private int position;
    private long prefillNanos;
    private int prefillTokens;
    private long decodeNanos;
    private int decodeTokens;
    private long prefillAttentionNanos;
    private long decodeAttentionNanos;
    /** Why a step failed part-way, leaving the cache's layers at different lengths: the sequence cannot go on. */
    private Throwable failedStep;
    /** Whether a page lost to a frame that does not decode is recomputed (see {@link #recomputeLostPages}). */
    private boolean recompute;
    /** Every token fed so far, and the size of each step that fed them, so the cache can be rebuilt step for step. */
    private int[] history = new int[64];
    private int[] stepSizes = new int[64];
    private int steps;
    private int recoveries;

    public Session(Transformer transformer, PagedKvCache<EvictionController> cache, int contextLength, int prefillChunk) {
        if (contextLength <= 0) throw new IllegalArgumentException("context length must be positive, got " + contextLength);
        if (prefillChunk <= 0) throw new IllegalArgumentException("prefill chunk must be positive, got " + prefillChunk);
        transformer.config().requireContextWithinWindow(contextLength);
        if (cache.layers() != transformer.config().layers()) {
            throw new IllegalArgumentException("cache has " + cache.layers() + " layers, model " + transformer.config().layers());
        }
        this.transformer = transformer;
        this.cache = cache;
        this.contextLength = contextLength;
        this.prefillChunk = prefillChunk;
    }

    /** Feeds the prompt and returns the logits predicting the token after it. */
    public float[] prefill(int[] prompt) {
        return prefill(prompt, done -> { });
    }

    /** As {@link #prefill(int[])}, telling {@code progress} how many prompt tokens are done after each chunk. */
    public float[] prefill(int[] prompt, IntConsumer progress) {
        if (prompt.length == 0) throw new IllegalArgumentException("empty prompt: at least one token (e.g. BOS) is needed");
        if (position + prompt.length > contextLength) {
            throw ContextOverflowException.prompt(position + prompt.length, contextLength);
        }
        long start = System.nanoTime();
        long attentionStart = transformer.attentionNanos();
        float[] logits = null;
        for (int offset = 0; offset < prompt.length; offset += prefillChunk) {
            int count = Math.min(prefillChunk, prompt.length - offset);
            logits = step(prompt, offset, count);
            position += count;
            progress.accept(offset + count);
        }
        prefillNanos += System.nanoTime() - start;
        prefillAttentionNanos += transformer.attentionNanos() - attentionStart;
        prefillTokens += prompt.length;
        return logits;
    }

    /** Feeds one token and returns the logits predicting the next one. */
    public float[] decode(int token) {
        if (position >= contextLength) throw ContextOverflowException.decode(contextLength);
        long start = System.nanoTime();
        long attentionStart = transformer.attentionNanos();
        single[0] = token;
        float[] logits = step(single, 0, 1);
        position++;
        decodeNanos += System.nanoTime() - start;
        decodeAttentionNanos += transformer.attentionNanos() - attentionStart;
        decodeTokens++;
        return logits;
    }

    /**
     * With {@code on}, a step that meets a compressed page whose frame does not decode rebuilds the cache instead
     * of ending the sequence: the cache starts over and every earlier step is run again with the same tokens and
     * the same step sizes, so eviction plans, and with them the cache, come out as they were; then the step is
     * retried. Off by default: the rebuild costs a whole prefill of the sequence so far.
     */
    public void recomputeLostPages(boolean on) { recompute = on; }

    /** How many times this sequence rebuilt its cache after a frame failed to decode. */
    public int recoveries() { return recoveries; }

    /** One forward step; a failure inside it ends the sequence (see {@link #reset()}) unless it can be recomputed. */
    private float[] step(int[] tokens, int offset, int count) {
        if (failedStep != null) {
            throw new IllegalStateException("this sequence ended at position " + position + " when a step failed ("
                    + failedStep.getMessage() + "); reset() starts a new one");
        }
        try {
            float[] logits;
            try {
                logits = transformer.forward(tokens, offset, count, position, cache);
            } catch (LosslessDecodeException lost) {
                if (!recompute) throw lost;
                rebuild();
                logits = transformer.forward(tokens, offset, count, position, cache);
            }
            remember(tokens, offset, count);
            return logits;
        } catch (RuntimeException | Error e) {
            failedStep = e;
            throw e;
        }
    }

    /** Runs every earlier step again on an empty cache. */
    private void rebuild() {
        cache.reset();
        recoveries++;
        for (int s = 0, at = 0; s < steps; at += stepSizes[s], s++) {
            transformer.forward(history, at, stepSizes[s], at, cache);
        }
    }

    private void remember(int[] tokens, int offset, int count) {
        if (position + count > history.length) history = Arrays.copyOf(history, Math.max(position + count, 2 * history.length));
        if (steps == stepSizes.length) stepSizes = Arrays.copyOf(stepSizes, 2 * steps);
        System.arraycopy(tokens, offset, history, position, count);
        stepSizes[steps++] = count;
    }

    public boolean full() { return position >= contextLength; }

    public int position() { return position; }

    public PagedKvCache<EvictionController> cache() { return cache; }

    /** Everything this sequence measured so far. */
    public RunFigures figures() {
        EvictionStats eviction = cache.hooks().stats();
        return new RunFigures(timings(), eviction, LosslessRuntime.statsOf(cache, eviction.lossyRatio()),
                cache.residentBytes(), MemoryProbe.peakResidentBytes());
    }

    public Timings timings() {
        return new Timings(prefillTokens, prefillNanos, decodeTokens, decodeNanos, prefillAttentionNanos, decodeAttentionNanos);
    }

    /** Starts a new sequence on the same model and cache (also after a failed step). */
    public void reset() {
        cache.reset();
        failedStep = null;
        position = 0;
        steps = 0;
        recoveries = 0;
        prefillNanos = decodeNanos = 0;
        prefillTokens = decodeTokens = 0;
        prefillAttentionNanos = decodeAttentionNanos = 0;
    }

    @Override
    public void close() {
        cache.close();
    }
}
