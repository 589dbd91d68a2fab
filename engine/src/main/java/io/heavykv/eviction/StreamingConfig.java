package io.heavykv.eviction;

import io.heavykv.kvcache.KvGeometry;

/**
 * StreamingLLM: keep the first {@code sink} tokens (attention sinks) and the {@code window} most recent.
 * Best paired with cache-relative positions so the model never sees positions beyond the window.
 */
public record StreamingConfig(int sink, int window) implements PolicyConfig {

    public StreamingConfig {
        if (sink < 0) throw new IllegalArgumentException("streaming sink must not be negative, got " + sink);
        if (window < 1) throw new IllegalArgumentException("streaming window must be at least 1, got " + window);
    }

    @Override
    public EvictionPolicy create(KvGeometry geometry) { return new StreamingPolicy(this); }
}
