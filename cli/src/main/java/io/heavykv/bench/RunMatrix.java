package io.heavykv.bench;

import java.util.List;

/** Prompt lengths × generation lengths × repeats, run for every configuration. */
public record RunMatrix(List<Integer> promptTokens, List<Integer> generateTokens, int repeats) {
    /**
     * Most tokens one run may process, prompt and generation together: far beyond any model's context, and
     * short of lengths whose prompt alone takes gigabytes before the first figure (and whose sums overflow).
     */
    public static final int MAX_TOKENS = 1 << 20;
    public static final int MAX_REPEATS = 10_000;

    public RunMatrix {
        promptTokens = List.copyOf(promptTokens);
        generateTokens = List.copyOf(generateTokens);
        if (promptTokens.isEmpty() || generateTokens.isEmpty()) throw new IllegalArgumentException("run matrix needs prompt and generation lengths");
        for (int p : promptTokens) {
            if (p < 1 || p > MAX_TOKENS) {
                throw new IllegalArgumentException("prompt length (-p, prompt_tokens) must be in [1, " + MAX_TOKENS + "], got " + p);
            }
        }
        for (int g : generateTokens) {
            if (g < 0 || g > MAX_TOKENS) {
                throw new IllegalArgumentException("generation length (-n, generate_tokens) must be in [0, " + MAX_TOKENS + "], got " + g);
            }
        }
        long longest = (long) promptTokens.stream().mapToInt(Integer::intValue).max().orElseThrow()
                + generateTokens.stream().mapToInt(Integer::intValue).max().orElseThrow();
        if (longest > MAX_TOKENS) {
            throw new IllegalArgumentException("prompt plus generation of " + longest + " tokens exceeds the maximum of " + MAX_TOKENS);
        }
        if (repeats < 1 || repeats > MAX_REPEATS) {
            throw new IllegalArgumentException("repeats (-r, repeats) must be in [1, " + MAX_REPEATS + "], got " + repeats);
        }
    }

    public int runsPerConfig() { return promptTokens.size() * generateTokens.size() * repeats; }

    /** Tokens processed per configuration over the whole matrix (for progress). */
    public long tokensPerConfig() {
        long p = promptTokens.stream().mapToLong(Integer::longValue).sum();
        long g = generateTokens.stream().mapToLong(Integer::longValue).sum();
        return (p * generateTokens.size() + g * promptTokens.size()) * repeats;
    }
}
