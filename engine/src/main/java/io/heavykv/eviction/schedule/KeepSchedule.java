package io.heavykv.eviction.schedule;

import io.heavykv.eviction.CacheView;
import io.heavykv.eviction.EvictionPolicy;

/**
 * When a {@link io.heavykv.eviction.ScoringPolicy} plans and how many tokens each layer keeps. A root
 * schedule sets one target for every layer ({@link KeepRatio}, {@link AdaptiveTarget}); decorators wrap
 * another schedule to change when it plans ({@link UpdateInterval}, {@link TriggerLength}), which layers it
 * touches ({@link LayerRange}, {@link Slack}) or how much they keep ({@link FixedCapacity},
 * {@link DepthSchedule}). {@link Schedule#build} stacks them from the JSON knobs.
 */
public interface KeepSchedule {

    /** A target meaning: leave this layer as it is at this step. */
    int SKIP = -1;

    /** Whether the policy may evict tokens of this layer at all. */
    boolean evicts(int layer);

    /**
     * Called at every step boundary. Returns false when nothing is planned now; otherwise fills
     * {@code targets[layer]} with the tokens each evicting layer should keep (before the policy's floors
     * and block rounding), or {@link #SKIP}. {@code policy} gives the floors each target is raised to.
     */
    boolean targets(CacheView view, EvictionPolicy policy, int[] targets);

    /**
     * A plan was made at this boundary: the {@code layers} evicting layers held {@code lengthsBefore} slots
     * and keep {@code keptAfter}.
     */
    default void planned(int seen, int layers, long lengthsBefore, long keptAfter) { }

    /** A new prompt. */
    default void reset() { }
}
