package io.heavykv.kvcache;

/**
 * How keys carry position.
 * <ul>
 * <li>{@code ABSOLUTE}: rotated once by the token's original position when stored.</li>
 * <li>{@code CACHE_RELATIVE}: stored unrotated and rotated by their slot at attention time, so the positions
 * attention sees never exceed the cache length (StreamingLLM's trick for running past the trained context).</li>
 * <li>{@code ABSOLUTE_PRE_ROPE}: stored unrotated and rotated by their original position at attention time.
 * Attention means what it means under {@code ABSOLUTE}; only the rounding differs, since the cache stores
 * (and may round to FP16) the key before rotation. Unrotated keys compress better losslessly: a token's
 * first-layer key is a function of the token alone, so repeated tokens repeat their rows.</li>
 * </ul>
 */
public enum PositionMode {
    ABSOLUTE,
    CACHE_RELATIVE,
    ABSOLUTE_PRE_ROPE;

    /** Whether keys are rotated when stored, rather than at every read. */
    public boolean rotatesOnStore() { return this == ABSOLUTE; }

    /** Whether attention positions are cache slots rather than the tokens' original positions. */
    public boolean slotPositions() { return this == CACHE_RELATIVE; }
}
