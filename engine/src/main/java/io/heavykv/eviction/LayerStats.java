package io.heavykv.eviction;

/**
 * One layer's figures. Keep counts are those of the last plan applied to the layer (0 before any).
 *
 * @param lossyRatio tokens seen / tokens kept now
 */
public record LayerStats(int layer, boolean evicting, int kept, double lossyRatio,
                         int floorKeep, int effectiveKeep, int quantizedKeep) { }
