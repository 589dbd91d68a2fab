package io.heavykv.eviction;

import io.heavykv.eviction.schedule.KeepSchedule;
import io.heavykv.kvcache.KvGeometry;

import java.util.Arrays;

/**
 * The base of every policy that ranks tokens: a subclass only scores, this class plans. At each step
 * boundary its {@link KeepSchedule} says whether to plan and how many tokens each layer keeps; each layer
 * then keeps its sink and recent floors plus the best-scored middle blocks within the {@link LayerBudget},
 * rounded down to whole blocks, written as a {@link ReservePlan} that the controller validates and applies.
 */
public abstract class ScoringPolicy implements EvictionPolicy {
    private final int sinkTokens;
    private final int recentTokens;
    private final int blockTokens;
    private final KeepSchedule schedule;
    private final int[] targets;
    /** Plans per KV head; null when the layer's tokens are kept for every head. */
    private final HeadPlanner heads;
    private CacheView view;
    private int[] blockIds = new int[0];
    private float[] scores = new float[0];
    private int[] unitStart = new int[0];
    private long[] rankKeys = new long[0];
    private boolean[] chosen = new boolean[0];

    protected ScoringPolicy(ScheduledConfig config, KvGeometry geometry, KeepSchedule schedule) {
        this(config, geometry, schedule, null);
    }

    /** With the schedule of the configuration, the same budget on every layer. */
    protected ScoringPolicy(ScheduledConfig config, KvGeometry geometry) {
        this(config, geometry, config.schedule().build(geometry.layers(), null));
    }

    /**
     * Keeping tokens per KV head ({@link PolicyConfig#perHeadKeep()} must say so): the layer's budget is split
     * across heads by {@link #scoreHead}, each head guaranteed {@code headFloor} of an even split (see
     * {@link HeadPlanner}).
     */
    protected ScoringPolicy(ScheduledConfig config, KvGeometry geometry, double headFloor) {
        this(config, geometry, config.schedule().build(geometry.layers(), null), headFloor);
    }

    private ScoringPolicy(ScheduledConfig config, KvGeometry geometry, KeepSchedule schedule, Double headFloor) {
        if ((headFloor != null) != config.perHeadKeep()) {
            throw new IllegalArgumentException("a policy plans per KV head exactly when its configuration keeps tokens per head");
        }
        this.sinkTokens = config.sinkTokens();
        this.recentTokens = config.recentTokens();
        this.blockTokens = config.blockTokens();
        this.schedule = schedule;
        this.targets = new int[geometry.layers()];
        this.heads = headFloor == null ? null : new HeadPlanner(this, geometry.kvHeads(), headFloor);
    }

    /** Attention of one query head on an evicting layer (see {@link EvictionPolicy#observe}). */
    protected void observeWeights(int layer, int head, float[] weights, int offset, int length) { }

    /** The step ended: fold what was observed into the scores. Runs at every step boundary, before planning. */
    protected void update(CacheView view) { }

    /**
     * Writes {@code out[s]} for each slot {@code s} in {@code [from, to)} of an evicting layer: higher stays.
     * {@code blockIds} holds the block id of every slot of the layer, {@code length} of them. Scores must not
     * be negative. Slots of one block share the score of the block's first slot.
     */
    protected abstract void score(int layer, int[] blockIds, int length, int from, int to, float[] out);

    /**
     * As {@link #score}, for the slots of one KV head of a layer that keeps tokens per head; {@code blockIds} are that
     * head's. Scores of different heads are ranked together, so they must be on one scale. By default every head
     * ranks by the layer's score.
     */
    protected void scoreHead(int layer, int kvHead, int[] blockIds, int length, int from, int to, float[] out) {
        score(layer, blockIds, length, from, to, out);
    }

    /** A new prompt: forget the scores. */
    protected void clearScores() { }

    /** The view of the cache, from the first step on. */
    protected final CacheView view() { return view; }

    @Override
    public final boolean evicts(int layer) { return schedule.evicts(layer); }

    @Override
    public final LayerBudget budget(int layer, int length, int targetKeep) {
        return LayerBudget.of(length, sinkTokens, recentTokens, targetKeep, blockTokens);
    }

