package io.heavykv.eviction;

import io.heavykv.kvcache.KvGeometry;

/** Keep every token. */
public record FullConfig() implements PolicyConfig {
    @Override
    public EvictionPolicy create(KvGeometry geometry) { return new FullPolicy(); }
}
