package io.heavykv.bench.results;

import io.heavykv.bench.RunRecord;
import io.heavykv.bench.quality.PerplexityResult;

import java.util.List;

/** The records one model's results runs produced: the paired bench runs and the perplexity rows (full first). */
public record ModelResults(String model, List<RunRecord> bench, List<PerplexityResult> quality) {
    public ModelResults {
        bench = List.copyOf(bench);
        quality = List.copyOf(quality);
    }
}
