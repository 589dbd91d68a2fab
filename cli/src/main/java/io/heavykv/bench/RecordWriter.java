package io.heavykv.bench;

import com.fasterxml.jackson.core.JsonProcessingException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

/**
 * Writes records (run records, ppl, stress and throughput rows) as they are made: JSON lines, or CSV with a header
 * row for a {@code .csv} file. Each record is built as a whole line, written with one call and flushed before
 * {@link #write} returns, so a run stopped with Ctrl-C leaves a file holding every finished record and no half line.
 */
public final class RecordWriter implements AutoCloseable {
    private final Path file;
    private final Writer out;
    private final boolean csv;
    /** A CSV file gets its header with the first row, unless it is appended to and already has one. */
    private boolean header;

    private RecordWriter(Path file, Writer out, boolean csv, boolean header) {
        this.file = file;
        this.out = out;
        this.csv = csv;
        this.header = header;
    }

    /** A writer to {@code file} (its folders created), replacing it or appending to it; {@code .csv} is CSV. */
    public static RecordWriter open(Path file, boolean append) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) Files.createDirectories(parent);
            boolean csv = file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv");
            boolean header = !append || !Files.exists(file) || Files.size(file) == 0;
            Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING);
            return new RecordWriter(file, out, csv, header);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + file + " for writing: " + e.getMessage(), e);
        }
    }

    /** A fresh file {@code name} in {@code dir}, or, when {@code dir} is null, a writer that drops every record. */
    public static RecordWriter in(Path dir, String name) {
        return dir == null ? new RecordWriter(null, Writer.nullWriter(), false, false) : open(dir.resolve(name), false);
    }

    public synchronized void write(Object record) {
        try {
            out.write(line(record));
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to " + file + ": " + e.getMessage(), e);
        }
    }

    private String line(Object record) {
        try {
            if (!csv) return BenchJson.MAPPER.writeValueAsString(record) + "\n";
            String row = BenchJson.CSV.writer(BenchJson.csvSchema(record.getClass(), header)).writeValueAsString(record);
            header = false;
            return row;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + record.getClass().getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close " + file + ": " + e.getMessage(), e);
        }
    }
}
