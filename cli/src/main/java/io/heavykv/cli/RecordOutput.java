package io.heavykv.cli;

import io.heavykv.bench.RecordTable;
import io.heavykv.bench.RecordWriter;
import io.heavykv.bench.RunRecord;
import io.heavykv.files.OutputFile;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Where measurement records go: JSON lines and/or CSV files, written as each run ends, and a table on stdout. */
final class RecordOutput {

    @Option(names = "--jsonl", paramLabel = "FILE", description = "Write one JSON record per run to FILE (flushed as each run ends).")
    Path jsonl;

    @Option(names = "--csv", paramLabel = "FILE", description = "Write one CSV row per run to FILE (flushed as each run ends).")
    Path csv;

    @Option(names = "--append", description = "Append to the record files instead of replacing them.")
    boolean append;

    @Option(names = {"-q", "--quiet"}, description = "No table and no progress bar; records go only to the files.")
    boolean quiet;

    /**
     * Opens the files, refusing any that is one of the run's {@code inputs} (a record file named like the model
     * would truncate it under its mapping); the returned sink writes every record to each and prints its table row.
     */
    Sink open(PrintStream table, Path... inputs) throws IOException {
        OutputFile.refuseInputs(jsonl, inputs);
        OutputFile.refuseInputs(csv, inputs);
        List<RecordWriter> writers = new ArrayList<>();
        try {
            if (jsonl != null) writers.add(RecordWriter.open(jsonl, append));
            if (csv != null) writers.add(RecordWriter.open(csv, append));
        } catch (RuntimeException e) {
            writers.forEach(RecordWriter::close);
            throw e;
        }
        if (!quiet) RecordTable.printHeader(table);
        return new Sink(writers, quiet ? null : table);
    }

    static final class Sink implements Consumer<RunRecord>, AutoCloseable {
        private final List<RecordWriter> writers;
        private final PrintStream table;

        private Sink(List<RecordWriter> writers, PrintStream table) {
            this.writers = writers;
            this.table = table;
        }

        @Override
        public void accept(RunRecord record) {
            for (RecordWriter w : writers) w.write(record);
            if (table != null) RecordTable.printRow(table, record);
        }

        @Override
        public void close() {
            writers.forEach(RecordWriter::close);
        }
    }
}
