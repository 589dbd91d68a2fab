package io.heavykv.bench;

import io.heavykv.runtime.KvCacheConfig;

/**
 * A named cache configuration to measure. The id names it in records, tables and gates (the same-batch
 * decode gate finds its baseline by id).
 */
public record BenchConfig(String id, KvCacheConfig cache) {
    public BenchConfig {
        if (id == null || id.isBlank()) throw new IllegalArgumentException("a configuration needs a non-empty name");
        if (cache == null) throw new IllegalArgumentException("configuration '" + id + "' has no KV cache settings");
    }
}
