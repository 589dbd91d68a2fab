package io.heavykv.runtime;

import io.heavykv.eviction.EvictionController;
import io.heavykv.eviction.EvictionPolicy;
import io.heavykv.eviction.EvictionStats;
import io.heavykv.eviction.FullConfig;
import io.heavykv.eviction.PolicyConfig;
import io.heavykv.kvcache.KvDType;
import io.heavykv.kvcache.KvGeometry;
import io.heavykv.kvcache.KvStorage;
import io.heavykv.kvcache.PagedKvCache;
import io.heavykv.kvcache.PageStore;
import io.heavykv.kvcache.PositionMode;
import io.heavykv.lossless.LosslessConfig;
import io.heavykv.lossless.LosslessRuntime;
import io.heavykv.model.LlamaConfig;

/**
 * Everything that defines a KV cache apart from the model: storage, eviction policy and lossless compression.
 * {@link #open} composes the cache from them; its {@link PagedKvCache#hooks()} gives the run's
 * {@link EvictionStats}, its {@link PagedKvCache#store()} the lossless runtime (see {@link LosslessRuntime#statsOf}).
 * It lives here, where sessions are wired, so that eviction and lossless compression know nothing of each other:
 * the page store is built here and handed to the cache, told only which layers the policy evicts.
 */
public record KvCacheConfig(KvDType dtype, int pageTokens, PositionMode positionMode, PolicyConfig policy,
                            LosslessConfig lossless) {

    public KvCacheConfig {
        if (policy == null) throw new IllegalArgumentException("KV cache policy is missing");
        if (lossless == null) throw new IllegalArgumentException("KV cache lossless config is missing");
        storage(dtype, pageTokens, positionMode, policy);
    }

    /** Without lossless compression. */
    public KvCacheConfig(KvDType dtype, int pageTokens, PositionMode positionMode, PolicyConfig policy) {
        this(dtype, pageTokens, positionMode, policy, LosslessConfig.off());
    }

    /** FP16 pages of 32 tokens, absolute positions, no eviction. */
    public static KvCacheConfig defaults() {
        return new KvCacheConfig(KvDType.FP16, KvStorage.DEFAULT_PAGE_TOKENS, PositionMode.ABSOLUTE, new FullConfig());
    }

    public KvCacheConfig withPolicy(PolicyConfig newPolicy) {
        return new KvCacheConfig(dtype, pageTokens, positionMode, newPolicy, lossless);
    }

    public KvCacheConfig withDType(KvDType newDType) {
        return new KvCacheConfig(newDType, pageTokens, positionMode, policy, lossless);
    }

    public KvCacheConfig withPageTokens(int newPageTokens) {
        return new KvCacheConfig(dtype, newPageTokens, positionMode, policy, lossless);
    }

    public KvCacheConfig withPositionMode(PositionMode newMode) {
        return new KvCacheConfig(dtype, pageTokens, newMode, policy, lossless);
    }

    public KvCacheConfig withLossless(LosslessConfig newLossless) {
        return new KvCacheConfig(dtype, pageTokens, positionMode, policy, newLossless);
    }

    public KvStorage storage() {
        return storage(dtype, pageTokens, positionMode, policy);
    }

    private static KvStorage storage(KvDType dtype, int pageTokens, PositionMode mode, PolicyConfig policy) {
        return new KvStorage(dtype, pageTokens, mode, policy.blockTokens(), policy.perHeadKeep());
    }

    public PagedKvCache<EvictionController> open(KvGeometry geometry) {
        EvictionPolicy built = policy.create(geometry);
        PageStore store = LosslessRuntime.open(lossless, geometry, storage(), built::evicts);
        return new PagedKvCache<>(geometry, storage(), new EvictionController(geometry.layers(), built), store);
    }

    public PagedKvCache<EvictionController> open(LlamaConfig model) {
        return open(KvGeometry.of(model));
    }
}
