package io.heavykv.bench.gate;

import io.heavykv.bench.RunRecord;
import io.heavykv.bench.StrictJson;

import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Gates as written in a preset, e.g. {@code {"min_lossy_ratio": 2.5, "max_decode_drop": 0.10, "baseline": "same_batch"}}.
 * {@code baseline} is same_batch (the preset's baseline configuration, best run against best run), paired (the
 * same configuration, median of the ratios of runs paired by repeat), fixed ({@code baseline_decode_tok_s})
 * or rolling (the caller's history file, {@code history_window} runs).
 */
public final class GateJson {
    enum Mode { SAME_BATCH, PAIRED, FIXED, ROLLING }

    private static final Set<String> KEYS = Set.of("all_runs_pass", "min_lossy_ratio", "min_lossless_ratio", "max_decode_drop",
            "baseline", "baseline_decode_tok_s", "history_window", "max_decomp_us", "max_queue_peak", "max_fallbacks",
            "max_async_wait_us", "require_cache_hit");
    public static final int DEFAULT_HISTORY_WINDOW = 5;

    private GateJson() {
    }

    /**
     * @param sameBatchId the baseline configuration's name, empty if there is none
     * @param history     the rolling history's records, asked for only in rolling mode
     */
    public static GateSpec parse(StrictJson json, String sameBatchId, Supplier<List<RunRecord>> history) {
        json.requireKeys(KEYS);
        GateSpec spec = GateSpec.none().withAllRunsPass(json.bool("all_runs_pass", true));
        try {
            if (json.has("min_lossy_ratio")) spec = spec.withMinLossyRatio(json.number("min_lossy_ratio", 0));
            if (json.has("min_lossless_ratio")) spec = spec.withMinLosslessRatio(json.number("min_lossless_ratio", 0));
            if (json.has("max_decomp_us")) spec = spec.withMaxDecompUs(json.number("max_decomp_us", 0));
            if (json.has("max_queue_peak")) spec = spec.withMaxQueuePeak(json.integer("max_queue_peak", 0));
            if (json.has("max_fallbacks")) spec = spec.withMaxFallbacks(json.integer("max_fallbacks", 0));
            if (json.has("max_async_wait_us")) spec = spec.withMaxAsyncWaitUs(json.number("max_async_wait_us", 0));
            spec = spec.withRequireCacheHit(json.bool("require_cache_hit", false));
            if (!json.has("max_decode_drop")) {
                // The baseline keys only say what max_decode_drop compares against: alone they would judge nothing.
                for (String key : List.of("baseline", "baseline_decode_tok_s", "history_window")) {
                    if (json.has(key)) throw new IllegalArgumentException("key '" + key + "' is given without 'max_decode_drop', which it is for");
                }
            }
            if (json.has("max_decode_drop")) {
                Mode mode = json.choice("baseline", Mode.class, Mode.SAME_BATCH);
                DecodeBaseline baseline = switch (mode) {
                    case SAME_BATCH, PAIRED -> {
                        if (sameBatchId.isEmpty()) {
                            throw new IllegalArgumentException("key 'baseline' is " + mode.name().toLowerCase(java.util.Locale.ROOT)
                                    + " but there is no baseline configuration");
                        }
                        yield mode == Mode.PAIRED ? new DecodeBaseline.Paired(sameBatchId) : new DecodeBaseline.SameBatch(sameBatchId);
                    }
                    case FIXED -> {
                        if (!json.has("baseline_decode_tok_s")) throw new IllegalArgumentException("key 'baseline' is fixed but 'baseline_decode_tok_s' is missing");
                        yield new DecodeBaseline.Fixed(json.number("baseline_decode_tok_s", 0));
                    }
                    case ROLLING -> new DecodeBaseline.Rolling(history.get(), json.integer("history_window", DEFAULT_HISTORY_WINDOW));
                };
                spec = spec.withMaxDecodeDrop(json.number("max_decode_drop", 0), baseline);
            }
        } catch (IllegalArgumentException e) {
            if (e.getMessage() != null && e.getMessage().startsWith(json.where())) throw e;
            throw new IllegalArgumentException(json.where() + ": " + e.getMessage(), e);
        }
        return spec;
    }
}
