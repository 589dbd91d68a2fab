package io.heavykv.bench.results;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The README's results table: rendered from {@link ResultsRow}s, and found in or put into the README between
 * two marker comments, so the table there is only ever what the records say.
 */
public final class ResultsTable {
    public static final String BEGIN = "<!-- results-table: begin (./heavykv results writes this table from results/*.jsonl) -->";
    public static final String END = "<!-- results-table: end -->";
    /** The decode-speed column: measured, not reproducible, so a re-run is compared on every other column only. */
    public static final int DECODE_COLUMN = 7;

    private static final List<String> HEADERS = List.of("model", "cache", "lossy", "lossless (runtime)", "total",
            "perplexity vs full", "KL vs full (nats)", "decode vs full (median, min..max)", "KV held vs full");

    private ResultsTable() {
    }

    /** The table as Markdown, one line per row, ending with a newline. */
    public static String render(List<ResultsRow> rows) {
        StringBuilder out = new StringBuilder();
        out.append(line(HEADERS)).append(line(HEADERS.stream().map(h -> "---").toList()));
        for (ResultsRow row : rows) out.append(line(cells(row)));
        return out.toString();
    }

    /** A row's cells in column order. */
    public static List<String> cells(ResultsRow r) {
        List<String> cells = new ArrayList<>();
        cells.add(r.model());
        cells.add(r.configuration() + " (" + r.promptTokens() + "-token prompt, " + r.generatedTokens() + " generated)");
        cells.add(f("%.2fx", r.lossyRatio()));
        cells.add(f("%.3fx", r.losslessRatio()));
        cells.add(f("%.2fx", r.totalRatio()));
        cells.add(f("%.4f / %.4f (%+.2f%%)", r.perplexity(), r.fullPerplexity(), 100 * r.perplexityRelative()));
        cells.add(f("%.4f (%d tokens)", r.meanKl(), r.tokensScored()));
        cells.add(f("%.2f (%.2f..%.2f, %d repeats)", r.decodeRatio(), r.decodeRatioMin(), r.decodeRatioMax(), r.repeats()));
        cells.add(f("%.2f / %.2f MB (%.2fx less)", r.heldBytes() / 1e6, r.fullHeldBytes() / 1e6, (double) r.fullHeldBytes() / r.heldBytes()));
        return cells;
    }

    /** The table between the markers of {@code readme}, without them. */
    public static String section(String readme) {
        int[] span = span(readme);
        return readme.substring(span[0], span[1]);
    }

    /** {@code readme} with the table between its markers replaced by {@code table}. */
    public static String replace(String readme, String table) {
        int[] span = span(readme);
        return readme.substring(0, span[0]) + table + readme.substring(span[1]);
    }

    private static int[] span(String readme) {
        int begin = readme.indexOf(BEGIN);
        int end = readme.indexOf(END);
        if (begin < 0 || end < begin) {
            throw new IllegalArgumentException("README has no results table between the lines " + BEGIN + " and " + END);
        }
        return new int[] {begin + BEGIN.length() + 1, end};
    }

    private static String line(List<String> cells) {
        return "| " + String.join(" | ", cells) + " |\n";
    }

    private static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
