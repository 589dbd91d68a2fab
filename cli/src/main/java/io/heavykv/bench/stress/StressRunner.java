package io.heavykv.bench.stress;

import io.heavykv.bench.CacheVariant;
import io.heavykv.kvcache.PagedKvCache;
import io.heavykv.lossless.LosslessMode;
import io.heavykv.lossless.LosslessStats;
import io.heavykv.runtime.Engine;
import io.heavykv.runtime.MemoryProbe;
import io.heavykv.runtime.Session;
import io.heavykv.runtime.Timings;
import io.heavykv.sampling.GreedySampler;
import io.heavykv.sampling.Sampler;

import java.util.ArrayList;
import java.util.List;

/**
 * Long-context stress: prefill a prompt, then decode greedily one token at a time until the sequence
 * reaches the longest checkpoint, recording KV memory and time per token at each checkpoint. End-of-text
 * tokens do not stop the run (the point is the length, not the story). A configuration whose cache
 * exceeds the KV budget is stopped at that token and reported as such; the others carry on.
 */
public final class StressRunner {

    /** Told how far a run has got. */
    @FunctionalInterface
    public interface Listener {
        void progress(String label, int tokens, int total);
    }

    private final Engine engine;
    private final int[] prompt;
    private final List<Integer> checkpoints;
    private final long kvBudgetBytes;
    private final int prefillChunk;

    /**
     * @param checkpoints   increasing sequence lengths, the first no shorter than the prompt
     * @param kvBudgetBytes bytes of K/V a configuration may hold, 0 for no limit
     */
    public StressRunner(Engine engine, int[] prompt, List<Integer> checkpoints, long kvBudgetBytes, int prefillChunk) {
        if (prompt.length == 0) throw new IllegalArgumentException("stress prompt is empty (at least BOS is needed)");
        if (checkpoints.isEmpty()) throw new IllegalArgumentException("no sequence lengths to stress");
        for (int i = 0; i < checkpoints.size(); i++) {
            int c = checkpoints.get(i);
            if (c < prompt.length) {
                throw new IllegalArgumentException("length " + c + " is shorter than the " + prompt.length + "-token prompt");
            }
            if (i > 0 && c <= checkpoints.get(i - 1)) {
                throw new IllegalArgumentException("lengths must increase, got " + checkpoints);
            }
        }
        if (kvBudgetBytes < 0) throw new IllegalArgumentException("KV budget must not be negative, got " + kvBudgetBytes);
        if (prefillChunk < 1) throw new IllegalArgumentException("prefill chunk must be positive, got " + prefillChunk);
        this.engine = engine;
        this.prompt = prompt.clone();
        this.checkpoints = List.copyOf(checkpoints);
        this.kvBudgetBytes = kvBudgetBytes;
        this.prefillChunk = prefillChunk;
    }

    public List<Integer> checkpoints() { return checkpoints; }

    public StressReport runAll(List<CacheVariant> variants, Listener listener, java.util.function.Consumer<StressRun> finished) {
        List<StressRun> runs = new ArrayList<>();
        for (CacheVariant variant : variants) {
            StressRun run;
            try {
                run = run(variant, listener);
            } catch (OutOfMemory e) {
                finished.accept(e.partial());
                throw e;
            }
            runs.add(run);
            finished.accept(run);
        }
        String positions = variants.isEmpty() ? "" : variants.get(0).config().positionMode().name().toLowerCase();
        return new StressReport(positions, kvBudgetBytes, checkpoints, runs);
    }

    public StressRun run(CacheVariant variant, Listener listener) {
        int last = checkpoints.getLast();
        try (Session session = engine.openSession(variant.config(), last, prefillChunk)) {
            PagedKvCache<?> cache = session.cache();
            List<StressPoint> points = new ArrayList<>();
            try {
                return grow(variant, listener, session, points);
            } catch (OutOfMemoryError e) {
                // The points measured so far are the run's result up to the limit: hand them back instead of
                // losing them with the run. The cache goes first, so describing the run has memory to work with.
                int reached = session.position();
                long peakKv = cache.peakResidentBytes();
                double decodeTokS = session.timings().decodeTokensPerSecond();
                session.close();
                throw new OutOfMemory(new StressRun(variant.label(), variant.family(), variant.budgetTokens(), prompt.length, points,
                        0, peakKv, reached, decodeTokS), e);
            }
        }
    }

    /** A run that ran out of Java heap, with what it measured before that. */
    public static final class OutOfMemory extends RuntimeException {
        private final transient StressRun partial;

        OutOfMemory(StressRun partial, OutOfMemoryError cause) {
            super(partial.label() + " ran out of memory (" + cause.getMessage() + ") at " + partial.tokensReached()
                    + " tokens; raise the heap with HEAVYKV_JAVA_OPTS=-Xmx... or lower --lengths", cause);
            this.partial = partial;
        }

        public StressRun partial() { return partial; }
    }

    private StressRun grow(CacheVariant variant, Listener listener, Session session, List<StressPoint> points) {
        int last = checkpoints.getLast();
        PagedKvCache<?> cache = session.cache();
        Sampler greedy = new GreedySampler();
        int next = 0;
        long segmentNanos = 0;
        int segmentTokens = 0;
        float[] logits = session.prefill(prompt);
        int exceededAt = overBudget(cache) ? session.position() : 0;
        while (exceededAt == 0) {
            if (next < checkpoints.size() && session.position() == checkpoints.get(next)) {
                Timings t = session.timings();
                double tpot = t.decodeTokens() == segmentTokens ? 0
                        : (t.decodeNanos() - segmentNanos) / 1e6 / (t.decodeTokens() - segmentTokens);
                points.add(point(session, tpot));
                segmentNanos = t.decodeNanos();
                segmentTokens = t.decodeTokens();
                next++;
                listener.progress(variant.label(), session.position(), last);
            }
            if (session.position() >= last) break;
            logits = session.decode(greedy.sample(logits));
            if (overBudget(cache)) exceededAt = session.position();
            if ((session.position() & 63) == 0) listener.progress(variant.label(), session.position(), last);
        }
        return new StressRun(variant.label(), variant.family(), variant.budgetTokens(), prompt.length, points,
                exceededAt, cache.peakResidentBytes(), session.position(), session.timings().decodeTokensPerSecond());
    }

    private boolean overBudget(PagedKvCache<?> cache) {
        return kvBudgetBytes > 0 && cache.residentBytes() > kvBudgetBytes;
    }

    private static StressPoint point(Session session, double tpotMillis) {
        PagedKvCache<?> cache = session.cache();
        long held = 0;
        for (int l = 0; l < cache.layers(); l++) held += cache.layer(l).length();
        // Under lossless compression the cache's resident pages are only part of what it holds: frames, models
        // and decode caches count too, so a compressed run is charted by everything it keeps.
        LosslessStats lossless = session.figures().lossless();
        long kvBytes = lossless.mode().equals(LosslessMode.OFF.toString()) ? cache.residentBytes() : lossless.heldBytes();
        return new StressPoint(session.position(), kvBytes, (double) held / cache.layers(), tpotMillis,
                MemoryProbe.residentBytes(), MemoryProbe.peakResidentBytes());
    }
}
