package io.heavykv.bench.chart;

import io.heavykv.bench.quality.PerplexityReport;
import io.heavykv.bench.quality.PerplexityResult;
import io.heavykv.bench.stress.StressPoint;
import io.heavykv.bench.stress.StressReport;
import io.heavykv.bench.stress.StressRun;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The measurement charts as PNG bytes, so the CLI can write them beside the records and acceptance steps
 * can attach them to a report without touching files.
 */
public final class Charts {
    private static final int WIDTH = 900;
    private static final int HEIGHT = 560;

    static {
        // Rendering to an image needs no display; without this a CI box without X would fail.
        System.setProperty("java.awt.headless", "true");
    }

    private Charts() {
    }

    /** K/V memory (MB) against sequence length, one line per configuration. */
    public static byte[] kvMemoryVsLength(StressReport report) {
        return line("KV cache memory vs sequence length" + budgetNote(report), "sequence length (tokens)", "KV cache (MB)",
                stressSeries(report, p -> p.kvBytes() / 1e6));
    }

    /** Mean time per output token (ms) against sequence length, one line per configuration. */
    public static byte[] tpotVsLength(StressReport report) {
        return line("Time per output token vs sequence length", "sequence length (tokens)", "TPOT (ms)",
                stressSeries(report, StressPoint::tpotMillis));
    }

    /**
     * Perplexity against KV budget (tokens per layer): one line per fixed-budget family, the full cache as
     * a flat reference line, ratio-based H2O rows at the tokens they attended on average.
     */
    public static byte[] perplexityVsBudget(PerplexityReport report) {
        Map<String, List<double[]>> byFamily = new LinkedHashMap<>();
        double minBudget = Double.MAX_VALUE;
        double maxBudget = 0;
        for (PerplexityResult r : report.rows()) {
            double x = r.budgetTokens() > 0 ? r.budgetTokens() : r.meanAttendedTokens();
            if (r.budgetTokens() > 0) {
                minBudget = Math.min(minBudget, x);
                maxBudget = Math.max(maxBudget, x);
            }
            if (!r.family().equals("full")) {
                String name = r.family().equals("h2o-ratio") ? r.label() + " (at mean tokens attended)" : r.family();
                byFamily.computeIfAbsent(name, k -> new ArrayList<>()).add(new double[]{x, r.perplexity()});
            }
        }
        List<Series> series = new ArrayList<>();
        PerplexityResult full = report.rows().getFirst();
        if (maxBudget > 0) {
            series.add(new Series("full cache", List.of(minBudget, maxBudget), List.of(full.perplexity(), full.perplexity())));
        }
        byFamily.forEach((name, points) -> {
            points.sort((a, b) -> Double.compare(a[0], b[0]));
            series.add(new Series(name, points.stream().map(p -> p[0]).toList(), points.stream().map(p -> p[1]).toList()));
        });
        String window = report.windowTokens() == 0 ? "whole texts" : report.windowTokens() + "-token windows";
        return line("Perplexity vs KV budget (" + window + ", " + report.positions().name().toLowerCase() + " positions)",
                "KV budget (tokens per layer)", "perplexity", series);
    }

    /** A line chart with markers, labelled axes and a legend, as PNG. */
    public static byte[] line(String title, String xTitle, String yTitle, List<Series> series) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        chart.getStyler().setPlotGridLinesVisible(true);
        chart.getStyler().setMarkerSize(7);
        for (Series s : series) {
            if (s.x().isEmpty()) continue;
            chart.addSeries(s.name(), s.x(), s.y()).setMarker(SeriesMarkers.CIRCLE);
        }
        try {
            return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode chart '" + title + "' as PNG", e);
        }
    }

    private static List<Series> stressSeries(StressReport report, ToDoubleFunction<StressPoint> y) {
        List<Series> series = new ArrayList<>();
        for (StressRun run : report.runs()) {
            String name = run.exceededBudget() ? run.label() + " (" + run.budgetNote() + ")" : run.label();
            series.add(new Series(name, run.points().stream().map(p -> (double) p.tokens()).toList(),
                    run.points().stream().map(p -> y.applyAsDouble(p)).toList()));
        }
        return series;
    }

    private static String budgetNote(StressReport report) {
        return report.kvBudgetBytes() > 0 ? String.format(java.util.Locale.ROOT, " (budget %.2f MB)", report.kvBudgetBytes() / 1e6) : "";
    }
}
