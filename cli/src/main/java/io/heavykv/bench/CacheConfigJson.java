package io.heavykv.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.heavykv.eviction.PolicyConfig;
import io.heavykv.kvcache.KvDType;
import io.heavykv.kvcache.PositionMode;
import io.heavykv.lossless.LosslessConfig;
import io.heavykv.lossless.LosslessMode;
import io.heavykv.lossless.LosslessScope;
import io.heavykv.runtime.KvCacheConfig;

import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * A cache configuration as a flat JSON object with snake_case keys, e.g.
 * <pre>{"name": "h2o_k033", "policy": "h2o", "target_keep_ratio": 0.33, "block_tokens": 4}</pre>
 * An optional {@code "lossless": {"mode": "full", "scope": "front_n_and_h2o_kept", "front_n": 2}} section sets the
 * lossless runtime. Every key besides the storage keys and that section is a setting of the policy, bound by
 * {@link PolicyJson} ({@code window} on an H2O config is an error, not a no-op); keys left out take the policy's
 * registered defaults and {@link KvCacheConfig#defaults()}.
 */
public final class CacheConfigJson {
    static final Set<String> STORAGE = Set.of("name", "dtype", "page_tokens", "position_mode");
    /** The lossless runtime's section, an object with the keys below (the kv_lossless_* keys). */
    static final String LOSSLESS = "lossless";
    static final Set<String> LOSSLESS_KEYS = Set.of("mode", "scope", "front_n", "hot_sink_tokens", "hot_recent_tokens",
            "kept_sample_layers", "kept_sample_token_interval", "probe_every", "codec", "reprobe_interval", "zstd_level",
            "dictionary", "async_threads", "queue_capacity", "decode_cache_blocks", "global_decode_cache_blocks", "strict", "decode_budget");

    private CacheConfigJson() {
    }

    /** Parses one configuration; {@code fallbackName} names it when it has no "name" key. */
    public static BenchConfig parse(StrictJson json, String fallbackName) {
        String name = json.text("name", fallbackName);
        StrictJson named = new StrictJson(json.node(), json.where() + (json.has("name") ? " '" + name + "'" : ""));
        ObjectNode policy = BenchJson.MAPPER.createObjectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = named.node().fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!STORAGE.contains(e.getKey()) && !e.getKey().equals(LOSSLESS)) policy.set(e.getKey(), e.getValue());
        }
        PolicyConfig chosen = PolicyJson.bind(policy, named.where());
        KvCacheConfig defaults = KvCacheConfig.defaults();
        try {
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
}
