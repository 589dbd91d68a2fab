package io.heavykv.runtime;

/** Wall-clock time spent in prefill and decode, and the derived speed figures. */
public record Timings(int prefillTokens, long prefillNanos, int decodeTokens, long decodeNanos) {

    public double prefillTokensPerSecond() { return perSecond(prefillTokens, prefillNanos); }

    public double decodeTokensPerSecond() { return perSecond(decodeTokens, decodeNanos); }

    /** Time to first token: the prefill that produces the first token's logits. */
    public double ttftMillis() { return prefillNanos / 1e6; }

    /** Time per output token during decode. */
    public double tpotMillis() { return decodeTokens == 0 ? 0 : decodeNanos / 1e6 / decodeTokens; }

    private static double perSecond(int tokens, long nanos) {
        return nanos == 0 ? 0 : tokens / (nanos / 1e9);
    }
}
