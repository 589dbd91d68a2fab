package io.heavykv.eviction;

import io.heavykv.eviction.schedule.DepthSchedule;
import io.heavykv.eviction.schedule.Schedule;
import io.heavykv.kvcache.KvGeometry;

/**
 * PyramidKV (Cai et al., "PyramidKV: Dynamic KV Cache Compression based on Pyramidal Information
 * Funneling", 2024): SnapKV's selection with budgets that shrink with depth, because lower layers spread
 * their attention widely and upper layers focus on few tokens. The layers' budgets form an arithmetic series
 * of the same total as a flat one, the last evicting layer getting {@code 1/beta} of the mean.
 *
 * @param snapKv how tokens are ranked (its schedule sets the mean budget)
 * @param beta   how steep the pyramid is, at least 1 (1 is flat)
 */
public record PyramidKvConfig(SnapKvConfig snapKv, double beta) implements ScheduledConfig {

    public PyramidKvConfig {
        if (snapKv == null) throw new IllegalArgumentException("PyramidKV snap_kv settings are missing");
        if (!(beta >= 1) || Double.isInfinite(beta)) throw new IllegalArgumentException("PyramidKV beta must be a finite number >= 1, got " + beta);
    }

    /** SnapKV's defaults with the paper's beta of 20. */
    public static PyramidKvConfig defaults() { return new PyramidKvConfig(SnapKvConfig.defaults(), 20); }

    @Override
    public int sinkTokens() { return snapKv.sinkTokens(); }

    @Override
    public int recentTokens() { return snapKv.recentTokens(); }

    @Override
    public Schedule schedule() { return snapKv.schedule(); }

    @Override
    public PyramidKvConfig withSchedule(Schedule s) { return new PyramidKvConfig(snapKv.withSchedule(s), beta); }

    @Override
    public EvictionPolicy create(KvGeometry geometry) {
        Schedule s = snapKv.schedule();
        int layers = geometry.layers();
        double[] weights = DepthSchedule.pyramid(layers, s.layerStart(), Math.min(s.lastLayer(layers), layers - 1), beta);
        return new SnapKvPolicy(snapKv, geometry, s.build(layers, weights));
    }
}
