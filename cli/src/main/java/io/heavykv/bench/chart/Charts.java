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

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
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
     * Perplexity against KV budget (tokens per layer): one line per fixed-budget family and the full cache
     * as a flat reference line. Rows without a fixed budget (ratio-based H2O) have no place on this axis
     * and are left to the table.
     */
    public static byte[] perplexityVsBudget(PerplexityReport report) {
        Map<String, List<PerplexityResult>> byFamily = new LinkedHashMap<>();
        for (PerplexityResult r : report.rows()) {
            if (r.budgetTokens() > 0) byFamily.computeIfAbsent(r.family(), k -> new ArrayList<>()).add(r);
        }
        List<Series> series = new ArrayList<>();
        double min = byFamily.values().stream().flatMap(List::stream).mapToDouble(PerplexityResult::budgetTokens).min().orElse(0);
        double max = byFamily.values().stream().flatMap(List::stream).mapToDouble(PerplexityResult::budgetTokens).max().orElse(0);
        PerplexityResult full = report.rows().getFirst();
        if (max > 0) series.add(new Series("full cache (no eviction)", List.of(min, max), List.of(full.perplexity(), full.perplexity())));
        byFamily.forEach((family, rows) -> {
            List<PerplexityResult> sorted = rows.stream().sorted(java.util.Comparator.comparingInt(PerplexityResult::budgetTokens)).toList();
            series.add(new Series(family, sorted.stream().map(r -> (double) r.budgetTokens()).toList(),
                    sorted.stream().map(PerplexityResult::perplexity).toList()));
        });
        String window = report.windowTokens() == 0 ? "whole texts" : report.windowTokens() + "-token windows";
        return line("Perplexity vs KV budget (" + window + ", " + report.positions().name().toLowerCase() + " positions)",
                "KV budget (tokens per layer)", "perplexity (lower is better)", series);
    }

    /**
     * The long-context run on one image, three panels over the same positions: KV bytes held, the process's
     * resident memory and the mean time per output token since the previous point (none at the prompt's end).
     */
    public static byte[] longContext(StressReport report) {
        String x = "position (tokens: prompt + generated)";
        List<XYChart> panels = List.of(
                chart("KV cache held (MB)", x, "KV (MB)", stressSeries(report, p -> p.kvBytes() / 1e6)),
                chart("Process resident memory (MB)", x, "RSS (MB)", stressSeries(report, p -> p.processRssBytes() / 1e6)),
                chart("Time per output token (ms, mean since the previous point)", x, "TPOT (ms)", decodedSeries(report)));
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT * panels.size(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            for (int i = 0; i < panels.size(); i++) {
                Graphics2D panel = (Graphics2D) g.create(0, i * HEIGHT, WIDTH, HEIGHT);
                panels.get(i).paint(panel, WIDTH, HEIGHT);
                panel.dispose();
            }
        } finally {
            g.dispose();
        }
        try {
            java.io.ByteArrayOutputStream png = new java.io.ByteArrayOutputStream();
            javax.imageio.ImageIO.write(image, "png", png);
            return png.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode the long-context chart as PNG", e);
        }
    }

    /** A line chart with markers, labelled axes and a legend, as PNG. */
    public static byte[] line(String title, String xTitle, String yTitle, List<Series> series) {
        XYChart chart = chart(title, xTitle, yTitle, series);
        try {
            return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode chart '" + title + "' as PNG", e);
        }
    }

    private static XYChart chart(String title, String xTitle, String yTitle, List<Series> series) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        chart.getStyler().setPlotGridLinesVisible(true);
        chart.getStyler().setMarkerSize(7);
        for (Series s : series) {
            if (s.x().isEmpty()) continue;
            chart.addSeries(s.name(), s.x(), s.y()).setMarker(SeriesMarkers.CIRCLE);
        }
        return chart;
    }

    /** TPOT per configuration, leaving out points no token was decoded before (the prompt's end). */
    private static List<Series> decodedSeries(StressReport report) {
        List<Series> series = new ArrayList<>();
        for (StressRun run : report.runs()) {
            List<StressPoint> decoded = run.points().stream().filter(p -> p.tpotMillis() > 0).toList();
            series.add(new Series(run.label(), decoded.stream().map(p -> (double) p.tokens()).toList(),
                    decoded.stream().map(StressPoint::tpotMillis).toList()));
        }
        return series;
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
