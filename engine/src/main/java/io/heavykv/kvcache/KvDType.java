package io.heavykv.kvcache;

/** How K and V values are held in the cache. FP16 halves the cache; FP32 keeps activations exactly. */
public enum KvDType {
    FP16(2),
    FP32(4);

    private final int bytes;

    KvDType(int bytes) { this.bytes = bytes; }

    public int bytes() { return bytes; }
}
