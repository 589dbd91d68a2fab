package io.heavykv.bench.stress;

import java.util.List;

/**
 * One configuration grown token by token.
 *
 * @param points         one per checkpoint reached, in order
 * @param exceededAt     the sequence length at which the cache first held more than the KV budget, 0 if it never did;
 *                       the run stopped there
 * @param peakKvBytes    largest K/V footprint during the run
 * @param tokensReached  tokens processed when the run ended
 */
public record StressRun(String label, String family, int budgetTokens, int promptTokens, List<StressPoint> points,
                        int exceededAt, long peakKvBytes, int tokensReached, double decodeTokensPerSecond) {
    public StressRun {
        points = List.copyOf(points);
    }

    public boolean exceededBudget() { return exceededAt > 0; }

    /** "exceeded budget at N tokens", or empty when the run finished within budget. */
    public String budgetNote() {
        return exceededBudget() ? "exceeded budget at " + exceededAt + " tokens" : "";
    }
}
