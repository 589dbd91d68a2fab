package io.heavykv.runtime;

/**
 * Wall-clock time spent in prefill and decode, and the derived speed figures. The attention shares are
 * included in the prefill and decode times; they tell how much of a step the KV cache's reads cost, which is
 * what eviction and compression change.
 */
public record Timings(int prefillTokens, long prefillNanos, int decodeTokens, long decodeNanos,
                      long prefillAttentionNanos, long decodeAttentionNanos) {

    /** Timings without an attention breakdown. */
    public Timings(int prefillTokens, long prefillNanos, int decodeTokens, long decodeNanos) {
        this(prefillTokens, prefillNanos, decodeTokens, decodeNanos, 0, 0);
    }

    public double prefillTokensPerSecond() { return perSecond(prefillTokens, prefillNanos); }

    public double decodeTokensPerSecond() { return perSecond(decodeTokens, decodeNanos); }

    /** Time to first token: the prefill that produces the first token's logits. */
    public double ttftMillis() { return prefillNanos / 1e6; }

    /** Time per output token during decode. */
    public double tpotMillis() { return decodeTokens == 0 ? 0 : decodeNanos / 1e6 / decodeTokens; }

    /** Average time in attention per decode step (all layers), in microseconds. */
    public double decodeAttentionMicrosPerStep() { return decodeTokens == 0 ? 0 : decodeAttentionNanos / 1e3 / decodeTokens; }

    private static double perSecond(int tokens, long nanos) {
        return nanos == 0 ? 0 : tokens / (nanos / 1e9);
    }
}
