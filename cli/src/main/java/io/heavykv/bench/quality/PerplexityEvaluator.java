package io.heavykv.bench.quality;

import io.heavykv.bench.CacheVariant;
import io.heavykv.kvcache.PositionMode;
import io.heavykv.runtime.Engine;
import io.heavykv.runtime.KvCacheConfig;
import io.heavykv.runtime.Session;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Perplexity and KL divergence of cache configurations against the full cache, token by token.
 *
 * <p>Every configuration gets its own session and is fed the same tokens one at a time (decode steps),
 * so eviction acts between tokens exactly as it does when generating. The full cache runs in lockstep,
 * and each step's next-token distribution of a configuration is compared with the full cache's (KL in
 * nats). Texts are cut into windows of {@code windowTokens} tokens (BOS plus text); each window starts
 * from an empty cache at position 0, so with a window no longer than the model's trained context
 * absolute positions stay in the range the model was trained on, while the policies still have to
 * work within budgets smaller than the window. A final part shorter than half a window is not scored.
 *
 * <p>Long windows may score only their last {@code scoredTail} tokens: the rest of the window is fed as a
 * prompt in chunks of {@link #PREFIX_CHUNK} tokens (every chunk's attention observed, a plan applied between
 * chunks, as when a prompt is prefilled), then the tail one token per step as above. The tail is where the
 * cache holds the most tokens and evicts the most, and the prefix costs a prefill instead of decode steps.
 * In that mode only whole windows are scored, so every scored token has a full window's context.
 */
public final class PerplexityEvaluator {

    /** Told about every scored step and every finished window. */
    public interface Listener {
        default void step(long done, long total) { }

        default void window(WindowResult result) { }
    }

    /** Prompt chunk for a window's unscored prefix: a plan at least every this many tokens. */
    public static final int PREFIX_CHUNK = 64;

    private final Engine engine;
    private final KvCacheConfig reference;
    private final int windowTokens;
    private final int scoredTail;

    /**
     * @param reference    the full cache that every configuration is compared with; its storage (dtype,
     *                     positions) should match theirs so that only eviction differs
     * @param windowTokens tokens per window including BOS; 0 scores each text whole in one window
     */
    public PerplexityEvaluator(Engine engine, KvCacheConfig reference, int windowTokens) {
        this(engine, reference, windowTokens, 0);
    }

    /** @param scoredTail tokens scored at the end of each window, 0 for every token (see the class comment) */
    public PerplexityEvaluator(Engine engine, KvCacheConfig reference, int windowTokens, int scoredTail) {
        if (windowTokens != 0 && windowTokens < 3) {
            throw new IllegalArgumentException("window of " + windowTokens + " tokens is too short (BOS plus at least 2 text tokens), or 0 for whole texts");
        }
        if (scoredTail < 0 || scoredTail > 0 && (windowTokens == 0 || scoredTail > windowTokens - 2)) {
            throw new IllegalArgumentException("scored tail of " + scoredTail + " tokens needs a window of at least "
                    + (scoredTail + 2) + " tokens (BOS, a prefix token and the tail), got " + windowTokens);
        }
        this.engine = engine;
        this.reference = reference;
        this.windowTokens = windowTokens;
        this.scoredTail = scoredTail;
    }

    /** Scored steps a run over {@code texts} takes, for progress bars. */
    public long steps(List<EvalText> texts) {
        long steps = 0;
        for (EvalText text : texts) {
            for (int[] w : windows(text)) steps += scoredTail > 0 ? scoredTail : w[1] - w[0];
        }
        return steps;
    }

    public PerplexityReport evaluate(List<EvalText> texts, List<CacheVariant> variants) {
        return evaluate(texts, variants, new Listener() { });
    }

