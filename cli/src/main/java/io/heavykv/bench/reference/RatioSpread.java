package io.heavykv.bench.reference;

import io.heavykv.bench.gate.PairedDecode;

import java.util.List;

/**
 * Per-repeat ratios of one figure and what is read from them: the median is the verdict, the range (min..max)
 * shows how far a single repeat on this machine could have strayed from it.
 */
public record RatioSpread(List<Double> ratios) {

    public RatioSpread {
        ratios = List.copyOf(ratios);
    }

    /** NaN when there is no ratio. */
    public double median() { return PairedDecode.median(values()); }

    public double min() { return ratios.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN); }

    public double max() { return ratios.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN); }

    private double[] values() { return ratios.stream().mapToDouble(Double::doubleValue).toArray(); }
}
