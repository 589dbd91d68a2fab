package io.heavykv.codec.eval;

/** Figures of one layer: its K and V together, and each stream alone. */
public record LayerReport(int layer, CodecStats stats, CodecStats keys, CodecStats values) {}
