package io.heavykv.eviction;

import io.heavykv.kvcache.KvDType;
import io.heavykv.kvcache.KvGeometry;
import io.heavykv.kvcache.PagedKvCache;
import io.heavykv.kvcache.PagedLayer;
import io.heavykv.kvcache.PositionMode;
import io.heavykv.runtime.KvCacheConfig;

/**
 * Drives a real {@link PagedKvCache} the way the forward pass does, with synthetic K/V and attention.
 * Value element 0 of every head holds the token's position and element 1 its layer, so tests can check
 * that what the cache holds is what was appended. Shared with the jqwik properties through the test jar.
 */
public final class SyntheticDriver {

    /** Unnormalised attention of a query head at {@code queryPosition} on the key at {@code keyPosition}. */
    @FunctionalInterface
    public interface Attention {
        double weight(int layer, int head, int queryPosition, int keyPosition);
    }

    public static final KvGeometry GEOMETRY = new KvGeometry(3, 4, 2, 8, 10000f);

    private final PagedKvCache<EvictionController> cache;
    private final Attention attention;
    private int[] positions = new int[0];
    private float[] weights = new float[0];

    public SyntheticDriver(PolicyConfig policy, int pageTokens, Attention attention) {
        this(new KvCacheConfig(KvDType.FP32, pageTokens, PositionMode.ABSOLUTE, policy), attention);
    }

    /**
     * A cache of any storage, position mode and lossless set-up. Positions stay exact in FP16 values up to
     * 2048, past any length the tests drive.
     */
    public SyntheticDriver(KvCacheConfig config, Attention attention) {
        this.cache = config.open(GEOMETRY);
        this.attention = attention;
    }

    public SyntheticDriver(PolicyConfig policy, Attention attention) {
        this(policy, 8, attention);
    }

    /** The same attention on every visible key. */
    public static Attention uniform() {
        return (layer, head, q, k) -> 1.0;
    }

    public PagedKvCache<EvictionController> cache() { return cache; }

    public EvictionController controller() { return cache.hooks(); }

    public EvictionStats stats() { return cache.hooks().stats(); }

    /** Runs {@code steps} steps of {@code tokens} tokens each. */
    public void run(int steps, int tokens) {
        for (int i = 0; i < steps; i++) step(tokens);
    }

    public void step(int tokens) {
        int position = cache.tokensSeen();
        int kvDim = GEOMETRY.kvDim();
        cache.beginStep(position, tokens);
        for (int l = 0; l < cache.layers(); l++) {
            float[] k = new float[tokens * kvDim];
            float[] v = new float[tokens * kvDim];
            for (int t = 0; t < tokens; t++) {
                for (int h = 0; h < GEOMETRY.kvHeads(); h++) {
                    int o = t * kvDim + h * GEOMETRY.headSize();
                    v[o] = position + t;
                    v[o + 1] = l;
                    k[o] = 1f;
                }
            }
            cache.append(l, k, v);
            PagedLayer layer = cache.layer(l);
            int length = layer.length();
            if (positions.length < length) {
                positions = new int[2 * length];
                weights = new float[2 * length];
            }
            for (int t = 0; t < tokens; t++) {
                for (int head = 0; head < GEOMETRY.heads(); head++) {
                    // A query head sees its KV head's slots, which are the layer's unless heads keep their own tokens.
                    int kvHead = head / GEOMETRY.groupSize();
                    layer.positions(kvHead, positions);
                    int visible = layer.length(kvHead) - tokens + t + 1;
                    double sum = 0;
                    for (int s = 0; s < visible; s++) sum += attention.weight(l, head, position + t, positions[s]);
                    for (int s = 0; s < visible; s++) {
                        weights[s] = (float) (attention.weight(l, head, position + t, positions[s]) / sum);
                    }
                    cache.observe(l, head, weights, 0, visible);
                }
            }
        }
        cache.endStep();
    }

    /** Original positions the layer holds, in slot order; the layer keeps tokens per layer. */
    public int[] positions(int layer) {
        PagedLayer kv = cache.layer(layer);
        int[] out = new int[kv.length()];
        kv.positions(out);
        return out;
    }

    /** Original positions one KV head of the layer holds, in slot order. */
    public int[] positions(int layer, int kvHead) {
        PagedLayer kv = cache.layer(layer);
        int[] out = new int[kv.length(kvHead)];
        kv.positions(kvHead, out);
        return out;
    }

    /**
     * Position stored in the value of each slot of head {@code kvHead}. A page the lossless store holds as frames
     * is brought back through the store first, as compaction does, so this also checks what the frames decode to.
     */
    public int[] valuePositions(int layer, int kvHead) {
        PagedLayer kv = cache.layer(layer);
        int headSize = GEOMETRY.headSize();
        float[] values = new float[kv.length(kvHead) * headSize];
        kv.readRows(kvHead, false, values);
        int[] out = new int[kv.length(kvHead)];
        for (int slot = 0; slot < out.length; slot++) out[slot] = (int) values[slot * headSize];
        return out;
    }
}
