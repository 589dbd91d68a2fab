package io.heavykv.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RecordFilesTest {
    @TempDir
    Path dir;

    private final List<RunRecord> records = List.of(
            TestRecords.plain("full", 123.25, 1.0),
            TestRecords.withLossless(TestRecords.plain("h2o, \"quoted\"", 99.5, 3.1), 1.42, 650.0, 4, 0, 17),
            TestRecords.failed("broken", "context overflow: 600 > 512"));

    @Test
    void jsonLinesRoundTripKeepsEveryFieldIncludingAbsentLosslessFigures() throws IOException {
        Path file = dir.resolve("runs.jsonl");
        try (RecordWriter out = RecordWriter.open(file, false)) {
            records.forEach(out::write);
        }
        List<RunRecord> back = RecordFiles.read(file);
        assertThat(back).containsExactlyElementsOf(records);
        assertThat(back.get(0).hasLossless()).isFalse();
        assertThat(back.get(1).losslessCacheHits()).isEqualTo(17L);
        assertThat(Files.readString(file)).contains("\"decode_tok_s\":123.25", "\"lossless_ratio\":null");
    }

    @Test
    void csvRoundTripKeepsEveryFieldAndRecordOrderColumns() throws IOException {
        Path file = dir.resolve("runs.csv");
        try (RecordWriter out = RecordWriter.open(file, false)) {
            records.forEach(out::write);
        }
        assertThat(RecordFiles.read(file)).containsExactlyElementsOf(records);
        String header = Files.readAllLines(file).get(0);
        assertThat(header).startsWith("suite,timestamp,machine,model,config_id,prompt_id,bucket,prompt_tokens");
    }

    @Test
    void appendingKeepsOneCsvHeader() throws IOException {
        Path file = dir.resolve("runs.csv");
        try (RecordWriter out = RecordWriter.open(file, true)) {
            out.write(records.get(0));
        }
        try (RecordWriter out = RecordWriter.open(file, true)) {
            out.write(records.get(1));
        }
        assertThat(Files.readAllLines(file).stream().filter(l -> l.startsWith("suite,"))).hasSize(1);
        assertThat(RecordFiles.read(file)).containsExactly(records.get(0), records.get(1));
    }

    @Test
    void recordsAreOnDiskAsSoonAsWrittenSoAnInterruptedRunLeavesValidFiles() throws IOException {
        Path jsonl = dir.resolve("partial.jsonl");
        Path csv = dir.resolve("partial.csv");
        RecordWriter json = RecordWriter.open(jsonl, false);
        RecordWriter table = RecordWriter.open(csv, false);
        json.write(records.get(0));
        table.write(records.get(0));
        json.write(records.get(1));
        table.write(records.get(1));
        // Not closed: as after Ctrl-C. Another reader sees both finished runs, complete.
        assertThat(RecordFiles.read(jsonl)).containsExactly(records.get(0), records.get(1));
        assertThat(RecordFiles.read(csv)).containsExactly(records.get(0), records.get(1));
        json.close();
        table.close();
    }

    @Test
    void aLineCutByAKillIsSkippedButOtherBadLinesAreErrorsNamingTheLine() throws IOException {
        Path file = dir.resolve("cut.jsonl");
        try (RecordWriter out = RecordWriter.open(file, false)) {
            out.write(records.get(0));
        }
        Files.writeString(file, "{\"suite\":\"bench\",\"conf", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        assertThat(RecordFiles.read(file)).containsExactly(records.get(0));

        Files.writeString(file, "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        assertThatThrownBy(() -> RecordFiles.read(file)).isInstanceOf(IOException.class).hasMessageContaining("line 2");
    }

    @Test
    void aCompleteLastRecordWithoutItsNewlineCounts() throws IOException {
        Path file = dir.resolve("no-newline.jsonl");
        try (RecordWriter out = RecordWriter.open(file, false)) {
            records.forEach(out::write);
        }
        String text = Files.readString(file, StandardCharsets.UTF_8);
        Files.writeString(file, text.substring(0, text.length() - 1), StandardCharsets.UTF_8);
        assertThat(RecordFiles.read(file)).isEqualTo(records);
    }

    @Test
    void aCsvRowWithCellsMissingIsAnErrorUnlessItIsTheCutLastRow() throws IOException {
        Path file = dir.resolve("cut.csv");
        try (RecordWriter out = RecordWriter.open(file, false)) {
            records.forEach(out::write);
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        String cut = lines.get(1).substring(0, lines.get(1).indexOf(',', 40));
        Files.writeString(file, lines.get(0) + "\n" + cut + "\n" + lines.get(2) + "\n", StandardCharsets.UTF_8);
        assertThatThrownBy(() -> RecordFiles.read(file)).isInstanceOf(IOException.class).hasMessageContaining(file.toString());

        Files.writeString(file, lines.get(0) + "\n" + lines.get(1) + "\n" + cut, StandardCharsets.UTF_8);
        assertThat(RecordFiles.read(file)).containsExactly(records.get(0));
    }
}
