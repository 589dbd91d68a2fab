package io.heavykv.cli;

import io.heavykv.lossless.LosslessConfig;
import io.heavykv.lossless.LosslessMode;
import io.heavykv.lossless.LosslessScope;
import picocli.CommandLine.Option;

/** The lossless KV runtime's knobs, one per {@code kv_lossless_*} key of a cache config; defaults from {@link LosslessConfig#off()}. */
final class LosslessOptions {
    private static final LosslessConfig DEFAULTS = LosslessConfig.off();

    @Option(names = "--kv-lossless", paramLabel = "MODE",
            description = "Lossless KV runtime: off, probe (sample pages, measure), full (compress all, keep raw), store (compress, drop raw, restore on read) (default: ${DEFAULT-VALUE}).")
    String mode = DEFAULTS.mode().toString();

    @Option(names = "--kv-lossless-scope", paramLabel = "SCOPE",
            description = "front_n, h2o_kept or front_n_and_h2o_kept (default: ${DEFAULT-VALUE}).")
    String scope = DEFAULTS.scope().toString();

    @Option(names = "--kv-lossless-front-n", paramLabel = "N", description = "Layers of the front_n scope (default: ${DEFAULT-VALUE}).")
    int frontN = DEFAULTS.frontN();

    @Option(names = "--kv-lossless-hot-sink-tokens", paramLabel = "N", description = "Leading cache slots never compressed (default: ${DEFAULT-VALUE}).")
    int hotSink = DEFAULTS.hotSinkTokens();

    @Option(names = "--kv-lossless-hot-recent-tokens", paramLabel = "N", description = "Trailing cache slots never compressed (default: ${DEFAULT-VALUE}).")
    int hotRecent = DEFAULTS.hotRecentTokens();

    @Option(names = "--kv-lossless-kept-sample-layers", paramLabel = "N", description = "Kept-range layers compressed, 0 = all (default: ${DEFAULT-VALUE}).")
    int keptSampleLayers = DEFAULTS.keptSampleLayers();

    @Option(names = "--kv-lossless-kept-sample-token-interval", paramLabel = "N", description = "Look at kept-range layers every N steps (default: ${DEFAULT-VALUE}).")
    int keptSampleInterval = DEFAULTS.keptSampleTokenInterval();

    @Option(names = "--kv-lossless-probe-every", paramLabel = "N", description = "Probe mode: compress one page in N (default: ${DEFAULT-VALUE}).")
    int probeEvery = DEFAULTS.probeEvery();

    @Option(names = "--kv-lossless-codec", paramLabel = "CODEC", description = "auto (smallest of all codecs), fast (all but context_model: fast restores, no per-stream models) or a fixed codec (stored, zstd, planes, planes_cm, delta_planes, delta_planes_cm, xor_planes, xor_planes_cm, dedup_planes, context_model) (default: ${DEFAULT-VALUE}).")
    String codec = DEFAULTS.codec();

    @Option(names = "--kv-lossless-reprobe", paramLabel = "N", description = "Auto codec: blocks between re-probes (default: ${DEFAULT-VALUE}).")
    int reprobe = DEFAULTS.reprobeInterval();

    @Option(names = "--kv-lossless-level", paramLabel = "N", description = "zstd level (default: ${DEFAULT-VALUE}).")
    int level = DEFAULTS.zstdLevel();

    @Option(names = "--kv-lossless-dict", negatable = true, description = "Train a zstd dictionary per layer stream: ~1.5%% smaller frames on deep layers, much more encode work (default: off).")
    boolean dictionary = DEFAULTS.dictionary();

    @Option(names = "--kv-lossless-threads", paramLabel = "N", description = "Encode workers; 0 = encode on the decode thread (default: ${DEFAULT-VALUE}).")
    int threads = DEFAULTS.asyncThreads();

    @Option(names = "--kv-lossless-queue", paramLabel = "N", description = "Encode queue capacity; when full, pages are skipped (default: ${DEFAULT-VALUE}).")
    int queue = DEFAULTS.queueCapacity();

    @Option(names = "--kv-lossless-decode-cache", paramLabel = "N", description = "Decompressed pages cached per layer (default: ${DEFAULT-VALUE}).")
    int decodeCache = DEFAULTS.decodeCacheBlocks();

    @Option(names = "--kv-lossless-global-decode-cache", paramLabel = "N", description = "Decompressed pages cached across layers (default: ${DEFAULT-VALUE}).")
    int globalDecodeCache = DEFAULTS.globalDecodeCacheBlocks();

    @Option(names = "--kv-lossless-strict", description = "Store mode: decode and compare every frame right before dropping the raw page.")
    boolean strict = DEFAULTS.strict();

    @Option(names = "--kv-lossless-decode-budget", paramLabel = "F", description = "Store mode: share of a step's time that restoring pages and encoding the ones to release may take, 0 = no bound; above it fewer pages are released (default: ${DEFAULT-VALUE}).")
    double decodeBudget = DEFAULTS.decodeBudget();

    LosslessConfig config() {
        return new LosslessConfig(LosslessMode.parse(mode), LosslessScope.parse(scope), frontN, hotSink, hotRecent,
                keptSampleLayers, keptSampleInterval, probeEvery, codec, reprobe, level, dictionary, threads, queue,
                decodeCache, globalDecodeCache, strict, decodeBudget);
    }
}
