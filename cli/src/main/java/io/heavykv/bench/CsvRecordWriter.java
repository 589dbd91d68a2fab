package io.heavykv.bench;

import com.fasterxml.jackson.databind.SequenceWriter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** CSV with a header row (written only when the file starts empty, so appending keeps one header). */
public final class CsvRecordWriter implements RecordWriter {
    private final Path file;
    private final Writer out;
    private final SequenceWriter rows;

    public CsvRecordWriter(Path file, boolean append) throws IOException {
        this.file = file;
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        boolean header = !append || !Files.exists(file) || Files.size(file) == 0;
        this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING);
        this.rows = BenchJson.CSV.writer(header ? BenchJson.RECORD_SCHEMA : BenchJson.RECORD_SCHEMA.withoutHeader())
                .writeValues(out);
    }

    @Override
    public void write(RunRecord record) {
        try {
            rows.write(record);
            rows.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            rows.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close " + file + ": " + e.getMessage(), e);
        }
    }
}
