package io.heavykv.codec.eval;

/** Figures of one layer's K and V together. */
public record LayerReport(int layer, CodecStats stats) {}
