package io.heavykv.sampling;

/** Chooses the next token from a model's output logits. Implementations keep scratch state: one per sequence. */
public interface Sampler {
    /** The chosen token id; {@code logits} (one per vocabulary id) is left unchanged. */
    int sample(float[] logits);

    /**
     * The sampler llama2.c would use: greedy when {@code temperature} is 0, otherwise temperature sampling,
     * restricted to the nucleus when {@code topP} is below 1.
     *
     * @param seed seeds the random stream (ignored by greedy); the same seed gives the same tokens
     */
    static Sampler of(float temperature, float topP, long seed) {
        TemperatureSampler.requireTopP(topP);
        return temperature == 0 ? new GreedySampler() : new TemperatureSampler(temperature, topP, seed);
    }
}
