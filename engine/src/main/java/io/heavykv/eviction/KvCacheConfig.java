package io.heavykv.eviction;

import io.heavykv.kvcache.KvDType;
import io.heavykv.kvcache.KvGeometry;
import io.heavykv.kvcache.KvStorage;
import io.heavykv.kvcache.PagedKvCache;
import io.heavykv.kvcache.PositionMode;
import io.heavykv.model.LlamaConfig;

/**
 * Everything that defines a KV cache apart from the model: storage and eviction policy.
 * {@link #open} builds the cache; its {@link PagedKvCache#hooks()} gives the run's {@link EvictionStats}.
 */
public record KvCacheConfig(KvDType dtype, int pageTokens, PositionMode positionMode, PolicyConfig policy) {

    public KvCacheConfig {
        if (policy == null) throw new IllegalArgumentException("KV cache policy is missing");
        storage(dtype, pageTokens, positionMode, policy);
    }

    /** FP16 pages of 32 tokens, absolute positions, no eviction. */
    public static KvCacheConfig defaults() {
        return new KvCacheConfig(KvDType.FP16, KvStorage.DEFAULT_PAGE_TOKENS, PositionMode.ABSOLUTE, new FullConfig());
    }

    public KvCacheConfig withPolicy(PolicyConfig newPolicy) {
        return new KvCacheConfig(dtype, pageTokens, positionMode, newPolicy);
    }

    public KvCacheConfig withDType(KvDType newDType) {
        return new KvCacheConfig(newDType, pageTokens, positionMode, policy);
    }

    public KvCacheConfig withPageTokens(int newPageTokens) {
        return new KvCacheConfig(dtype, newPageTokens, positionMode, policy);
    }

    public KvCacheConfig withPositionMode(PositionMode newMode) {
        return new KvCacheConfig(dtype, pageTokens, newMode, policy);
    }

    public KvStorage storage() {
        return storage(dtype, pageTokens, positionMode, policy);
    }

    private static KvStorage storage(KvDType dtype, int pageTokens, PositionMode mode, PolicyConfig policy) {
        return new KvStorage(dtype, pageTokens, mode, policy.blockTokens());
    }

    public PagedKvCache<EvictionController> open(KvGeometry geometry) {
        EvictionPolicy built = policy.create(geometry);
        return new PagedKvCache<>(geometry, storage(), new EvictionController(geometry.layers(), built));
    }

    public PagedKvCache<EvictionController> open(LlamaConfig model) {
        return open(KvGeometry.of(model));
    }
}
