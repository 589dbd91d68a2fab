package io.heavykv.lossless;

import io.heavykv.codec.CodecContext;
import io.heavykv.codec.CodecId;
import io.heavykv.codec.Dictionaries;
import io.heavykv.codec.GroupCounts;
import io.heavykv.codec.StreamCoder;

import java.util.List;
import java.util.Objects;
import java.util.function.IntPredicate;

/**
 * Everything the lossless KV runtime does; each field is one {@code kv_lossless_*} key of a cache config.
 * Part of the cache set-up ({@code KvCacheConfig}), so one record describes a run.
 *
 * @param mode                     off, probe, full or store
 * @param scope                    which layers: the first {@code frontN}, the evicting layers' kept pages, or both
 * @param frontN                   layers counted from the first for the front scope
 * @param hotSinkTokens            leading cache slots never compressed (a page must lie wholly after them)
 * @param hotRecentTokens          trailing cache slots never compressed (a page must lie wholly before them)
 * @param keptSampleLayers         kept-range layers (beyond the front ones) compressed at all; 0 = every one
 * @param keptSampleTokenInterval  kept-range layers are looked at every this many steps
 * @param probeEvery               probe mode compresses one page in this many (by the page's first position)
 * @param codec                    "auto" (best codec per stream, re-probed), "fast" (the same over every codec but
 *                                 the context model, whose decode is ~4x slower and whose per-stream models cost
 *                                 memory of their own) or a fixed {@link CodecId} name
 * @param reprobeInterval          blocks between auto's re-probes of every codec
 * @param zstdLevel                zstd level of the entropy stage
 * @param dictionary               train a zstd dictionary per layer stream from its first blocks; off by default:
 *                                 training takes zstd's optimising trainer tens of milliseconds per stream on the
 *                                 encode workers (TinyLlama dims: ~10x the encoding itself, which on two cores
 *                                 the forward pass feels), for about 1.5% on the deep layers of real KV
 * @param asyncThreads             encode workers; 0 encodes on the decode thread at the step boundary
 * @param queueCapacity            encode tasks waiting at most; more are skipped and counted
 * @param decodeCacheBlocks        decompressed pages kept per layer
 * @param globalDecodeCacheBlocks  decompressed pages kept across layers
 * @param strict                   store mode decodes and compares every frame with the page right before
 *                                 dropping the raw payload (the worker always verifies after encoding)
 * @param decodeBudget             store mode: the share of a step's time that restoring pages and encoding the
 *                                 ones to release may take (0: no bound); above it, fewer pages are released, so
 *                                 the speed cost stays bounded as the context grows and the memory saved shrinks
 *                                 instead
 */
