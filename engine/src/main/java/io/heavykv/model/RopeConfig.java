package io.heavykv.model;

import java.util.Arrays;

/**
 * How a model rotates its query and key heads: pair i of the first {@code dimensions} of each head turns by
 * {@code position * theta^(-2i / dimensions) / (linearFactor * frequencyFactors[i])}; dimensions past
 * {@code dimensions} are left alone.
 *
 * @param style            which dimensions form pair i
 * @param dimensions       rotated dimensions per head (GGUF {@code rope.dimension_count}): even, at most the head size
 * @param theta            the frequency base (GGUF {@code rope.freq_base})
 * @param linearFactor     position interpolation: positions are divided by it (GGUF {@code rope.scaling.factor}
 *                         with type {@code linear}); 1 when the model is not scaled
 * @param frequencyFactors per pair, a divisor of its frequency (Llama 3's {@code rope_freqs.weight}, which
 *                         stretches only the long wavelengths); empty when the model has none
 */
public record RopeConfig(RopeStyle style, int dimensions, float theta, float linearFactor, float[] frequencyFactors) {

    public RopeConfig {
        if (dimensions <= 0 || dimensions % 2 != 0) {
            throw new InvalidModelException("RoPE dimension count must be positive and even, got " + dimensions);
        }
        if (!(theta > 0) || !Float.isFinite(theta)) throw new InvalidModelException("RoPE theta must be positive, got " + theta);
        if (!(linearFactor > 0) || !Float.isFinite(linearFactor)) {
            throw new InvalidModelException("RoPE linear scaling factor must be positive, got " + linearFactor);
        }
        frequencyFactors = frequencyFactors.clone();
        if (frequencyFactors.length != 0 && frequencyFactors.length != dimensions / 2) {
            throw new InvalidModelException("RoPE has " + frequencyFactors.length + " frequency factors, expected one per pair: "
                    + dimensions / 2);
        }
        for (float f : frequencyFactors) {
            if (!(f > 0) || !Float.isFinite(f)) throw new InvalidModelException("RoPE frequency factor " + f + " (rope_freqs) is not positive");
        }
    }

    /** Llama 2's RoPE: adjacent pairs over the whole head, no scaling. */
    public static RopeConfig plain(int headSize, float theta) {
        return new RopeConfig(RopeStyle.NORMAL, headSize, theta, 1f, new float[0]);
    }

    @Override
    public float[] frequencyFactors() { return frequencyFactors.clone(); }

    public boolean hasFrequencyFactors() { return frequencyFactors.length > 0; }

    /** Pair {@code i}'s angle per position, in double: the rotation tables round it to float once, as llama.cpp does. */
    double frequency(int i) {
        double f = 1.0 / Math.pow(theta, (2.0 * i) / dimensions);
        // Dividing by exactly 1 changes nothing, so an unscaled model keeps Llama 2's frequencies bit for bit.
        return f / linearFactor / (frequencyFactors.length == 0 ? 1.0 : frequencyFactors[i]);
    }

    /** A short description of the scaling: none, linear xF, frequency factors. */
    public String scaling() {
        String linear = linearFactor == 1f ? "" : "linear x" + linearFactor;
        String factors = frequencyFactors.length == 0 ? "" : "frequency factors (rope_freqs)";
        if (linear.isEmpty() && factors.isEmpty()) return "none";
        return linear.isEmpty() ? factors : factors.isEmpty() ? linear : linear + " + " + factors;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RopeConfig r && style == r.style && dimensions == r.dimensions
                && Float.compare(theta, r.theta) == 0 && Float.compare(linearFactor, r.linearFactor) == 0
                && Arrays.equals(frequencyFactors, r.frequencyFactors);
    }

    @Override
    public int hashCode() {
        return ((style.hashCode() * 31 + dimensions) * 31 + Float.hashCode(theta)) * 31
                + Float.hashCode(linearFactor) * 17 + Arrays.hashCode(frequencyFactors);
    }

    @Override
    public String toString() {
        return "RopeConfig[" + style + ", dimensions " + dimensions + ", theta " + theta + ", scaling " + scaling() + "]";
    }
}
