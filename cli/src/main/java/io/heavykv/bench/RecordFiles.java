package io.heavykv.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvParser;

import java.io.IOException;
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
     * Every line as a record. A last line without its newline that does not parse is the write a kill
     * interrupted and is skipped (one that parses is a whole record and counts); any other bad line is an
     * error naming the file and line.
     */
    public static List<RunRecord> readJsonLines(Path file) throws IOException {
        String[] lines = text(file).split("\n", -1);
        List<RunRecord> records = new ArrayList<>();
        // split with limit -1 leaves the text after the last newline as the final element: empty when complete.
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty()) continue;
            try {
                records.add(BenchJson.MAPPER.readValue(line, RunRecord.class));
            } catch (JsonProcessingException e) {
                if (i == lines.length - 1) break;
                throw new IOException(file + " line " + (i + 1) + " is not a run record: " + e.getOriginalMessage(), e);
            }
        }
        return records;
    }

    /**
     * Every row as a record; a row with fewer cells than the header is an error naming the file, except a
     * last row without its newline, which is the write a kill interrupted and is skipped.
     */
    public static List<RunRecord> readCsv(Path file) throws IOException {
        String text = text(file);
        int end = text.lastIndexOf('\n') + 1;
        List<RunRecord> records = readCsv(file, text.substring(0, end));
        String tail = text.substring(end);
        if (!tail.isBlank()) {
            String header = text.substring(0, Math.max(0, text.indexOf('\n') + 1));
            try {
                records.addAll(readCsv(file, header + tail + "\n"));
            } catch (IOException e) {
                // an interrupted last row: skipped, as documented
            }
        }
        return records;
    }

    private static List<RunRecord> readCsv(Path file, String text) throws IOException {
        try (MappingIterator<RunRecord> rows = BenchJson.CSV.readerFor(RunRecord.class).with(BenchJson.RECORD_SCHEMA)
                .with(CsvParser.Feature.FAIL_ON_MISSING_COLUMNS).readValues(text)) {
            return new ArrayList<>(rows.readAll());
        } catch (IOException | RuntimeException e) {
            throw new IOException(file + " is not a run record CSV: " + e.getMessage(), e);
        }
    }

    private static String text(Path file) throws IOException {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file.toString(), null, "record file does not exist");
        }
    }
}