public record LosslessConfig(
        LosslessMode mode,
        LosslessScope scope,
        int frontN,
        int hotSinkTokens,
        int hotRecentTokens,
        int keptSampleLayers,
        int keptSampleTokenInterval,
        int probeEvery,
        String codec,
        int reprobeInterval,
        int zstdLevel,
        boolean dictionary,
        int asyncThreads,
        int queueCapacity,
        int decodeCacheBlocks,
        int globalDecodeCacheBlocks,
        boolean strict,
        double decodeBudget) {

    /** A stream's zstd dictionary, when {@code dictionary} asks for one: its size and the blocks it learns from. */
    static final int DICTIONARY_BYTES = 4096;
    static final int DICTIONARY_TRAIN_BLOCKS = 16;

    public static final String AUTO = "auto";
    public static final String FAST = "fast";
    public static final int MAX_TOKENS = 1 << 24;
    public static final int MAX_LAYERS = 4096;
    public static final int MAX_THREADS = 64;
    public static final int MAX_QUEUE = 1 << 16;
    public static final int MAX_CACHE_BLOCKS = 1 << 20;
    public static final int MIN_ZSTD_LEVEL = -7;
    public static final int MAX_ZSTD_LEVEL = 22;

    public LosslessConfig {
        Objects.requireNonNull(mode, "lossless mode is missing");
        Objects.requireNonNull(scope, "lossless scope is missing");
        Objects.requireNonNull(codec, "lossless codec is missing");
        range("front_n", frontN, 0, MAX_LAYERS);
        range("hot_sink_tokens", hotSinkTokens, 0, MAX_TOKENS);
        range("hot_recent_tokens", hotRecentTokens, 0, MAX_TOKENS);
        range("kept_sample_layers", keptSampleLayers, 0, MAX_LAYERS);
        range("kept_sample_token_interval", keptSampleTokenInterval, 1, MAX_TOKENS);
        range("probe_every", probeEvery, 1, MAX_TOKENS);
        range("reprobe_interval", reprobeInterval, 1, MAX_TOKENS);
        range("zstd_level", zstdLevel, MIN_ZSTD_LEVEL, MAX_ZSTD_LEVEL);
        range("async_threads", asyncThreads, 0, MAX_THREADS);
        range("queue_capacity", queueCapacity, 1, MAX_QUEUE);
        range("decode_cache_blocks", decodeCacheBlocks, 0, MAX_CACHE_BLOCKS);
        range("global_decode_cache_blocks", globalDecodeCacheBlocks, 0, MAX_CACHE_BLOCKS);
        if (!(decodeBudget >= 0 && decodeBudget < 1)) {
            throw new IllegalArgumentException("lossless decode_budget must be in [0, 1), got " + decodeBudget);
        }
        if (!codec.equalsIgnoreCase(AUTO) && !codec.equalsIgnoreCase(FAST)) {
            try {
                CodecId.parse(codec);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("lossless codec '" + codec + "' is neither auto, fast nor a codec: " + e.getMessage(), e);
            }
        }
        codec = codec.toLowerCase(java.util.Locale.ROOT);
    }

    /** Off; the other knobs hold the defaults a mode switch starts from. */
    public static LosslessConfig off() {
        return new LosslessConfig(LosslessMode.OFF, LosslessScope.FRONT_N_AND_H2O_KEPT, 2, 32, 64, 0, 1, 4, AUTO, 16,
                CodecContext.DEFAULT_LEVEL, false, 1, 64, 4, 8, false, 0);
    }

    public boolean enabled() { return mode != LosslessMode.OFF; }

    /** The codecs the runtime may choose from. */
    public List<CodecId> candidates() {
        return switch (codec) {
            case AUTO -> CodecId.all();
            case FAST -> CodecId.all().stream().filter(c -> c != CodecId.CONTEXT_MODEL).toList();
            default -> List.of(CodecId.parse(codec));
        };
    }

    /** The coder of one stream as this config sets it up; {@code keepRows} and {@code groupCounts}: see {@link StreamCoder}. */
    StreamCoder streamCoder(Dictionaries dictionaries, boolean keepRows, GroupCounts groupCounts) {
        return new StreamCoder(candidates(), reprobeInterval, zstdLevel, dictionary ? DICTIONARY_BYTES : 0,
                DICTIONARY_TRAIN_BLOCKS, keepRows, groupCounts, dictionaries);
    }

    /**
     * The coders of every layer's K and V streams ([layer][0 = K, 1 = V]), the K streams pooling their field
     * counts in {@code counts[0]} and the V streams in {@code counts[1]}: keys and values differ in kind, layers
     * hardly (see {@link GroupCounts}).
     */
    StreamCoder[][] streamCoders(int layers, Dictionaries dictionaries, IntPredicate keepsRows, GroupCounts[] counts) {
        StreamCoder[][] streams = new StreamCoder[layers][2];
        for (int l = 0; l < layers; l++) {
            for (int s = 0; s < 2; s++) streams[l][s] = streamCoder(dictionaries, keepsRows.test(l), counts[s]);
        }
        return streams;
    }

    /** @throws IllegalArgumentException when the config asks for layers the model does not have */
    public void requireFits(int layers) {
        if (frontN > layers) {
            throw new IllegalArgumentException("lossless front_n " + frontN + " exceeds the model's " + layers + " layers");
        }
        if (keptSampleLayers > layers) {
            throw new IllegalArgumentException("lossless kept_sample_layers " + keptSampleLayers + " exceeds the model's "
                    + layers + " layers");
        }
    }

    public LosslessConfig withMode(LosslessMode m) {
        return new LosslessConfig(m, scope, frontN, hotSinkTokens, hotRecentTokens, keptSampleLayers, keptSampleTokenInterval,
                probeEvery, codec, reprobeInterval, zstdLevel, dictionary, asyncThreads, queueCapacity, decodeCacheBlocks,
                globalDecodeCacheBlocks, strict, decodeBudget);
    }

    public LosslessConfig withScope(LosslessScope s, int n) {
        return new LosslessConfig(mode, s, n, hotSinkTokens, hotRecentTokens, keptSampleLayers, keptSampleTokenInterval,
                probeEvery, codec, reprobeInterval, zstdLevel, dictionary, asyncThreads, queueCapacity, decodeCacheBlocks,
                globalDecodeCacheBlocks, strict, decodeBudget);
    }

    public LosslessConfig withHotZones(int sink, int recent) {
        return new LosslessConfig(mode, scope, frontN, sink, recent, keptSampleLayers, keptSampleTokenInterval,
                probeEvery, codec, reprobeInterval, zstdLevel, dictionary, asyncThreads, queueCapacity, decodeCacheBlocks,
                globalDecodeCacheBlocks, strict, decodeBudget);
    }

    public LosslessConfig withAsync(int threads, int queue) {
        return new LosslessConfig(mode, scope, frontN, hotSinkTokens, hotRecentTokens, keptSampleLayers, keptSampleTokenInterval,
                probeEvery, codec, reprobeInterval, zstdLevel, dictionary, threads, queue, decodeCacheBlocks,
                globalDecodeCacheBlocks, strict, decodeBudget);
    }

    public LosslessConfig withDecodeCache(int perLayer, int global) {
        return new LosslessConfig(mode, scope, frontN, hotSinkTokens, hotRecentTokens, keptSampleLayers, keptSampleTokenInterval,
                probeEvery, codec, reprobeInterval, zstdLevel, dictionary, asyncThreads, queueCapacity, perLayer, global, strict, decodeBudget);
    }

    public LosslessConfig withCodec(String c, int level, boolean dict) {
        return new LosslessConfig(mode, scope, frontN, hotSinkTokens, hotRecentTokens, keptSampleLayers, keptSampleTokenInterval,
                probeEvery, c, reprobeInterval, level, dict, asyncThreads, queueCapacity, decodeCacheBlocks,
                globalDecodeCacheBlocks, strict, decodeBudget);
    }

    public LosslessConfig withStrict(boolean s) {
        return new LosslessConfig(mode, scope, frontN, hotSinkTokens, hotRecentTokens, keptSampleLayers, keptSampleTokenInterval,
                probeEvery, codec, reprobeInterval, zstdLevel, dictionary, asyncThreads, queueCapacity, decodeCacheBlocks,
                globalDecodeCacheBlocks, s, decodeBudget);
    }

    public LosslessConfig withKeptSampling(int layers, int tokenInterval) {
        return new LosslessConfig(mode, scope, frontN, hotSinkTokens, hotRecentTokens, layers, tokenInterval,
                probeEvery, codec, reprobeInterval, zstdLevel, dictionary, asyncThreads, queueCapacity, decodeCacheBlocks,
                globalDecodeCacheBlocks, strict, decodeBudget);
    }

    public LosslessConfig withDecodeBudget(double budget) {
        return new LosslessConfig(mode, scope, frontN, hotSinkTokens, hotRecentTokens, keptSampleLayers, keptSampleTokenInterval,
                probeEvery, codec, reprobeInterval, zstdLevel, dictionary, asyncThreads, queueCapacity, decodeCacheBlocks,
                globalDecodeCacheBlocks, strict, budget);
    }

    private static void range(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException("lossless " + name + " must be in [" + min + ", " + max + "], got " + value);
        }
    }
}
