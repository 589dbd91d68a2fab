package io.heavykv.eviction;

import io.heavykv.kvcache.KvGeometry;

/**
 * Configuration of one eviction policy; {@link #create} builds the policy for a model. Implementations are
 * records registered in {@link Policies}, whose components are the policy's JSON keys (in snake_case).
 */
public interface PolicyConfig {

    /** Tokens per score block, which sets the block ids the cache records per token. */
    default int blockTokens() { return 1; }

    /** Builds the policy; throws {@link IllegalArgumentException} when the config does not fit the model. */
    EvictionPolicy create(KvGeometry geometry);
}
