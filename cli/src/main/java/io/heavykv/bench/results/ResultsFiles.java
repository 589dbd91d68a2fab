package io.heavykv.bench.results;

import io.heavykv.bench.BenchJson;
import io.heavykv.bench.RecordFiles;
import io.heavykv.bench.RunRecord;
import io.heavykv.bench.quality.PerplexityResult;
import io.heavykv.files.OutputFile;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A model's results records on disk, beside the README: {@code <key>.bench.jsonl} (run records, as
 * {@code bench --jsonl} writes them) and {@code <key>.quality.jsonl} (one perplexity row per line, full first).
 */
public final class ResultsFiles {
    private ResultsFiles() {
    }

    public static Path bench(Path dir, ResultsSetup setup) { return dir.resolve(setup.fileKey() + ".bench.jsonl"); }

    public static Path quality(Path dir, ResultsSetup setup) { return dir.resolve(setup.fileKey() + ".quality.jsonl"); }

    public static void write(Path dir, ResultsSetup setup, ModelResults results) throws IOException {
        Files.createDirectories(dir);
        writeLines(bench(dir, setup), results.bench());
        writeLines(quality(dir, setup), results.quality());
    }

    public static ModelResults read(Path dir, ResultsSetup setup) throws IOException {
        List<RunRecord> bench = RecordFiles.readJsonLines(bench(dir, setup));
        List<PerplexityResult> quality = BenchJson.readLines(quality(dir, setup), PerplexityResult.class, "a perplexity row");
        return new ModelResults(setup.model(), bench, quality);
    }

    private static void writeLines(Path file, List<?> values) throws IOException {
        StringBuilder text = new StringBuilder();
        for (Object value : values) text.append(BenchJson.MAPPER.writeValueAsString(value)).append('\n');
        OutputFile.write(file, temporary -> Files.writeString(temporary, text, StandardCharsets.UTF_8));
    }
}
