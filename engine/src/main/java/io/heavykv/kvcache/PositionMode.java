package io.heavykv.kvcache;

/**
 * How keys carry position. {@code ABSOLUTE}: rotated once by the token's original position when stored.
 * {@code CACHE_RELATIVE}: stored unrotated and rotated by their slot at attention time, so the positions
 * attention sees never exceed the cache length (StreamingLLM's trick for running past the trained context).
 */
public enum PositionMode {
    ABSOLUTE,
    CACHE_RELATIVE
}
