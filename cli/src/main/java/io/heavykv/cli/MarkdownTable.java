package io.heavykv.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A result table for people, as GitHub Markdown with aligned columns (pastes straight into a report). */
final class MarkdownTable {
    private final List<String> headers;
    private final List<List<String>> rows = new ArrayList<>();

    MarkdownTable(String... headers) {
        this.headers = List.of(headers);
    }

    MarkdownTable row(Object... cells) {
        if (cells.length != headers.size()) {
            throw new IllegalArgumentException("row of " + cells.length + " cells for " + headers.size() + " columns");
        }
        List<String> row = new ArrayList<>();
        for (Object cell : cells) row.add(String.valueOf(cell));
        rows.add(row);
        return this;
    }

    static String f(String pattern, Object... args) {
        return String.format(Locale.ROOT, pattern, args);
    }

    void print(PrintStream out) {
        int[] width = new int[headers.size()];
        for (int c = 0; c < width.length; c++) {
            width[c] = Math.max(3, headers.get(c).length());
            for (List<String> row : rows) width[c] = Math.max(width[c], row.get(c).length());
        }
        out.println(line(headers, width));
        StringBuilder rule = new StringBuilder("|");
        for (int w : width) rule.append(' ').append("-".repeat(w)).append(" |");
        out.println(rule);
        for (List<String> row : rows) out.println(line(row, width));
        out.flush();
    }

    private static String line(List<String> cells, int[] width) {
        StringBuilder line = new StringBuilder("|");
        for (int c = 0; c < width.length; c++) {
            line.append(' ').append(cells.get(c)).append(" ".repeat(width[c] - cells.get(c).length())).append(" |");
        }
        return line.toString();
    }
}
