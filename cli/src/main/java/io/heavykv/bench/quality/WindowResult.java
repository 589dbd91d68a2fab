package io.heavykv.bench.quality;

import java.util.List;

/** The scores of one window of one text, for every configuration (the full cache first). */
public record WindowResult(String text, int window, int firstToken, int tokens, List<PerplexityResult> rows) {
    public WindowResult {
        rows = List.copyOf(rows);
    }
}
