package io.heavykv.bench;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PairedTableTest {

    private static String print(String baselineId, List<RunRecord> records) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PairedTable.print(new PrintStream(bytes, true, StandardCharsets.UTF_8), baselineId, records);
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void printsEachCandidatesMedianPairedRatioAndItsLosslessFigures() {
        List<RunRecord> runs = List.of(
                TestRecords.inRepeat(TestRecords.plain("baseline", 10, 1), 1),
                TestRecords.inRepeat(TestRecords.withLossless(TestRecords.plain("store", 9, 3), 1.25, 640, 7, 0, 12), 1),
                TestRecords.inRepeat(TestRecords.plain("baseline", 20, 1), 2),
                TestRecords.inRepeat(TestRecords.withLossless(TestRecords.plain("store", 19, 3), 1.25, 640, 7, 0, 12), 2),
                TestRecords.inRepeat(TestRecords.plain("baseline", 10, 1), 3),
                TestRecords.inRepeat(TestRecords.withLossless(TestRecords.plain("store", 5, 3), 1.25, 640, 7, 0, 12), 3));
        String[] lines = print("baseline", runs).strip().split("\n");
        assertThat(lines[0]).contains("'baseline'");
        String row = lines[2];
        // Ratios 0.9, 0.95 and 0.5: the median is 0.9, whatever the medians of the speeds are.
        assertThat(row).startsWith("store").contains("text:128/32", " 3 ", "0.9000", "0.500..0.950", "1.250x", "12/2");
        assertThat(row).contains(String.format(java.util.Locale.ROOT, "%.3f", (4096 + 1000) / 1e6));
    }

    @Test
    void printsNothingWithoutABaselineRunToPairWith() {
        assertThat(print("nope", List.of(TestRecords.plain("store", 9, 3)))).isEmpty();
        assertThat(print("baseline", List.of(TestRecords.plain("baseline", 9, 1)))).isEmpty();
    }
}