    @Override
    public final void beginStep(CacheView view) { this.view = view; }

    @Override
    public final void observe(int layer, int head, float[] weights, int offset, int length) {
        if (evicts(layer)) observeWeights(layer, head, weights, offset, length);
    }

    @Override
    public final boolean endStep(CacheView view, ReservePlan plan) {
        this.view = view;
        update(view);
        if (!schedule.targets(view, this, targets)) return false;
        long lengths = 0;
        long kept = 0;
        int layers = 0;
        boolean any = false;
        for (int l = 0; l < view.layers(); l++) {
            if (!evicts(l)) continue;
            layers++;
            int length = heads == null ? view.length(l) : heads.held(l, view);
            lengths += length;
            if (targets[l] == KeepSchedule.SKIP) {
                kept += length;
                continue;
            }
            if (heads != null) {
                HeadBudgets budgets = heads.budgets(l, view, targets[l]);
                if (budgets.keepsAll()) {
                    kept += length;
                    continue;
                }
                kept += heads.plan(l, view, budgets, plan);
                any = true;
                continue;
            }
            LayerBudget budget = budget(l, length, targets[l]);
            if (length <= budget.effectiveKeep()) {
                kept += length;
                continue;
            }
            kept += planLayer(l, view, budget, plan);
            any = true;
        }
        if (!any) return false;
        schedule.planned(view.tokensSeen(), layers, lengths, kept);
        return true;
    }

    /** Writes the layer's plan: floors plus the best-scored middle blocks; returns the tokens kept. */
    private int planLayer(int l, CacheView view, LayerBudget budget, ReservePlan plan) {
        int length = view.length(l);
        if (blockIds.length < length) {
            blockIds = new int[Math.max(length, 2 * blockIds.length)];
            scores = new float[blockIds.length];
        }
        view.blockIds(l, blockIds);
        score(l, blockIds, length, budget.sinkEnd(), budget.recentStart(), scores);
        int units = middleUnits(budget);
        for (int u = 0; u < units; u++) {
            // Scores are never negative, so their float bits order like the values; the unit index in the low
            // bits breaks ties toward the more recent block.
            float score = Math.max(0f, scores[unitStart[u]]);
            rankKeys[u] = ((long) Float.floatToIntBits(score) << 32) | u;
            chosen[u] = false;
        }
        Arrays.sort(rankKeys, 0, units);
        // Best first; a block that no longer fits is skipped for smaller ones further down. Blocks hold at
        // most blockTokens slots, so this stops less than a block short of the budget.
        int middleKept = 0;
        for (int i = units - 1; i >= 0 && middleKept < budget.middleBudget(); i--) {
            int u = (int) rankKeys[i];
            int size = unitStart[u + 1] - unitStart[u];
            if (middleKept + size > budget.middleBudget()) continue;
            chosen[u] = true;
            middleKept += size;
        }
        int keep = budget.floorKeep() + middleKept;
        plan.begin(l, length, budget.targetKeep(), keep);
        plan.keepMerged(l, 0, budget.sinkEnd());
        for (int u = 0; u < units; u++) {
            if (chosen[u]) plan.keepMerged(l, unitStart[u], unitStart[u + 1]);
        }
        plan.keepMerged(l, budget.recentStart(), length);
        return keep;
    }

    /** Splits the middle into runs of one block id; unit u is [unitStart[u], unitStart[u + 1]). */
    private int middleUnits(LayerBudget budget) {
        int capacity = budget.middleLength() + 1;
        if (unitStart.length < capacity) {
            unitStart = new int[capacity];
            rankKeys = new long[capacity];
            chosen = new boolean[capacity];
        }
        int units = 0;
        for (int s = budget.sinkEnd(); s < budget.recentStart(); s++) {
            if (s == budget.sinkEnd() || blockIds[s] != blockIds[s - 1]) unitStart[units++] = s;
        }
        unitStart[units] = budget.recentStart();
        return units;
    }

    @Override
    public final void reset() {
        schedule.reset();
        clearScores();
    }
}
