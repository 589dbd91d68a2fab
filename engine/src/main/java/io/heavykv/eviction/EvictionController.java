package io.heavykv.eviction;

import io.heavykv.kvcache.KvCacheHooks;
import io.heavykv.kvcache.PagedKvCache;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Runs an {@link EvictionPolicy} inside a {@link PagedKvCache} with double-buffered reserve plans: the
 * policy writes the pending plan at the end of step t, and at the start of step t+1 the pending plan is
 * validated and applied, then becomes the active plan while the former active buffer is cleared to
 * receive the next one. The two buffers never share arrays. A plan that fails validation is dropped and
 * counted; the cache then keeps all its tokens for that step.
 */
public final class EvictionController implements KvCacheHooks {
    private final EvictionPolicy policy;
    private final PlanValidator validator = new PlanValidator();
    private final int layers;
    private ReservePlan active;
    private ReservePlan pending;
    private boolean pendingReady;

    private final int[] floorKeep;
    private final int[] effectiveKeep;
    private final int[] quantizedKeep;
    private final int[] kept;
    private int tokensSeen;
    private long evictionNanos;
    private long plansApplied;
    private long plansRejected;
    private String lastRejection = "";
    private long peakResidentBytes;
    private PagedCacheView view;

    public EvictionController(int layers, EvictionPolicy policy) {
        this.layers = layers;
        this.policy = policy;
        this.active = new ReservePlan(layers);
        this.pending = new ReservePlan(layers);
        this.floorKeep = new int[layers];
        this.effectiveKeep = new int[layers];
        this.quantizedKeep = new int[layers];
        this.kept = new int[layers];
    }

    /** The plan applied last (empty before the first); read-only by convention. */
    public ReservePlan activePlan() { return active; }

    ReservePlan pendingPlan() { return pending; }

    /** Whether a plan waits to be applied at the next step. */
    public boolean hasPendingPlan() { return pendingReady; }

    /**
     * Queues an externally made plan in place of the policy's: it is copied into the pending buffer and
     * validated like any other at the next step.
     */
    public void submit(ReservePlan plan) {
        pending.copyFrom(plan);
        pendingReady = true;
    }

    @Override
    public void beforeStep(PagedKvCache<?> cache) {
        if (view == null || !view.viewing(cache)) view = new PagedCacheView(cache);
        if (pendingReady) apply(cache);
        policy.beginStep(view);
    }

    private void apply(PagedKvCache<?> cache) {
        long start = System.nanoTime();
        String problem = validator.check(pending, cache, policy);
        if (problem == null) {
            for (int l = 0; l < layers; l++) {
                if (!pending.covers(l)) continue;
                if (pending.perHead(l)) applyHeads(cache, l);
                else applyWhole(cache, l);
                quantizedKeep[l] = pending.keptTokens(l);
            }
            plansApplied++;
            ReservePlan applied = pending;
            pending = active;
            active = applied;
        } else {
            plansRejected++;
            lastRejection = problem;
        }
        pending.clear();
        pendingReady = false;
        evictionNanos += System.nanoTime() - start;
        snapshot(cache);
    }

    private void applyWhole(PagedKvCache<?> cache, int l) {
        cache.layer(l).retain(pending.startsArray(l, 0), pending.endsArray(l, 0), pending.rangeCount(l));
        LayerBudget budget = policy.budget(l, pending.expectedLength(l), pending.targetKeep(l));
        floorKeep[l] = budget.floorKeep();
        effectiveKeep[l] = budget.effectiveKeep();
    }

    private void applyHeads(PagedKvCache<?> cache, int l) {
        int heads = pending.heads(l);
        int[] lengths = new int[heads];
        for (int g = 0; g < heads; g++) {
            lengths[g] = pending.expectedLength(l, g);
            cache.layer(l).retain(g, pending.startsArray(l, g), pending.endsArray(l, g), pending.rangeCount(l, g));
        }
        HeadBudgets budgets = HeadBudgets.of(policy, l, lengths, heads, pending.targetKeep(l));
        floorKeep[l] = budgets.perLayer(budgets.floorKeep());
        effectiveKeep[l] = budgets.perLayer(budgets.floorKeep() + budgets.middleBudget());
    }

    @Override
    public void observe(int layer, int head, float[] weights, int offset, int length) {
        policy.observe(layer, head, weights, offset, length);
    }

    @Override
    public void afterStep(PagedKvCache<?> cache) {
        long start = System.nanoTime();
        pending.clear();
        if (view == null || !view.viewing(cache)) view = new PagedCacheView(cache);
        pendingReady = policy.endStep(view, pending);
        evictionNanos += System.nanoTime() - start;
        snapshot(cache);
        peakResidentBytes = cache.peakResidentBytes();
    }

    @Override
    public void reset() {
        active.clear();
        pending.clear();
        pendingReady = false;
        policy.reset();
        Arrays.fill(floorKeep, 0);
        Arrays.fill(effectiveKeep, 0);
        Arrays.fill(quantizedKeep, 0);
        Arrays.fill(kept, 0);
        tokensSeen = 0;
        evictionNanos = 0;
        plansApplied = 0;
        plansRejected = 0;
        lastRejection = "";
        peakResidentBytes = 0;
    }

    /** Kept counts are what each layer retains once the eviction decided so far (pending or not) is done. */
    private void snapshot(PagedKvCache<?> cache) {
        tokensSeen = cache.tokensSeen();
        for (int l = 0; l < layers; l++) {
            kept[l] = pendingReady && pending.covers(l) ? pending.keptTokens(l) : cache.layer(l).heldTokens();
        }
    }

    /** Figures as of the last step boundary; reset() starts them over with the new prompt. */
    public EvictionStats stats() {
        List<LayerStats> perLayer = new ArrayList<>(layers);
        long allKept = 0;
        long evictingKept = 0;
        int evictingLayers = 0;
        long floors = 0;
        long effective = 0;
        long quantized = 0;
        for (int l = 0; l < layers; l++) {
            boolean evicting = policy.evicts(l);
            perLayer.add(new LayerStats(l, evicting, kept[l], lossy(tokensSeen, kept[l]),
                    floorKeep[l], effectiveKeep[l], quantizedKeep[l]));
            allKept += kept[l];
            floors += floorKeep[l];
            effective += effectiveKeep[l];
            quantized += quantizedKeep[l];
            if (evicting) {
                evictingKept += kept[l];
                evictingLayers++;
            }
        }
        long allSeen = (long) tokensSeen * layers;
        return new EvictionStats(tokensSeen, perLayer,
                allSeen == 0 ? 1.0 : (double) allKept / allSeen,
                lossy(allSeen, allKept),
                evictingLayers == 0 ? 1.0 : lossy((long) tokensSeen * evictingLayers, evictingKept),
                floors, effective, quantized, evictionNanos / 1000, plansApplied, plansRejected, lastRejection,
                peakResidentBytes);
    }

    private static double lossy(long seen, long kept) {
        if (seen == 0) return 1.0;
        return kept == 0 ? Double.POSITIVE_INFINITY : (double) seen / kept;
    }
}
