package io.heavykv.codec.eval;

import java.util.List;
import java.util.Map;

/**
 * Result of one {@link OfflineEvaluator} run. {@code forcedRatios} (upper-bound mode only, else empty):
 * the ratio each codec alone would reach on every block of the scope, without dictionaries. {@code modelBytes}:
 * memory of what the codecs learned (dictionaries, context models and their trainers' rows and counts), which a
 * runtime holds on top of the frames; every snapshot counts, as nothing retires them here (a runtime drops
 * those no held frame names, so it holds less).
 */
public record EvaluationReport(OfflineEvaluator.Mode mode, String model, int blockTokens, int zstdLevel,
                               List<LayerReport> layers, CodecStats overall, Map<String, Double> forcedRatios, long modelBytes) {
    public EvaluationReport {
        layers = List.copyOf(layers);
        forcedRatios = Map.copyOf(forcedRatios);
    }
}
