package io.heavykv.eviction;

import java.util.Arrays;

/**
 * Plans a layer per KV head, the way Ada-KV splits a layer's budget (Feng et al., "Ada-KV: Optimizing KV Cache
 * Eviction by Adaptive Budget Allocation", 2024): each head keeps its floors, then first its best middle blocks up
 * to a guaranteed share ({@code headFloor} of an even split), then the best remaining blocks of all heads ranked
 * together until the heads' shared pool ({@link HeadBudgets}) is spent. A head whose attention is concentrated on
 * few tokens has few high scores and cedes budget to heads that spread theirs.
 */
final class HeadPlanner {
    private final ScoringPolicy policy;
    private final int kvHeads;
    private final double headFloor;
    private final int[] lengths;
    private final int[][] blockIds;
    private final float[][] scores;
    /** Units (runs of one block id in a head's middle), all heads in a row: head, first slot, end slot. */
    private int[] unitHead = new int[0];
    private int[] unitStart = new int[0];
    private int[] unitEnd = new int[0];
    private long[] rankKeys = new long[0];
    private boolean[] chosen = new boolean[0];

    HeadPlanner(ScoringPolicy policy, int kvHeads, double headFloor) {
        this.policy = policy;
        this.kvHeads = kvHeads;
        this.headFloor = headFloor;
        this.lengths = new int[kvHeads];
        this.blockIds = new int[kvHeads][0];
        this.scores = new float[kvHeads][0];
    }

    /** The budgets of layer {@code l} as the view holds it, each head keeping {@code target}. */
    HeadBudgets budgets(int l, CacheView view, int target) {
        for (int g = 0; g < kvHeads; g++) lengths[g] = view.length(l, g);
        return HeadBudgets.of(policy, l, lengths, kvHeads, target);
    }

    /** Tokens layer {@code l} holds now, as whole tokens of the layer. */
    int held(int l, CacheView view) {
        long slots = 0;
        for (int g = 0; g < kvHeads; g++) slots += view.length(l, g);
        return (int) ((slots + kvHeads - 1) / kvHeads);
    }

    /** Writes the layer's per-head plan; returns the tokens kept, as whole tokens of the layer. */
    int plan(int l, CacheView view, HeadBudgets budgets, ReservePlan plan) {
        int units = 0;
        for (int g = 0; g < kvHeads; g++) {
            LayerBudget head = budgets.head(g);
            int length = head.length();
            if (blockIds[g].length < length) {
                blockIds[g] = new int[Math.max(length, 2 * blockIds[g].length)];
                scores[g] = new float[blockIds[g].length];
            }
            view.blockIds(l, g, blockIds[g]);
            policy.scoreHead(l, g, blockIds[g], length, head.sinkEnd(), head.recentStart(), scores[g]);
            units = addUnits(g, head, units);
        }
        for (int u = 0; u < units; u++) {
            // As ScoringPolicy ranks: non-negative float bits order like the values; ties go to the later unit.
            float score = Math.max(0f, scores[unitHead[u]][unitStart[u]]);
            rankKeys[u] = ((long) Float.floatToIntBits(score) << 32) | u;
            chosen[u] = false;
        }
        Arrays.sort(rankKeys, 0, units);
        long[] middleKept = new long[kvHeads];
        long[] floors = new long[kvHeads];
        for (int g = 0; g < kvHeads; g++) floors[g] = (long) Math.floor(headFloor * budgets.evenShare(g));
        long total = 0;
        // Each head's guaranteed share first, its best blocks that fit in it.
        for (int i = units - 1; i >= 0; i--) {
            int u = (int) rankKeys[i];
            int g = unitHead[u];
            int size = unitEnd[u] - unitStart[u];
            if (middleKept[g] + size > floors[g]) continue;
            chosen[u] = true;
            middleKept[g] += size;
            total += size;
        }
        // Then the pool, all heads ranked together; a block that no longer fits is skipped for smaller ones, so
        // this stops less than a block short of the budget.
        for (int i = units - 1; i >= 0 && total < budgets.middleBudget(); i--) {
            int u = (int) rankKeys[i];
            int size = unitEnd[u] - unitStart[u];
            if (chosen[u] || total + size > budgets.middleBudget()) continue;
            chosen[u] = true;
            middleKept[unitHead[u]] += size;
            total += size;
        }
        plan.beginHeads(l, kvHeads, budgets.head(0).targetKeep());
        int u = 0;
        for (int g = 0; g < kvHeads; g++) {
            LayerBudget head = budgets.head(g);
            plan.beginHead(l, g, head.length(), Math.toIntExact(head.floorKeep() + middleKept[g]));
            plan.keepMerged(l, g, 0, head.sinkEnd());
            for (; u < units && unitHead[u] == g; u++) {
                if (chosen[u]) plan.keepMerged(l, g, unitStart[u], unitEnd[u]);
            }
            plan.keepMerged(l, g, head.recentStart(), head.length());
        }
        return budgets.perLayer(budgets.floorKeep() + total);
    }

    /** Appends head g's middle units from index {@code units} on; returns the new count. */
    private int addUnits(int g, LayerBudget head, int units) {
        int capacity = units + head.middleLength();
        if (unitHead.length < capacity) {
            int size = Math.max(capacity, 2 * unitHead.length);
            unitHead = Arrays.copyOf(unitHead, size);
            unitStart = Arrays.copyOf(unitStart, size);
            unitEnd = Arrays.copyOf(unitEnd, size);
            rankKeys = Arrays.copyOf(rankKeys, size);
            chosen = Arrays.copyOf(chosen, size);
        }
        int[] ids = blockIds[g];
        for (int s = head.sinkEnd(); s < head.recentStart(); s++) {
            if (s > head.sinkEnd() && ids[s] == ids[s - 1]) continue;
            if (s > head.sinkEnd()) unitEnd[units - 1] = s;
            unitHead[units] = g;
            unitStart[units] = s;
            units++;
        }
        if (head.middleLength() > 0) unitEnd[units - 1] = head.recentStart();
        return units;
    }
}