    public PerplexityReport evaluate(List<EvalText> texts, List<CacheVariant> variants, Listener listener) {
        if (texts.isEmpty()) throw new IllegalArgumentException("no texts to evaluate");
        List<CacheVariant> all = new ArrayList<>();
        all.add(CacheVariant.full(reference));
        all.addAll(variants);
        int vocab = engine.model().config().vocabSize();
        int context = maxWindow(texts);
        List<Session> sessions = new ArrayList<>();
        try {
            int chunk = scoredTail > 0 ? PREFIX_CHUNK : 1;
            for (CacheVariant variant : all) sessions.add(engine.openSession(variant.config(), context, chunk));
            ScoreAccumulator[] totals = accumulators(all);
            double[][] logProbs = new double[all.size()][vocab];
            long total = steps(texts);
            long done = 0;
            for (EvalText text : texts) {
                int index = 0;
                for (int[] range : windows(text)) {
                    int[] tokens = windowTokens(text, range);
                    ScoreAccumulator[] window = accumulators(all);
                    for (Session session : sessions) session.reset();
                    int first = scoredTail > 0 ? tokens.length - 1 - scoredTail : 0;
                    if (first > 0) {
                        int[] prefix = Arrays.copyOf(tokens, first);
                        for (Session session : sessions) session.prefill(prefix);
                    }
                    for (int i = first; i + 1 < tokens.length; i++) {
                        for (int s = 0; s < sessions.size(); s++) {
                            // Sessions share the transformer's logits buffer: consume it before the next decode.
                            LogProbs.logSoftmax(sessions.get(s).decode(tokens[i]), logProbs[s]);
                        }
                        int next = tokens[i + 1];
                        for (int s = 0; s < sessions.size(); s++) {
                            double kl = s == 0 ? 0 : LogProbs.kl(logProbs[0], logProbs[s]);
                            window[s].step(-logProbs[s][next], kl, attended(sessions.get(s)));
                        }
                        listener.step(++done, total);
                    }
                    List<PerplexityResult> rows = new ArrayList<>();
                    for (int s = 0; s < sessions.size(); s++) {
                        Session session = sessions.get(s);
                        window[s].windowEnd(session.cache().hooks().stats(), session.cache().peakResidentBytes());
                        totals[s].add(window[s]);
                        rows.add(window[s].result(window[0].perplexity()));
                    }
                    listener.window(new WindowResult(text.name(), index++, range[0], tokens.length, rows));
                }
            }
            List<PerplexityResult> rows = new ArrayList<>();
            for (ScoreAccumulator t : totals) rows.add(t.result(totals[0].perplexity()));
            PositionMode positions = reference.positionMode();
            return new PerplexityReport(windowTokens, positions, texts.stream().map(EvalText::name).toList(), rows);
        } finally {
            for (Session session : sessions) session.close();
        }
    }

    /** Text token ranges {@code [from, to)} of the windows; each window adds a BOS before them. */
    List<int[]> windows(EvalText text) {
        int perWindow = windowTokens == 0 ? text.length() : windowTokens - 1;
        List<int[]> ranges = new ArrayList<>();
        for (int from = 0; from < text.length(); from += perWindow) {
            int to = Math.min(text.length(), from + perWindow);
            if (from > 0 && to - from < (scoredTail > 0 ? perWindow : perWindow / 2)) break;
            ranges.add(new int[]{from, to});
        }
        return ranges;
    }

    private int[] windowTokens(EvalText text, int[] range) {
        int[] tokens = new int[range[1] - range[0] + 1];
        tokens[0] = engine.tokenizer().bosId();
        System.arraycopy(text.slice(range[0], range[1]), 0, tokens, 1, tokens.length - 1);
        return tokens;
    }

    private int maxWindow(List<EvalText> texts) {
        int max = 0;
        for (EvalText text : texts) {
            for (int[] w : windows(text)) max = Math.max(max, w[1] - w[0] + 1);
        }
        return max;
    }

    private static ScoreAccumulator[] accumulators(List<CacheVariant> variants) {
        ScoreAccumulator[] result = new ScoreAccumulator[variants.size()];
        for (int i = 0; i < result.length; i++) result[i] = new ScoreAccumulator(variants.get(i));
        return result;
    }

    /**
     * Tokens per layer the step's attention saw (the plan made after this step is not applied yet); the KV heads'
     * mean where each head keeps its own.
     */
    private static double attended(Session session) {
        var cache = session.cache();
        long sum = 0;
        for (int l = 0; l < cache.layers(); l++) sum += cache.layer(l).heldTokens();
        return (double) sum / cache.layers();
    }
}
