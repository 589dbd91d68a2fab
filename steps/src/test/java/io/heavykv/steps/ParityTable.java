package io.heavykv.steps;

import java.util.ArrayList;
import java.util.List;

/**
 * The parity table: one row per parity scenario of this run, gathered as each one ends, and shown whole by the
 * scenario that closes {@code parity.feature}. Scenarios share nothing else; this list is the one place the report
 * sees every model and type side by side, so it lives for the test JVM.
 */
final class ParityTable {
    static final List<String> COLUMNS = List.of("scenario", "model", "weights", "prompt tokens", "greedy continuation",
            "top-1 agreement %", "max |d log p(llama.cpp top)|", "heavykv perplexity", "llama.cpp perplexity",
            "perplexity gap %");
    private static final List<List<String>> ROWS = new ArrayList<>();

    private ParityTable() {
    }

    static synchronized void add(List<String> row) {
        if (row.size() != COLUMNS.size()) throw new IllegalArgumentException("a parity row has " + COLUMNS.size() + " cells, got " + row);
        ROWS.add(List.copyOf(row));
    }

    static synchronized List<List<String>> rows() {
        return List.copyOf(ROWS);
    }
}
