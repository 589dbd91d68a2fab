package io.heavykv.eviction;

import io.heavykv.kvcache.PagedKvCache;

/**
 * Decides which tokens leave the cache. Like a kvpress "press", it watches the attention ({@link #observe})
 * and at the end of each step ({@link #endStep}) turns the cache's state and what it observed into a
 * {@link ReservePlan}; the {@link EvictionController} validates and applies it at the next step.
 */
public interface EvictionPolicy {

    /** Whether the policy may evict tokens of this layer; plans for other layers are rejected. */
    boolean evicts(int layer);

    /** The rules a plan keeping {@code targetKeep} of {@code length} slots of a layer must follow. */
    LayerBudget budget(int layer, int length, int targetKeep);

    /** Attention weights of one query head over the layer's first {@code length} slots. */
    default void observe(int layer, int head, float[] weights, int offset, int length) { }

    /**
     * Called at the end of every step; writes an eviction into the empty {@code plan} and returns true,
     * or returns false when nothing should be evicted now.
     */
    boolean endStep(PagedKvCache<?> cache, ReservePlan plan);

    /** A new prompt: forget scores and counters. */
    default void reset() { }
}
