package io.heavykv.bench.gate;

import io.heavykv.bench.RecordFiles;
import io.heavykv.bench.RecordWriter;
import io.heavykv.bench.RunRecord;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The rolling-baseline history: a JSON-lines file of past run records (any machine, any setting; the gate
 * picks those with the candidate's key). Only runs that passed their gates are appended, so a regression
 * never drags the baseline down after it.
 */
public final class RunHistory {
    private RunHistory() {
    }

    /** The history's records; none when the file does not exist yet. */
    public static List<RunRecord> load(Path file) throws IOException {
        return Files.exists(file) ? RecordFiles.read(file) : List.of();
    }

    public static void append(Path file, List<RunRecord> records) {
        try (RecordWriter out = RecordWriter.open(file, true)) {
            for (RunRecord r : records) if (r.passed()) out.write(r);
        }
    }
}
