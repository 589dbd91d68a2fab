package io.heavykv.bench.throughput;

import io.heavykv.bench.CacheVariant;
import io.heavykv.runtime.Engine;
import io.heavykv.runtime.Session;
import io.heavykv.sampling.GreedySampler;
import io.heavykv.sampling.Sampler;

import java.util.ArrayList;
import java.util.List;

/**
 * Batch throughput under one KV memory budget: a pilot sequence measures a configuration's K/V peak per
 * sequence, then as many sequences as the budget holds (up to a cap) run together, one session each,
 * stepped round-robin: every sequence prefills its prompt, then each decode round advances every sequence
 * by one greedy token. Round-robin rather than threads because sessions of one engine share the
 * transformer's scratch buffers; the matrix kernels use the cores within each step.
 */
public final class ThroughputRunner {

    /** Told about decode rounds done. */
    @FunctionalInterface
    public interface Listener {
        void progress(String label, int round, int rounds);
    }

    private final Engine engine;
    private final List<int[]> prompts;
    private final int generated;
    private final long kvBudgetBytes;
    private final int maxSequences;
    private final int prefillChunk;

    /**
     * @param prompts      prompts handed to the sequences in turn (each with its BOS)
     * @param generated    tokens each sequence generates after its prompt
     * @param maxSequences cap on sequences, so a tiny cache cannot ask for thousands
     */
    public ThroughputRunner(Engine engine, List<int[]> prompts, int generated, long kvBudgetBytes, int maxSequences, int prefillChunk) {
        if (prompts.isEmpty()) throw new IllegalArgumentException("no prompts for the throughput run");
        for (int[] p : prompts) if (p.length == 0) throw new IllegalArgumentException("a throughput prompt is empty (at least BOS is needed)");
        if (generated < 1) throw new IllegalArgumentException("each sequence must generate at least 1 token, got " + generated);
        if (kvBudgetBytes <= 0) throw new IllegalArgumentException("the KV memory budget must be positive, got " + kvBudgetBytes + " bytes");
        if (maxSequences < 1) throw new IllegalArgumentException("max sequences must be at least 1, got " + maxSequences);
        if (prefillChunk < 1) throw new IllegalArgumentException("prefill chunk must be positive, got " + prefillChunk);
        this.engine = engine;
        this.prompts = List.copyOf(prompts);
        this.generated = generated;
        this.kvBudgetBytes = kvBudgetBytes;
        this.maxSequences = maxSequences;
        this.prefillChunk = prefillChunk;
    }

    public ThroughputResult run(CacheVariant variant, Listener listener) {
        long perSequence = pilotPeak(variant);
        long fit = perSequence == 0 ? maxSequences : kvBudgetBytes / perSequence;
        int sequences = (int) Math.min(maxSequences, fit);
        String limitedBy = fit > maxSequences ? "max-sequences" : "kv-budget";
        if (sequences == 0) {
            return new ThroughputResult(variant.label(), variant.family(), variant.budgetTokens(), kvBudgetBytes, 0, limitedBy,
                    perSequence, 0, generated, 0, 0, 0, 0, 0, 0);
        }
        List<Session> sessions = new ArrayList<>();
        try {
            for (int i = 0; i < sequences; i++) sessions.add(engine.openSession(variant.config(), longestPrompt() + generated, prefillChunk));
            Sampler greedy = new GreedySampler();
            int[] next = new int[sequences];
            long promptTokens = 0;
            long start = System.nanoTime();
            for (int i = 0; i < sequences; i++) {
                int[] prompt = prompts.get(i % prompts.size());
                next[i] = greedy.sample(sessions.get(i).prefill(prompt));
                promptTokens += prompt.length;
            }
            long peakTotal = totalKv(sessions);
            long decodeStart = System.nanoTime();
            for (int round = 0; round < generated; round++) {
                for (int i = 0; i < sequences; i++) next[i] = greedy.sample(sessions.get(i).decode(next[i]));
                peakTotal = Math.max(peakTotal, totalKv(sessions));
                listener.progress(variant.label(), round + 1, generated);
            }
            long end = System.nanoTime();
            long generatedTokens = (long) sequences * generated;
            double decodeSeconds = (end - decodeStart) / 1e9;
            double totalSeconds = (end - start) / 1e9;
            return new ThroughputResult(variant.label(), variant.family(), variant.budgetTokens(), kvBudgetBytes, sequences, limitedBy,
                    perSequence, peakTotal, generated, generatedTokens, promptTokens, decodeSeconds, totalSeconds,
                    generatedTokens / decodeSeconds, (generatedTokens + promptTokens) / totalSeconds);
        } finally {
            for (Session s : sessions) s.close();
        }
    }

    /** K/V peak of one sequence with the longest prompt; peaks are taken at step boundaries by the cache. */
    private long pilotPeak(CacheVariant variant) {
        int[] prompt = prompts.stream().max((a, b) -> Integer.compare(a.length, b.length)).orElseThrow();
        try (Session session = engine.openSession(variant.config(), prompt.length + generated, prefillChunk)) {
            Sampler greedy = new GreedySampler();
            int token = greedy.sample(session.prefill(prompt));
            for (int i = 0; i < generated; i++) token = greedy.sample(session.decode(token));
            return session.cache().peakResidentBytes();
        }
    }

    private int longestPrompt() {
        return prompts.stream().mapToInt(p -> p.length).max().orElseThrow();
    }

    private static long totalKv(List<Session> sessions) {
        long sum = 0;
        for (Session s : sessions) sum += s.cache().residentBytes();
        return sum;
    }
}
