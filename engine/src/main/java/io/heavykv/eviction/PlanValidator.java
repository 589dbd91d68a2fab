package io.heavykv.eviction;

import io.heavykv.kvcache.PagedKvCache;
import io.heavykv.kvcache.PagedLayer;

/**
 * Checks a plan against the cache it is about to change, so a wrong plan can never corrupt the cache or
 * make compaction read out of bounds. Rules per covered layer: the layer may evict; a layer that keeps tokens
 * per layer takes a whole-layer plan and one that keeps them per KV head a plan for each of its heads; each plan
 * was made for the current length of the slots it ranges over; ranges are non-empty, inside those slots, sorted
 * and separated (canonical, so touching ranges must be merged); both floors are kept; the declared keep count
 * is what the ranges keep; no range boundary splits a block inside the middle; the middle keeps its budget
 * rounded down to whole blocks: the layer's {@link LayerBudget}, or for per-head plans the heads' shared pool
 * ({@link HeadBudgets}).
 */
final class PlanValidator {
    private int[] blockIds = new int[0];
    private int[] lengths = new int[0];
    /** Slots the ranges of the lane checked last keep. */
    private long kept;

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
        if (plan.perHead(l) != layer.perHeadKeep()) {
            return plan.perHead(l) ? "a per-KV-head plan for a layer that keeps tokens per layer"
                    : "a whole-layer plan for a layer that keeps tokens per KV head";
        }
        return plan.perHead(l) ? checkHeads(plan, l, layer, policy) : checkWhole(plan, l, layer, policy);
    }

    private String checkWhole(ReservePlan plan, int l, PagedLayer layer, EvictionPolicy policy) {
        int length = layer.length();
        int target = plan.targetKeep(l);
        if (target < 0 || target > length) return "target keep " + target + " outside [0, " + length + "]";
        LayerBudget budget = policy.budget(l, length, target);
        String problem = checkLane(plan, l, 0, layer, length, budget);
        if (problem != null) return problem;
        long middle = kept - budget.floorKeep();
        if (middle < budget.minMiddleKeep() || middle > budget.middleBudget()) {
            return "middle keeps " + middle + " slots, the budget rounded down to whole blocks allows ["
                    + budget.minMiddleKeep() + ", " + budget.middleBudget() + "]";
        }
        return null;
    }

    private String checkHeads(ReservePlan plan, int l, PagedLayer layer, EvictionPolicy policy) {
        int kvHeads = layer.kvHeads();
        if (plan.heads(l) != kvHeads) return "plan covers " + plan.heads(l) + " KV heads, the layer has " + kvHeads;
        int target = plan.targetKeep(l);
        if (lengths.length < kvHeads) lengths = new int[kvHeads];
        for (int g = 0; g < kvHeads; g++) lengths[g] = layer.length(g);
        if (target < 0 || target > layer.length()) return "target keep " + target + " outside [0, " + layer.length() + "]";
        HeadBudgets budgets = HeadBudgets.of(policy, l, lengths, kvHeads, target);
        long middle = 0;
        for (int g = 0; g < kvHeads; g++) {
            String problem = checkLane(plan, l, g, layer, lengths[g], budgets.head(g));
            if (problem != null) return "kv head " + g + ": " + problem;
            middle += kept - budgets.head(g).floorKeep();
        }
        if (middle < budgets.minMiddleKeep() || middle > budgets.middleBudget()) {
            return "the heads' middles keep " + middle + " slots, their shared budget rounded down to whole blocks allows ["
                    + budgets.minMiddleKeep() + ", " + budgets.middleBudget() + "]";
        }
        return null;
    }

    /** Checks the ranges of one lane (head {@code lane}, or 0 for the whole layer) over its {@code length} slots. */
    private String checkLane(ReservePlan plan, int l, int lane, PagedLayer layer, int length, LayerBudget budget) {
        if (plan.expectedLength(l, lane) != length) {
            return "planned for " + plan.expectedLength(l, lane) + " slots, the layer holds " + length;
        }
        int n = plan.rangeCount(l, lane);
        long total = 0;
        for (int r = 0; r < n; r++) {
            int start = plan.start(l, lane, r);
            int end = plan.end(l, lane, r);
            if (start < 0 || end > length || start >= end) {
                return "range " + r + " [" + start + ", " + end + ") is empty or outside [0, " + length + ")";
            }
            if (r > 0 && start <= plan.end(l, lane, r - 1)) {
                return "range " + r + " [" + start + ", " + end + ") does not start after range " + (r - 1) + " ending at "
                        + plan.end(l, lane, r - 1) + " (ranges must be sorted, disjoint and merged)";
            }
            total += end - start;
        }
        if (budget.sinkEnd() > 0 && (n == 0 || plan.start(l, lane, 0) != 0 || plan.end(l, lane, 0) < budget.sinkEnd())) {
            return "sink floor [0, " + budget.sinkEnd() + ") is not kept";
        }
        if (budget.recentStart() < length
                && (n == 0 || plan.end(l, lane, n - 1) != length || plan.start(l, lane, n - 1) > budget.recentStart())) {
            return "recent floor [" + budget.recentStart() + ", " + length + ") is not kept";
        }
        if (total != plan.quantizedKeep(l, lane)) {
            return "ranges keep " + total + " slots, the plan declares " + plan.quantizedKeep(l, lane);
        }
        if (blockIds.length < length) blockIds = new int[Math.max(length, 2 * blockIds.length)];
        layer.blockIds(lane, blockIds);
        for (int r = 0; r < n; r++) {
            if (splitsBlock(plan.start(l, lane, r), budget) || splitsBlock(plan.end(l, lane, r), budget)) {
                return "range " + r + " [" + plan.start(l, lane, r) + ", " + plan.end(l, lane, r) + ") splits a block of the middle";
            }
        }
        kept = total;
        return null;
    }

    /** Floors are kept token by token, so only boundaries strictly inside the middle must fall between blocks. */
    private boolean splitsBlock(int boundary, LayerBudget budget) {
        return boundary > budget.sinkEnd() && boundary < budget.recentStart() && blockIds[boundary - 1] == blockIds[boundary];
    }
}
