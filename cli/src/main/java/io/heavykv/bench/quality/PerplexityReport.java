package io.heavykv.bench.quality;

import io.heavykv.kvcache.PositionMode;

import java.util.List;

/**
 * A perplexity run: the full cache's row first, then every configuration in the order given.
 *
 * @param windowTokens tokens per window including its BOS; every window starts from an empty cache
 * @param positions    how keys carry position (absolute positions restart at 0 in every window)
 */
public record PerplexityReport(int windowTokens, PositionMode positions, List<String> texts, List<PerplexityResult> rows) {
    public PerplexityReport {
        texts = List.copyOf(texts);
        rows = List.copyOf(rows);
    }

    public PerplexityResult row(String label) {
        return rows.stream().filter(r -> r.label().equals(label)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no row " + label + " in " + rows.stream().map(PerplexityResult::label).toList()));
    }
}
