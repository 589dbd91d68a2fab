package io.heavykv.eviction;

import io.heavykv.kvcache.KvGeometry;

/**
 * Configuration of one eviction policy; {@link #create} builds the policy for a model. Implementations are
 * records registered in {@link Policies}, whose components are the policy's JSON keys (in snake_case).
 */
public interface PolicyConfig {

    /** Tokens per score block, which sets the block ids the cache records per token. */
    default int blockTokens() { return 1; }

    /**
     * Whether each KV head keeps its own tokens: the cache then stores every head's tokens apart and the policy
     * plans per head. Otherwise every head keeps the layer's tokens.
     */
    default boolean perHeadKeep() { return false; }

    /** Builds the policy; throws {@link IllegalArgumentException} when the config does not fit the model. */
    EvictionPolicy create(KvGeometry geometry);
}
