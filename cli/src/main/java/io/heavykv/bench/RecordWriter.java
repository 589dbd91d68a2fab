package io.heavykv.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * Writes records as runs finish. Each record is flushed before {@link #write} returns, so a run stopped
 * with Ctrl-C leaves a file holding every finished run, complete.
 */
public interface RecordWriter extends AutoCloseable {

    void write(RunRecord record);

    @Override
    void close();

    /** A writer chosen by file extension: {@code .csv} for CSV, anything else JSON lines. */
    static RecordWriter open(Path file, boolean append) {
        try {
            return file.getFileName().toString().toLowerCase().endsWith(".csv")
                    ? new CsvRecordWriter(file, append)
                    : new JsonLinesRecordWriter(file, append);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + file + " for writing: " + e.getMessage(), e);
        }
    }
}
