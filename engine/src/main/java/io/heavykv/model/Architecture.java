package io.heavykv.model;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * What tells one Llama-family GGUF architecture from another, as data: the value of {@code general.architecture},
 * the prefix of its hyper-parameter keys, its tensor names, how its RoPE pairs dimensions and whether its Q, K and V
 * projections carry biases. The block itself (RMSNorm, grouped-query attention, SwiGLU) is shared; RoPE scaling,
 * sliding windows and partial rotation are read from each file's own keys. Adding an architecture of the family is
 * one more descriptor in {@link Architectures}.
 *
 * @param name        the {@code general.architecture} value
 * @param keyPrefix   prefix of its hyper-parameter keys, e.g. {@code "qwen2."}
 * @param ropeStyle   how RoPE pairs the dimensions of a head
 * @param qkvBias     whether the Q, K and V projections carry biases
 * @param tensorNames each role's GGUF tensor name, {@code %d} standing for the layer
 */
public record Architecture(String name, String keyPrefix, RopeStyle ropeStyle, Bias qkvBias, Map<LlamaTensor, String> tensorNames) {

    /** Whether an architecture's Q/K/V biases are never there, up to each file, or always there. */
    public enum Bias { NONE, OPTIONAL, REQUIRED }

    public Architecture {
        // In the roles' order, not Map.copyOf's per-JVM hash order: the record's text names a generated model's
        // cached file (SyntheticModels' stamp), which must read the same in every run.
        tensorNames = Collections.unmodifiableMap(new EnumMap<>(tensorNames));
        for (LlamaTensor role : LlamaTensor.values()) {
            if (!tensorNames.containsKey(role)) throw new IllegalArgumentException(name + " has no name for tensor " + role);
        }
    }

    /** The full metadata key of one of this architecture's hyper-parameters, e.g. {@code key("context_length")}. */
    public String key(String suffix) { return keyPrefix + suffix; }

    /** The GGUF name of {@code role}'s tensor in {@code layer} ({@code layer} is ignored for global tensors). */
    String tensorName(LlamaTensor role, int layer) {
        String pattern = tensorNames.get(role);
        return role.perLayer() ? pattern.replace("%d", Integer.toString(layer)) : pattern;
    }
}
