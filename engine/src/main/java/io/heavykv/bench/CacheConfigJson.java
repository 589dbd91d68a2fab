package io.heavykv.bench;

import io.heavykv.eviction.FullConfig;
import io.heavykv.eviction.H2oConfig;
import io.heavykv.eviction.KvCacheConfig;
import io.heavykv.eviction.PolicyConfig;
import io.heavykv.eviction.StreamingConfig;
import io.heavykv.eviction.TargetMode;
import io.heavykv.kvcache.KvDType;
import io.heavykv.kvcache.PositionMode;
import io.heavykv.lossless.LosslessConfig;
import io.heavykv.lossless.LosslessMode;
import io.heavykv.lossless.LosslessScope;

import java.util.HashSet;
import java.util.Set;

/**
 * A cache configuration as a flat JSON object with snake_case keys, e.g.
 * <pre>{"name": "h2o_k033", "policy": "h2o", "target_keep_ratio": 0.33, "block_tokens": 4}</pre>
 * An optional {@code "lossless": {"mode": "full", "scope": "front_n_and_h2o_kept", "front_n": 2}} section sets the
 * lossless runtime. Policy keys apply to their policy only ({@code window} on an H2O config is an error, not a no-op); keys
 * left out take the {@link H2oConfig#defaults()} / {@link KvCacheConfig#defaults()} values.
 */
public final class CacheConfigJson {
    enum Policy { FULL, STREAMING, H2O }

    static final Set<String> COMMON = Set.of("name", "policy", "dtype", "page_tokens", "position_mode");
    static final Set<String> STREAMING = Set.of("sink", "window");
    static final Set<String> H2O = Set.of("block_tokens", "ema_alpha", "sink_tokens", "recent_tokens", "target_keep_ratio",
            "target_mode", "target_lossy_ratio", "layer_start", "layer_end", "update_interval", "trigger_min_tokens", "slack");
    /** The lossless runtime's section, an object with the keys below (the kv_lossless_* keys). */
    static final String LOSSLESS = "lossless";
    static final Set<String> LOSSLESS_KEYS = Set.of("mode", "scope", "front_n", "hot_sink_tokens", "hot_recent_tokens",
            "kept_sample_layers", "kept_sample_token_interval", "probe_every", "codec", "reprobe_interval", "zstd_level",
            "dictionary", "async_threads", "queue_capacity", "decode_cache_blocks", "global_decode_cache_blocks", "strict", "decode_budget");

    private static final int DEFAULT_SINK = 4;
    private static final int DEFAULT_WINDOW = 252;

    private CacheConfigJson() {
    }

    /** Parses one configuration; {@code fallbackName} names it when it has no "name" key. */
    public static BenchConfig parse(StrictJson json, String fallbackName) {
        String name = json.text("name", fallbackName);
        StrictJson named = new StrictJson(json.node(), json.where() + (json.has("name") ? " '" + name + "'" : ""));
        Policy policy = named.choice("policy", Policy.class, Policy.FULL);
        Set<String> allowed = new HashSet<>(COMMON);
        allowed.add(LOSSLESS);
        allowed.addAll(switch (policy) {
            case FULL -> Set.of();
            case STREAMING -> STREAMING;
            case H2O -> H2O;
        });
        for (String key : union(STREAMING, H2O)) {
            if (named.has(key) && !allowed.contains(key)) {
                throw new IllegalArgumentException(named.where() + ": key '" + key + "' does not apply to policy "
                        + policy.name().toLowerCase());
            }
        }
        named.requireKeys(allowed);
        KvCacheConfig defaults = KvCacheConfig.defaults();
        try {
            PolicyConfig chosen = switch (policy) {
                case FULL -> new FullConfig();
                case STREAMING -> new StreamingConfig(named.integer("sink", DEFAULT_SINK), named.integer("window", DEFAULT_WINDOW));
                case H2O -> h2o(named);
            };
            return new BenchConfig(name, new KvCacheConfig(
                    named.choice("dtype", KvDType.class, defaults.dtype()),
                    named.integer("page_tokens", defaults.pageTokens()),
                    named.choice("position_mode", PositionMode.class, defaults.positionMode()),
                    chosen,
                    named.has(LOSSLESS) ? lossless(named.object(LOSSLESS)) : LosslessConfig.off()));
        } catch (IllegalArgumentException e) {
            if (e.getMessage() != null && e.getMessage().startsWith(named.where())) throw e;
            throw new IllegalArgumentException(named.where() + ": " + e.getMessage(), e);
        }
    }

    private static H2oConfig h2o(StrictJson j) {
        H2oConfig d = H2oConfig.defaults();
        return new H2oConfig(
                j.integer("block_tokens", d.blockTokens()),
                j.number("ema_alpha", d.emaAlpha()),
                j.integer("sink_tokens", d.sinkTokens()),
                j.integer("recent_tokens", d.recentTokens()),
                j.number("target_keep_ratio", d.targetKeepRatio()),
                j.choice("target_mode", TargetMode.class, d.targetMode()),
                j.number("target_lossy_ratio", d.targetLossyRatio()),
                j.integer("layer_start", d.layerStart()),
                j.integer("layer_end", d.layerEnd()),
                j.integer("update_interval", d.updateInterval()),
                j.integer("trigger_min_tokens", d.triggerMinTokens()),
                j.integer("slack", d.slack()));
    }

    /** A lossless section; without "mode" it probes, the default runtime mode of cache configs. */
    private static LosslessConfig lossless(StrictJson j) {
        j.requireKeys(LOSSLESS_KEYS);
        LosslessConfig d = LosslessConfig.off();
        try {
            return new LosslessConfig(
                    LosslessMode.parse(j.text("mode", LosslessMode.PROBE.toString())),
                    LosslessScope.parse(j.text("scope", d.scope().toString())),
                    j.integer("front_n", d.frontN()),
                    j.integer("hot_sink_tokens", d.hotSinkTokens()),
                    j.integer("hot_recent_tokens", d.hotRecentTokens()),
                    j.integer("kept_sample_layers", d.keptSampleLayers()),
                    j.integer("kept_sample_token_interval", d.keptSampleTokenInterval()),
                    j.integer("probe_every", d.probeEvery()),
                    j.text("codec", d.codec()),
                    j.integer("reprobe_interval", d.reprobeInterval()),
                    j.integer("zstd_level", d.zstdLevel()),
                    j.bool("dictionary", d.dictionary()),
                    j.integer("async_threads", d.asyncThreads()),
                    j.integer("queue_capacity", d.queueCapacity()),
                    j.integer("decode_cache_blocks", d.decodeCacheBlocks()),
                    j.integer("global_decode_cache_blocks", d.globalDecodeCacheBlocks()),
                    j.bool("strict", d.strict()),
                    j.number("decode_budget", d.decodeBudget()));
        } catch (IllegalArgumentException e) {
            if (e.getMessage() != null && e.getMessage().startsWith(j.where())) throw e;
            throw new IllegalArgumentException(j.where() + ": " + e.getMessage(), e);
        }
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new HashSet<>(a);
        all.addAll(b);
        return all;
    }
}
