package io.heavykv.eviction;

import io.heavykv.kvcache.PagedKvCache;
import io.heavykv.kvcache.PagedLayer;

/**
 * Checks a plan against the cache it is about to change, so a wrong plan can never corrupt the cache or
 * make compaction read out of bounds. Rules per covered layer: the layer may evict; the plan was made for
 * the layer's current length; ranges are non-empty, inside the layer, sorted and separated (canonical,
 * so touching ranges must be merged); both floors are kept; the declared keep count is what the ranges
 * keep; the middle keeps its budget rounded down to whole blocks, and no range boundary splits a block
 * inside the middle.
 */
final class PlanValidator {
    private int[] blockIds = new int[0];

    /** Null when the plan is valid, otherwise what is wrong with it. */
    String check(ReservePlan plan, PagedKvCache<?> cache, EvictionPolicy policy) {
        if (plan.layers() != cache.layers()) {
            return "plan has " + plan.layers() + " layers, the cache " + cache.layers();
        }
        for (int l = 0; l < plan.layers(); l++) {
            if (!plan.covers(l)) continue;
            String problem = checkLayer(plan, l, cache.layer(l), policy);
            if (problem != null) return "layer " + l + ": " + problem;
        }
        return null;
    }

    private String checkLayer(ReservePlan plan, int l, PagedLayer layer, EvictionPolicy policy) {
        if (!policy.evicts(l)) return "the policy does not evict this layer";
        int length = layer.length();
        if (plan.expectedLength(l) != length) {
            return "planned for " + plan.expectedLength(l) + " slots, the layer holds " + length;
        }
        int target = plan.targetKeep(l);
        if (target < 0 || target > length) return "target keep " + target + " outside [0, " + length + "]";
        int n = plan.rangeCount(l);
        long total = 0;
        for (int r = 0; r < n; r++) {
            int start = plan.start(l, r);
            int end = plan.end(l, r);
            if (start < 0 || end > length || start >= end) {
                return "range " + r + " [" + start + ", " + end + ") is empty or outside [0, " + length + ")";
            }
            if (r > 0 && start <= plan.end(l, r - 1)) {
                return "range " + r + " [" + start + ", " + end + ") does not start after range " + (r - 1) + " ending at "
                        + plan.end(l, r - 1) + " (ranges must be sorted, disjoint and merged)";
            }
            total += end - start;
        }
        LayerBudget budget = policy.budget(l, length, target);
        if (budget.sinkEnd() > 0 && (n == 0 || plan.start(l, 0) != 0 || plan.end(l, 0) < budget.sinkEnd())) {
            return "sink floor [0, " + budget.sinkEnd() + ") is not kept";
        }
        if (budget.recentStart() < length
                && (n == 0 || plan.end(l, n - 1) != length || plan.start(l, n - 1) > budget.recentStart())) {
            return "recent floor [" + budget.recentStart() + ", " + length + ") is not kept";
        }
        if (total != plan.quantizedKeep(l)) {
            return "ranges keep " + total + " slots, the plan declares " + plan.quantizedKeep(l);
        }
        long middle = total - budget.floorKeep();
        if (middle < budget.minMiddleKeep() || middle > budget.middleBudget()) {
            return "middle keeps " + middle + " slots, the budget rounded down to whole blocks allows ["
                    + budget.minMiddleKeep() + ", " + budget.middleBudget() + "]";
        }
        if (blockIds.length < length) blockIds = new int[Math.max(length, 2 * blockIds.length)];
        layer.blockIds(blockIds);
        for (int r = 0; r < n; r++) {
            if (splitsBlock(plan.start(l, r), budget) || splitsBlock(plan.end(l, r), budget)) {
                return "range " + r + " [" + plan.start(l, r) + ", " + plan.end(l, r) + ") splits a block of the middle";
            }
        }
        return null;
    }

    /** Floors are kept token by token, so only boundaries strictly inside the middle must fall between blocks. */
    private boolean splitsBlock(int boundary, LayerBudget budget) {
        return boundary > budget.sinkEnd() && boundary < budget.recentStart() && blockIds[boundary - 1] == blockIds[boundary];
    }
}
