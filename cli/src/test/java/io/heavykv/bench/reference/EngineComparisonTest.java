package io.heavykv.bench.reference;

import io.heavykv.bench.RunRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;

import static io.heavykv.bench.TestRecords.failed;
import static io.heavykv.bench.TestRecords.speeds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

@Timeout(60)
class EngineComparisonTest {
    private static final String LLAMA = LlamaCppTool.CONFIG_ID;

    @Test
    void ratiosPairRunsOfTheSameRepeatAndTheMedianIsTheMiddleOne() {
        // Interleaved as the bench runs them, llama.cpp first in odd repeats. heavykv decode 10, 12, 9 against
        // llama.cpp 20, 10, 10: ratios 0.5, 1.2, 0.9; prefill 30, 30, 45 against 60, 20, 50: 0.5, 1.5, 0.9.
        List<RunRecord> records = List.of(
                speeds(LLAMA, "random:128", 1, 60, 20), speeds("full", "random:128", 1, 30, 10),
                speeds("full", "random:128", 2, 30, 12), speeds(LLAMA, "random:128", 2, 20, 10),
                speeds(LLAMA, "random:128", 3, 50, 10), speeds("full", "random:128", 3, 45, 9));
        List<EngineComparison> comparisons = EngineComparison.of(records);
        assertThat(comparisons).hasSize(1);
        EngineComparison c = comparisons.getFirst();
        assertThat(c.configId()).isEqualTo("full");
        assertThat(c.decode().ratios()).containsExactly(0.5, 1.2, 0.9);
        assertThat(c.decode().median()).isEqualTo(0.9);
        assertThat(c.decode().min()).isEqualTo(0.5);
        assertThat(c.decode().max()).isEqualTo(1.2);
        assertThat(c.prefill().median()).isCloseTo(0.9, within(1e-12));
        assertThat(c.prefill().max()).isCloseTo(1.5, within(1e-12));
        // Each engine's own median speed, not the ratio of medians.
        assertThat(c.heavykvTokS(false)).isEqualTo(10);
        assertThat(c.llamaCppTokS(false)).isEqualTo(10);
        assertThat(c.heavykvTokS(true)).isEqualTo(30);
        assertThat(c.llamaCppTokS(true)).isEqualTo(50);
    }

    @Test
    void anEvenNumberOfRatiosTakesTheMeanOfTheMiddleTwo() {
        List<RunRecord> records = List.of(
                speeds(LLAMA, "p", 1, 10, 10), speeds("full", "p", 1, 10, 4),
                speeds(LLAMA, "p", 2, 10, 10), speeds("full", "p", 2, 10, 8),
                speeds(LLAMA, "p", 3, 10, 10), speeds("full", "p", 3, 10, 6),
                speeds(LLAMA, "p", 4, 10, 10), speeds("full", "p", 4, 10, 20));
        assertThat(EngineComparison.of(records).getFirst().decode().median()).isCloseTo(0.7, within(1e-12));
    }

    @Test
    void settingsAndConfigurationsAreComparedApartAndUnpairedRunsGiveNoRatio() {
        RunRecord brokenReference = failed(LLAMA, "llama.cpp died");
        List<RunRecord> records = List.of(
                speeds(LLAMA, "random:128", 1, 100, 40), speeds("full", "random:128", 1, 50, 20), speeds("h2o", "random:128", 1, 50, 30),
                speeds(LLAMA, "random:512", 1, 80, 30), speeds("full", "random:512", 1, 40, 15), speeds("h2o", "random:512", 1, 40, 27),
                // Repeat 2 of random:128 has no passing llama.cpp run; repeat 2 of random:512 a failed heavykv run.
                brokenReference, speeds("full", "random:128", 2, 500, 500),
                speeds(LLAMA, "random:512", 2, 80, 30), failed("full", "out of memory"));
        List<EngineComparison> comparisons = EngineComparison.of(records);
        assertThat(comparisons).extracting(c -> c.configId() + "@" + c.promptId())
                .containsExactly("full@random:128", "h2o@random:128", "full@random:512", "h2o@random:512");
        assertThat(comparisons.get(0).decode().ratios()).containsExactly(0.5);
        assertThat(comparisons.get(1).decode().ratios()).containsExactly(0.75);
        assertThat(comparisons.get(2).decode().ratios()).containsExactly(0.5);
        assertThat(comparisons.get(3).decode().ratios()).containsExactly(0.9);
        assertThat(comparisons.get(0).heavykvTokS(false)).as("the unpaired 500 tok/s run is not counted").isEqualTo(20);
    }

    @Test
    void aFigureARunDidNotMeasureGivesNoRatioAndNoRatioGivesNaN() {
        List<RunRecord> records = List.of(speeds(LLAMA, "p", 1, 100, 0), speeds("full", "p", 1, 50, 20));
        EngineComparison c = EngineComparison.of(records).getFirst();
        assertThat(c.prefill().ratios()).containsExactly(0.5);
        assertThat(c.decode().ratios()).isEmpty();
        assertThat(c.decode().median()).isNaN();
        assertThat(c.decode().min()).isNaN();
    }
}
