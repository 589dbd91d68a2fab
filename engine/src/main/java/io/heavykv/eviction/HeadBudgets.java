package io.heavykv.eviction;

/**
 * What a per-KV-head plan of one layer must keep, derived like {@link LayerBudget} from the heads' lengths, the
 * policy's floors and the plan's target; the planner and the validator both use it.
 *
 * <p>Each head keeps its own floors (its {@link LayerBudget}, over its own slots). The middles share one pool:
 * what the heads would keep beyond their floors if each kept the target, {@code sum over heads of
 * max(0, target - floors)}, so a head keeping less than its share leaves room for another. Together the heads
 * keep at most the pool (or every middle token, when that is less) and less than a block below it.
 */
final class HeadBudgets {
    private final LayerBudget[] heads;
    private final int blockTokens;
    private final long pool;
    private final long middleLength;
    private final long floorKeep;

    private HeadBudgets(LayerBudget[] heads, int blockTokens) {
        this.heads = heads;
        this.blockTokens = blockTokens;
        long share = 0;
        long middle = 0;
        long floors = 0;
        for (int g = 0; g < heads.length; g++) {
            LayerBudget head = heads[g];
            share += evenShare(g);
            middle += head.middleLength();
            floors += head.floorKeep();
        }
        this.pool = share;
        this.middleLength = middle;
        this.floorKeep = floors;
    }

    /** The budgets of a layer whose KV head g holds {@code lengths[g]} slots, each head keeping {@code targetKeep}. */
    static HeadBudgets of(EvictionPolicy policy, int layer, int[] lengths, int kvHeads, int targetKeep) {
        LayerBudget[] heads = new LayerBudget[kvHeads];
        for (int g = 0; g < kvHeads; g++) heads[g] = policy.budget(layer, lengths[g], targetKeep);
        return new HeadBudgets(heads, heads[0].blockTokens());
    }

    /** Head g's floors (its middle budget there is that of a head keeping the target alone). */
    LayerBudget head(int g) { return heads[g]; }

    int kvHeads() { return heads.length; }

    int blockTokens() { return blockTokens; }

    /** Middle tokens of all heads: an upper bound of what any plan keeps there. */
    long middleLength() { return middleLength; }

    /** Floor tokens of all heads. */
    long floorKeep() { return floorKeep; }

    /** Most middle tokens the heads may keep together. */
    long middleBudget() { return Math.min(pool, middleLength); }

    /** Fewest middle tokens the heads may keep together: the budget minus less than one block. */
    long minMiddleKeep() { return Math.max(0, middleBudget() - blockTokens + 1); }

    /** Whether every head's tokens fit, so a plan would keep them all. */
    boolean keepsAll() { return middleLength <= pool; }

    /**
     * Head g's part of the pool, were it split evenly: the target beyond its floors. Not capped by what the head
     * holds now, so a head that kept little grows back towards a share of it as tokens arrive.
     */
    long evenShare(int g) {
        return Math.max(0, heads[g].targetKeep() - heads[g].floorKeep());
    }

    /** {@code tokens} of the layer's heads, as whole tokens of the layer (summed over heads, divided, rounded up). */
    int perLayer(long tokens) {
        return (int) ((tokens + heads.length - 1) / heads.length);
    }
}
