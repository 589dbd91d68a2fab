package io.heavykv.kvcache;

import io.heavykv.model.LlamaConfig;

/**
 * The shape of the tensors a KV cache holds: what the model dictates, as opposed to the storage
 * choices in {@link KvStorage}.
 */
public record KvGeometry(int layers, int heads, int kvHeads, int headSize, float ropeTheta) {

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
        if (!(ropeTheta > 0)) {
            throw new IllegalArgumentException("ropeTheta must be positive, got " + ropeTheta);
        }
    }

    public static KvGeometry of(LlamaConfig model) {
        return new KvGeometry(model.layers(), model.heads(), model.kvHeads(), model.headSize(), model.ropeTheta());
    }

    public int kvDim() { return kvHeads * headSize; }

    /** Query heads that share one KV head. */
    public int groupSize() { return heads / kvHeads; }

    private static void requirePositive(String name, int value) {
        if (value <= 0) throw new IllegalArgumentException(name + " must be positive, got " + value);
    }
}
