package io.heavykv.bench;

import java.util.List;

/** Prompt lengths × generation lengths × repeats, run for every configuration. */
public record RunMatrix(List<Integer> promptTokens, List<Integer> generateTokens, int repeats) {
    public RunMatrix {
        promptTokens = List.copyOf(promptTokens);
        generateTokens = List.copyOf(generateTokens);
        if (promptTokens.isEmpty() || generateTokens.isEmpty()) throw new IllegalArgumentException("run matrix needs prompt and generation lengths");
        for (int p : promptTokens) if (p < 1) throw new IllegalArgumentException("prompt length must be at least 1 (BOS), got " + p);
        for (int g : generateTokens) if (g < 0) throw new IllegalArgumentException("generation length must be >= 0, got " + g);
        if (repeats < 1) throw new IllegalArgumentException("repeats must be at least 1, got " + repeats);
    }

    public int runsPerConfig() { return promptTokens.size() * generateTokens.size() * repeats; }

    /** Tokens processed per configuration over the whole matrix (for progress). */
    public long tokensPerConfig() {
        long p = promptTokens.stream().mapToLong(Integer::longValue).sum();
        long g = generateTokens.stream().mapToLong(Integer::longValue).sum();
        return (p * generateTokens.size() + g * promptTokens.size()) * repeats;
    }
}
