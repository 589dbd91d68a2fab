package io.heavykv.kvcache;

/**
 * Where an eviction policy plugs into {@link PagedKvCache}: the cache stores and serves tokens, the hooks
 * decide which tokens stay. Every method has a do-nothing default, which is the full cache.
 */
public interface KvCacheHooks {

    /** Keeps every token. */
    KvCacheHooks NONE = new KvCacheHooks() { };

    /** At the start of a step, before its appends: the moment a planned eviction is applied. */
    default void beforeStep(PagedKvCache<?> cache) { }

    /** Attention weights of one query head, as {@link KvCache#observe} received them. */
    default void observe(int layer, int head, float[] weights, int offset, int length) { }

    /** At the end of a step, after every layer appended: the moment an eviction is planned. */
    default void afterStep(PagedKvCache<?> cache) { }

    /** A new prompt: forget all state. */
    default void reset() { }
}
