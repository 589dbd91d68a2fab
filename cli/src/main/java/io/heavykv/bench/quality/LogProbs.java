package io.heavykv.bench.quality;

/**
 * Next-token distributions in log space, in double precision: a perplexity is an exponential of sums
 * over thousands of steps, and KL divergences between close distributions are small differences.
 */
public final class LogProbs {
    private LogProbs() {
    }

    /** {@code out[i] = log softmax(logits)[i]} for the first {@code out.length} logits. */
    public static void logSoftmax(float[] logits, double[] out) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < out.length; i++) max = Math.max(max, logits[i]);
        double sum = 0;
        for (int i = 0; i < out.length; i++) sum += Math.exp(logits[i] - max);
        double logZ = max + Math.log(sum);
        for (int i = 0; i < out.length; i++) out[i] = logits[i] - logZ;
    }

    /** KL(P || Q) in nats from log-probabilities; P is the reference. */
    public static double kl(double[] logP, double[] logQ) {
        double kl = 0;
        for (int i = 0; i < logP.length; i++) {
            double p = Math.exp(logP[i]);
            if (p > 0) kl += p * (logP[i] - logQ[i]);
        }
        // Rounding can leave a tiny negative sum for identical distributions; KL is never negative.
        return Math.max(0, kl);
    }
}
