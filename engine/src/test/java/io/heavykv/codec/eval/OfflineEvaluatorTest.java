package io.heavykv.codec.eval;

import io.heavykv.codec.CodecId;
import io.heavykv.codec.FrameHeader;
import io.heavykv.kvcache.KvDType;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OfflineEvaluatorTest {
    // 70 tokens in blocks of 32: two full blocks and a partial one per stream.
    private final KvDump dump = SyntheticKv.generate(3, 2, 32, 70, KvDType.FP16, 3);
    private final OfflineEvaluator evaluator = new OfflineEvaluator();

    @Test
    void upperBoundCountsEveryBlockOfTheScopeAndBeatsEveryFixedCodec() {
        EvaluationReport report = evaluator.evaluate(dump, OfflineEvaluator.Options.defaults(OfflineEvaluator.Mode.UPPER_BOUND, 32));
        CodecStats overall = report.overall();
        assertThat(overall.blocks()).isEqualTo(3 * 2 * 3);
        assertThat(overall.rawBytes()).isEqualTo(3 * 2 * 70 * 64 * 2);
        assertThat(overall.wins().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(overall.blocks());
        assertThat(report.layers()).extracting(LayerReport::layer).containsExactly(0, 1, 2);
        assertThat(report.layers().stream().mapToLong(l -> l.stats().compressedBytes()).sum()).isEqualTo(overall.compressedBytes());
        assertThat(report.forcedRatios()).containsOnlyKeys(CodecId.all().stream().map(CodecId::toString).toList());
        report.forcedRatios().values().forEach(r -> assertThat(r).isLessThanOrEqualTo(overall.ratio()));
        // Stored frames are the raw bytes plus a header, so storing everything is slightly below 1.
        double stored = (double) overall.rawBytes() / (overall.rawBytes() + overall.blocks() * FrameHeader.BYTES);
        assertThat(report.forcedRatios().get("stored")).isCloseTo(stored, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(overall.ratio()).isGreaterThan(1.0);
    }

    @Test
    void theRatioCountsWholeFramesHeadersIncluded() {
        // Storing is the one codec whose frame size is known beforehand: the raw block plus the frame header.
        OfflineEvaluator.Options storing = new OfflineEvaluator.Options(OfflineEvaluator.Mode.ONLINE_SIM, 32, List.of(),
                List.of(CodecId.STORED), 3, 16, 0, 16, true);
        CodecStats overall = evaluator.evaluate(dump, storing).overall();
        assertThat(overall.compressedBytes()).isEqualTo(overall.rawBytes() + overall.blocks() * FrameHeader.BYTES);
        assertThat(overall.ratio()).isLessThan(1.0);
    }

    @Test
    void onlineSelectionCannotBeatHindsight() {
        OfflineEvaluator.Options online = OfflineEvaluator.Options.defaults(OfflineEvaluator.Mode.ONLINE_SIM, 32);
        EvaluationReport sim = evaluator.evaluate(dump, online);
        EvaluationReport best = evaluator.evaluate(dump, OfflineEvaluator.Options.defaults(OfflineEvaluator.Mode.UPPER_BOUND, 32));
        assertThat(sim.overall().compressedBytes()).isGreaterThanOrEqualTo(best.overall().compressedBytes());
        assertThat(sim.overall().rawBytes()).isEqualTo(best.overall().rawBytes());
        assertThat(sim.forcedRatios()).isEmpty();
    }

    @Test
    void dictionariesAreTrainedAndUsedWithoutBreakingRoundtrips() {
        KvDump longer = SyntheticKv.generate(1, 2, 32, 64 * 8, KvDType.FP16, 5);
        EvaluationReport report = evaluator.evaluate(longer,
                OfflineEvaluator.Options.defaults(OfflineEvaluator.Mode.ONLINE_SIM, 8).withDictionaries(1024, 16));
        assertThat(report.overall().blocks()).isEqualTo(2 * 64);
        assertThat(report.overall().wins().keySet()).anyMatch(k -> k.endsWith("+dict"));
    }

    @Test
    void scopesToTheRequestedLayers() {
        EvaluationReport report = evaluator.evaluate(dump,
                OfflineEvaluator.Options.defaults(OfflineEvaluator.Mode.ONLINE_SIM, 16).withLayers(List.of(2)));
        assertThat(report.layers()).extracting(LayerReport::layer).containsExactly(2);
        assertThat(report.overall().rawBytes()).isEqualTo(2 * 70 * 64 * 2);
        assertThatThrownBy(() -> evaluator.evaluate(dump,
                OfflineEvaluator.Options.defaults(OfflineEvaluator.Mode.ONLINE_SIM, 16).withLayers(List.of(3))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("layer 3");
    }
}
