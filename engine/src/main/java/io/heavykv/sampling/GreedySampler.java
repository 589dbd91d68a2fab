package io.heavykv.sampling;

/** Always the most likely token; the lowest id wins ties, so output is deterministic across platforms. */
public final class GreedySampler implements Sampler {
    @Override
    public int sample(float[] logits) {
        return argmax(logits, logits.length);
    }

    static int argmax(float[] x, int length) {
        if (length == 0) throw new IllegalArgumentException("cannot sample from empty logits");
        int best = 0;
        for (int i = 0; i < length; i++) {
            if (Float.isNaN(x[i])) throw new IllegalArgumentException("logits contain NaN at index " + i);
            if (x[i] > x[best]) best = i;
        }
        return best;
    }
}
