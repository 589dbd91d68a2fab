package io.heavykv.kvcache;

import io.heavykv.model.LlamaConfig;
import io.heavykv.model.RopeConfig;

/**
 * The shape of the tensors a KV cache holds and how their keys are rotated: what the model dictates, as opposed to
 * the storage choices in {@link KvStorage}.
 */
public record KvGeometry(int layers, int heads, int kvHeads, int headSize, RopeConfig rope) {

    public KvGeometry {
        requirePositive("layers", layers);
        requirePositive("heads", heads);
        requirePositive("kvHeads", kvHeads);
        requirePositive("headSize", headSize);
        if (heads % kvHeads != 0) {
            throw new IllegalArgumentException("heads " + heads + " is not a multiple of kvHeads " + kvHeads);
        }
        if (headSize % 2 != 0) {
            throw new IllegalArgumentException("headSize " + headSize + " is odd; RoPE needs pairs");
        }
        if (rope.dimensions() > headSize) {
            throw new IllegalArgumentException("RoPE rotates " + rope.dimensions() + " dimensions of a head of " + headSize);
        }
    }

    /** Llama 2's RoPE (adjacent pairs, unscaled) with base {@code ropeTheta}. */
    public KvGeometry(int layers, int heads, int kvHeads, int headSize, float ropeTheta) {
        this(layers, heads, kvHeads, headSize, RopeConfig.plain(headSize, ropeTheta));
    }

    public static KvGeometry of(LlamaConfig model) {
        return new KvGeometry(model.layers(), model.heads(), model.kvHeads(), model.headSize(), model.rope());
    }

    public int kvDim() { return kvHeads * headSize; }

    /** Query heads that share one KV head. */
    public int groupSize() { return heads / kvHeads; }

    private static void requirePositive(String name, int value) {
        if (value <= 0) throw new IllegalArgumentException(name + " must be positive, got " + value);
    }
}
