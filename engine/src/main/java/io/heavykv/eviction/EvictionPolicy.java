package io.heavykv.eviction;

/**
 * Decides which tokens leave the cache. The {@link EvictionController} calls it at four points of every
 * step: {@link #beginStep} once the previous plan is applied, {@link #observe} for each query head's
 * attention weights, {@link #endStep} once every layer appended, where the policy may write a
 * {@link ReservePlan}, and {@link #budget} whenever a plan is planned or validated. The controller
 * validates the plan and applies it at the start of the next step. A method that only ranks tokens extends
 * {@link ScoringPolicy}, which does the rest.
 */
public interface EvictionPolicy {

    /** Whether the policy may evict tokens of this layer; plans for other layers are rejected. */
    boolean evicts(int layer);

    /** The rules a plan keeping {@code targetKeep} of {@code length} slots of a layer must follow. */
    LayerBudget budget(int layer, int length, int targetKeep);

    /** A step starts (its tokens are not appended yet); {@code view} stays valid for the policy's life. */
    default void beginStep(CacheView view) { }

    /**
     * Softmax weights of one query head over the layer's first {@code length} slots, query tokens of the step
     * in order: the step's query {@code t} sees {@code length = view.length(layer) - view.stepTokens() + t + 1}.
     */
    default void observe(int layer, int head, float[] weights, int offset, int length) { }

    /**
     * Called at the end of every step; writes an eviction into the empty {@code plan} and returns true,
     * or returns false when nothing should be evicted now.
     */
    boolean endStep(CacheView view, ReservePlan plan);

    /** A new prompt: forget scores and counters. */
    default void reset() { }
}
