package io.heavykv.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MappingIterator;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads record files back (JSON lines or CSV, by extension) for gates, history and tests. */
public final class RecordFiles {
    private RecordFiles() {
    }

    public static List<RunRecord> read(Path file) throws IOException {
        return file.getFileName().toString().toLowerCase().endsWith(".csv") ? readCsv(file) : readJsonLines(file);
    }

    /**
     * Every complete line as a record. A last line without its newline is the write a kill interrupted
     * and is skipped; any other bad line is an error naming the file and line.
     */
    public static List<RunRecord> readJsonLines(Path file) throws IOException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file.toString(), null, "record file does not exist");
        }
        String[] lines = text.split("\n", -1);
        List<RunRecord> records = new ArrayList<>();
        // split with limit -1 leaves the text after the last newline as the final element: empty when complete.
        for (int i = 0; i < lines.length - 1; i++) {
            String line = lines[i].strip();
            if (line.isEmpty()) continue;
            try {
                records.add(BenchJson.MAPPER.readValue(line, RunRecord.class));
            } catch (JsonProcessingException e) {
                throw new IOException(file + " line " + (i + 1) + " is not a run record: " + e.getOriginalMessage(), e);
            }
        }
        return records;
    }

    public static List<RunRecord> readCsv(Path file) throws IOException {
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             MappingIterator<RunRecord> rows = BenchJson.CSV.readerFor(RunRecord.class)
                     .with(BenchJson.RECORD_SCHEMA).readValues(in)) {
            return rows.readAll();
        } catch (RuntimeException e) {
            throw new IOException(file + " is not a run record CSV: " + e.getMessage(), e);
        }
    }
}
