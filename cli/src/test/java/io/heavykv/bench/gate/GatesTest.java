package io.heavykv.bench.gate;

import com.fasterxml.jackson.databind.JsonNode;
import io.heavykv.bench.BenchJson;
import io.heavykv.bench.RunRecord;
import io.heavykv.bench.StrictJson;
import io.heavykv.bench.TestRecords;
import io.heavykv.bench.gate.GateResult.Status;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GatesTest {
    @TempDir
    Path dir;

    private static GateResult only(GateVerdict verdict, String gate) {
        List<GateResult> found = verdict.results().stream().filter(r -> r.gate().equals(gate)).toList();
        assertThat(found).hasSize(1);
        return found.get(0);
    }

    @Test
    void noGatesPassTrivially() {
        GateVerdict v = Gates.evaluate(GateSpec.none(), List.of(TestRecords.failed("x", "boom")));
        assertThat(v.results()).isEmpty();
        assertThat(v.passed()).isTrue();
        assertThat(GateSpec.none().enabled()).isFalse();
    }

    @Test
    void lossyGateTakesTheBestCandidate() {
        List<RunRecord> runs = List.of(TestRecords.plain("a", 100, 2.5), TestRecords.plain("b", 100, 3.2));
        GateResult pass = only(Gates.evaluate(GateSpec.none().withMinLossyRatio(3.0), runs), "min_lossy_ratio");
        assertThat(pass.status()).isEqualTo(Status.PASS);
        assertThat(pass.figure()).isEqualTo(3.2);
        GateResult fail = only(Gates.evaluate(GateSpec.none().withMinLossyRatio(3.5), runs), "min_lossy_ratio");
        assertThat(fail.status()).isEqualTo(Status.FAIL);
        assertThat(fail.threshold()).isEqualTo(3.5);
    }

    @Test
    void fixedBaselineJudgesEachSetting() {
        GateSpec spec = GateSpec.none().withMaxDecodeDrop(0.05, new DecodeBaseline.Fixed(100));
        assertThat(Gates.evaluate(spec, List.of(TestRecords.plain("a", 96, 1))).passed()).isTrue();
        GateVerdict fail = Gates.evaluate(spec, List.of(TestRecords.plain("a", 94, 1), TestRecords.plain("a", 90, 1)));
        assertThat(fail.passed()).isFalse();
        assertThat(only(fail, "max_decode_drop").figure()).isCloseTo(0.06, org.assertj.core.data.Offset.offset(1e-12));
    }

    @Test
    void sameBatchBaselineComparesWithTheBaselineConfigOnTheSameSetting() {
        GateSpec spec = GateSpec.none().withMaxDecodeDrop(0.10, new DecodeBaseline.SameBatch("baseline"));
        List<RunRecord> runs = List.of(
                TestRecords.plain("cpu", "baseline", "text:128", 100, 1),
                TestRecords.plain("cpu", "baseline", "text:512", 50, 1),
                TestRecords.plain("cpu", "h2o", "text:128", 95, 3),
                TestRecords.plain("cpu", "h2o", "text:512", 40, 3));
        GateVerdict v = Gates.evaluate(spec, runs);
        assertThat(v.results()).extracting(GateResult::subject).containsExactly("h2o @ text:128/32", "h2o @ text:512/32");
        assertThat(v.results()).extracting(GateResult::status).containsExactly(Status.PASS, Status.FAIL);
        assertThat(v.results().get(1).figure()).isCloseTo(0.2, org.assertj.core.data.Offset.offset(1e-12));

        GateVerdict missing = Gates.evaluate(GateSpec.none().withMaxDecodeDrop(0.1, new DecodeBaseline.SameBatch("nope")), runs);
        assertThat(missing.passed()).isFalse();
        assertThat(missing.results().get(0).detail()).contains("no passing run of baseline 'nope'");
    }

    /** Baseline and candidate runs interleaved over repeats 1..n, with these decode speeds. */
    private static List<RunRecord> interleaved(double[] baseline, double[] candidate) {
        List<RunRecord> runs = new java.util.ArrayList<>();
        for (int i = 0; i < baseline.length; i++) {
            runs.add(TestRecords.inRepeat(TestRecords.plain("baseline", baseline[i], 1), i + 1));
            runs.add(TestRecords.inRepeat(TestRecords.plain("store", candidate[i], 3), i + 1));
        }
        return runs;
    }

    @Test
    void pairedBaselineJudgesTheMedianRatioSoOneDisturbedRepeatDoesNotDecide() {
        GateSpec spec = GateSpec.none().withMaxDecodeDrop(0.05, new DecodeBaseline.Paired("baseline"));
        // Repeat 2 ran while other work slowed the machine: both sides slow, the ratio holds. Repeat 3: a burst
        // hit only the candidate. Best-against-best compares 110 with repeat 4's lucky 120.
        List<RunRecord> noisy = interleaved(new double[]{100, 60, 100, 120, 100}, new double[]{97, 58, 40, 110, 96});
        GateResult pass = only(Gates.evaluate(spec, noisy), "max_decode_drop");
        assertThat(pass.status()).isEqualTo(Status.PASS);
        assertThat(pass.subject()).isEqualTo("store @ text:128/32");
        assertThat(pass.figure()).isCloseTo(1 - 0.96, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(Gates.evaluate(GateSpec.none().withMaxDecodeDrop(0.05, new DecodeBaseline.SameBatch("baseline")), noisy).passed())
                .isFalse();

        // Truly 7% slower in every repeat, whatever the load: fails.
        List<RunRecord> slower = interleaved(new double[]{100, 60, 100, 120, 100}, new double[]{93, 55.8, 93, 111.6, 93});
        GateResult fail = only(Gates.evaluate(spec, slower), "max_decode_drop");
        assertThat(fail.status()).isEqualTo(Status.FAIL);
        assertThat(fail.figure()).isCloseTo(0.07, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(fail.detail()).contains("median of 5 paired ratios");
    }

    @Test
    void pairedBaselineNeedsABaselineRunInTheSameRepeat() {
        List<RunRecord> runs = List.of(TestRecords.inRepeat(TestRecords.plain("baseline", 100, 1), 1),
                TestRecords.inRepeat(TestRecords.plain("store", 100, 3), 2));
        GateResult r = only(Gates.evaluate(GateSpec.none().withMaxDecodeDrop(0.05, new DecodeBaseline.Paired("baseline")), runs),
                "max_decode_drop");
        assertThat(r.status()).isEqualTo(Status.FAIL);
        assertThat(r.detail()).contains("no passing run of baseline 'baseline' in the same repeat");
    }

    @Test
    void rollingBaselineUsesOnlyHistoryOfTheSameMachineAndSetting() throws IOException {
        Path history = dir.resolve("history.jsonl");
        RunHistory.append(history, List.of(
                TestRecords.plain("cpu A x2", "h2o", "text:128", 100, 3),
                TestRecords.plain("cpu A x2", "h2o", "text:128", 104, 3),
                TestRecords.plain("cpu A x2", "h2o", "text:128", 102, 3),
                TestRecords.plain("cpu B x8", "h2o", "text:128", 400, 3),
                TestRecords.plain("cpu A x2", "full", "text:128", 300, 1),
                TestRecords.failed("h2o", "boom")));
        List<RunRecord> past = RunHistory.load(history);
        assertThat(past).hasSize(5);
        GateSpec spec = GateSpec.none().withMaxDecodeDrop(0.05, new DecodeBaseline.Rolling(past, 5));

        GateResult ok = only(Gates.evaluate(spec, List.of(TestRecords.plain("cpu A x2", "h2o", "text:128", 99, 3))), "max_decode_drop");
        assertThat(ok.status()).isEqualTo(Status.PASS);
        assertThat(ok.detail()).contains("rolling median of 3", "102.000");

        GateResult slow = only(Gates.evaluate(spec, List.of(TestRecords.plain("cpu A x2", "h2o", "text:128", 90, 3))), "max_decode_drop");
        assertThat(slow.status()).isEqualTo(Status.FAIL);

        GateSpec lastTwo = GateSpec.none().withMaxDecodeDrop(0.05, new DecodeBaseline.Rolling(past, 2));
        assertThat(only(Gates.evaluate(lastTwo, List.of(TestRecords.plain("cpu A x2", "h2o", "text:128", 99, 3))), "max_decode_drop")
                .detail()).contains("103.000");

        GateResult unseen = only(Gates.evaluate(spec, List.of(TestRecords.plain("cpu C x4", "h2o", "text:128", 1, 3))), "max_decode_drop");
        assertThat(unseen.status()).isEqualTo(Status.SKIPPED);
        assertThat(Gates.evaluate(spec, List.of(TestRecords.plain("cpu C x4", "h2o", "text:128", 1, 3))).passed()).isTrue();
    }

    @Test
    void failedRunsFailTheRunsGateAndAreNotJudgedOtherwise() {
        List<RunRecord> runs = List.of(TestRecords.plain("a", 100, 3.5), TestRecords.failed("b", "context overflow"));
        GateVerdict v = Gates.evaluate(GateSpec.none().withAllRunsPass(true).withMinLossyRatio(3), runs);
        assertThat(only(v, "all_runs_pass").status()).isEqualTo(Status.FAIL);
        assertThat(only(v, "all_runs_pass").detail()).contains("b/text:128: context overflow");
        assertThat(only(v, "min_lossy_ratio").status()).isEqualTo(Status.PASS);
        assertThat(v.passed()).isFalse();
    }

    @Test
    void losslessGatesNeedLosslessFiguresAndJudgeBestRatioAndWorstBudgets() {
        RunRecord plain = TestRecords.plain("h2o", 100, 3);
        assertThat(only(Gates.evaluate(GateSpec.none().withMinLosslessRatio(1.3), List.of(plain)), "min_lossless_ratio").detail())
                .contains("measured lossless");
        List<RunRecord> runs = List.of(
                TestRecords.withLossless(TestRecords.plain("a", 100, 3), 1.25, 500, 2, 0, 0),
                TestRecords.withLossless(TestRecords.plain("b", 100, 3), 1.40, 900, 9, 1, 5));
        GateSpec spec = GateSpec.none().withMinLosslessRatio(1.3).withMaxDecompUs(800).withMaxQueuePeak(8).withMaxFallbacks(0)
                .withMaxAsyncWaitUs(10).withRequireCacheHit(true);
        GateVerdict v = Gates.evaluate(spec, runs);
        assertThat(only(v, "min_lossless_ratio").status()).isEqualTo(Status.PASS);
        assertThat(only(v, "max_decomp_us").figure()).isEqualTo(900);
        assertThat(only(v, "max_decomp_us").status()).isEqualTo(Status.FAIL);
        assertThat(only(v, "max_queue_peak").status()).isEqualTo(Status.FAIL);
        assertThat(only(v, "max_fallbacks").status()).isEqualTo(Status.FAIL);
        assertThat(only(v, "max_async_wait_us").status()).isEqualTo(Status.PASS);
        assertThat(only(v, "require_cache_hit").status()).isEqualTo(Status.PASS);
        assertThat(only(Gates.evaluate(GateSpec.none().withRequireCacheHit(true), runs.subList(0, 1)), "require_cache_hit").status())
                .isEqualTo(Status.FAIL);
    }

    @Test
    void gatesParseFromPresetJsonStrictly() throws IOException {
        JsonNode json = BenchJson.MAPPER.readTree("{\"min_lossy_ratio\": 3.0, \"max_decode_drop\": 0.05, \"baseline\": \"same_batch\"}");
        GateSpec spec = GateJson.parse(new StrictJson(json, "gates"), "baseline", List::of);
        assertThat(spec.minLossyRatio()).hasValue(3.0);
        assertThat(spec.decodeBaseline()).isEqualTo(new DecodeBaseline.SameBatch("baseline"));
        assertThat(spec.allRunsPass()).isTrue();

        JsonNode paired = BenchJson.MAPPER.readTree("{\"max_decode_drop\": 0.05, \"baseline\": \"paired\"}");
        assertThat(GateJson.parse(new StrictJson(paired, "gates"), "baseline", List::of).decodeBaseline())
                .isEqualTo(new DecodeBaseline.Paired("baseline"));
        JsonNode fixed = BenchJson.MAPPER.readTree("{\"max_decode_drop\": 0.05, \"baseline\": \"fixed\", \"baseline_decode_tok_s\": 6.6}");
        assertThat(GateJson.parse(new StrictJson(fixed, "gates"), "", List::of).decodeBaseline()).isEqualTo(new DecodeBaseline.Fixed(6.6));

        JsonNode typo = BenchJson.MAPPER.readTree("{\"min_lossy\": 3.0}");
        assertThatThrownBy(() -> GateJson.parse(new StrictJson(typo, "gates"), "", List::of)).hasMessageContaining("unknown key 'min_lossy'");
        JsonNode noBaseline = BenchJson.MAPPER.readTree("{\"max_decode_drop\": 0.05}");
        assertThatThrownBy(() -> GateJson.parse(new StrictJson(noBaseline, "gates"), "", List::of)).hasMessageContaining("no baseline configuration");
        JsonNode negative = BenchJson.MAPPER.readTree("{\"max_decode_drop\": -0.5, \"baseline\": \"fixed\", \"baseline_decode_tok_s\": 1}");
        assertThatThrownBy(() -> GateJson.parse(new StrictJson(negative, "gates"), "", List::of)).hasMessageContaining("max_decode_drop");
    }
}
