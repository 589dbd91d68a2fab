package io.heavykv.cli;

import io.heavykv.bench.chart.Charts;
import io.heavykv.bench.quality.PerplexityReport;
import io.heavykv.bench.stress.StressReport;
import io.heavykv.files.OutputFile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes the charts of a run next to its records and says where. */
final class BenchCharts {
    private BenchCharts() {
    }

    static void write(Path dir, PerplexityReport report) throws IOException {
        save(dir, "perplexity_vs_budget.png", Charts.perplexityVsBudget(report));
    }

    static void write(Path dir, StressReport report, String prefix) throws IOException {
        save(dir, prefix + "kv_memory_vs_length.png", Charts.kvMemoryVsLength(report));
        save(dir, prefix + "tpot_vs_length.png", Charts.tpotVsLength(report));
    }

    static void writeLongContext(Path dir, StressReport report) throws IOException {
        save(dir, "long_context.png", Charts.longContext(report));
    }

    private static void save(Path dir, String name, byte[] png) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve(name);
        OutputFile.write(file, temporary -> Files.write(temporary, png));
        System.err.println("chart: " + file);
    }
}
