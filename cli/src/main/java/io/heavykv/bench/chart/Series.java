package io.heavykv.bench.chart;

import java.util.List;

/** One line of a chart: a name for the legend and its points. */
public record Series(String name, List<Double> x, List<Double> y) {
    public Series {
        if (x.size() != y.size()) throw new IllegalArgumentException("series " + name + " has " + x.size() + " x and " + y.size() + " y values");
        x = List.copyOf(x);
        y = List.copyOf(y);
    }
}
