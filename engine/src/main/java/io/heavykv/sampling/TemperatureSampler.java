package io.heavykv.sampling;

import io.heavykv.tensor.Softmax;

import java.util.Arrays;

/**
 * Samples from softmax(logits / temperature), optionally restricted to the nucleus: the most likely tokens
 * whose cumulative probability first exceeds {@code topP} (llama2.c's cutoff, including its shortcut of
 * ignoring tokens below (1 - topP) / (n - 1), which cannot be in the nucleus). Not thread-safe.
 */
public final class TemperatureSampler implements Sampler {
    private final float temperature;
    private final float topP;
    private final XorShiftRandom random;
    private float[] probs = new float[0];
    /** Nucleus candidates packed as (probability bits << 32 | id): sorting longs orders by probability. */
    private long[] candidates = new long[0];

    /**
     * @param topP 1 samples from the whole distribution
     * @param seed non-zero
     */
    public TemperatureSampler(float temperature, float topP, long seed) {
        if (!(temperature > 0) || Float.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be a finite number > 0 (0 means greedy), got "
                    + temperature);
        }
        requireTopP(topP);
        this.temperature = temperature;
        this.topP = topP;
        this.random = new XorShiftRandom(seed);
    }

    static void requireTopP(float topP) {
        if (!(topP > 0 && topP <= 1)) throw new IllegalArgumentException("top-p must be in (0, 1], got " + topP);
    }

    @Override
    public int sample(float[] logits) {
        int n = logits.length;
        if (n == 0) throw new IllegalArgumentException("cannot sample from empty logits");
        if (probs.length != n) {
            probs = new float[n];
            candidates = new long[n];
        }
        for (int i = 0; i < n; i++) probs[i] = logits[i] / temperature;
        Softmax.inPlace(probs, 0, n);
        float coin = random.nextFloat();
        return topP < 1 && n > 1 ? sampleNucleus(coin) : sampleAll(coin);
    }

    private int sampleAll(float coin) {
        float cdf = 0f;
        for (int i = 0; i < probs.length; i++) {
            cdf += probs[i];
            if (coin < cdf) return i;
        }
        return probs.length - 1; // rounding left the cdf just below the coin
    }

    private int sampleNucleus(float coin) {
        int n = probs.length;
        float cutoff = (1f - topP) / (n - 1);
        int count = collectCandidates(cutoff);
        // The shortcut assumes some token clears the cutoff; with a flat distribution and a tiny top-p none may.
        if (count == 0) count = collectCandidates(0f);
        Arrays.sort(candidates, 0, count);
        float cumulative = 0f;
        int last = 0;
        for (int k = count - 1; k >= 0; k--) {
            cumulative += Float.intBitsToFloat((int) (candidates[k] >>> 32));
            last = k;
            if (cumulative > topP) break;
        }
        float r = coin * cumulative;
        float cdf = 0f;
        for (int k = count - 1; k > last; k--) {
            cdf += Float.intBitsToFloat((int) (candidates[k] >>> 32));
            if (r < cdf) return (int) candidates[k];
        }
        return (int) candidates[last];
    }

    private int collectCandidates(float cutoff) {
        int count = 0;
        for (int i = 0; i < probs.length; i++) {
            // Probabilities are non-negative, so their raw bits sort in the same order as their values.
            if (probs[i] >= cutoff) candidates[count++] = (long) Float.floatToRawIntBits(probs[i]) << 32 | i;
        }
        return count;
    }
}
