package io.heavykv.eviction;

import io.heavykv.kvcache.KvGeometry;

/**
 * What a policy may read of the cache it plans for, and nothing it could change: the step (prefill or
 * decode), each layer's slots with their original positions and block ids, and the stored keys and values.
 * Attention weights reach a policy through {@link EvictionPolicy#observe}, one query head at a time.
 */
public interface CacheView {

    KvGeometry geometry();

    default int layers() { return geometry().layers(); }

    /** Tokens appended to each layer since the last reset, evicted or not. */
    int tokensSeen();

    /** Tokens of the running step (or of the step that just ended, at its end). */
    int stepTokens();

    /**
     * Whether that step feeds the prompt: more than one token at once, or the very first token. The cache is
     * not told where a prompt ends, so the last chunk of a chunked prompt counts as prefill only when it holds
     * more than one token.
     */
    boolean prefill();

    /** Slots a layer holds now: those of its KV head holding most, when heads keep their own tokens. */
    int length(int layer);

    /** Slots one KV head of a layer holds now: {@link #length(int)} unless heads keep their own tokens. */
    int length(int layer, int kvHead);

    /** Fills {@code dst[0, length)} with each slot's original position, in slot order (tokens kept per layer). */
    void positions(int layer, int[] dst);

    /** Fills {@code dst[0, length)} with each slot's block id (original position / block tokens; tokens kept per layer). */
    void blockIds(int layer, int[] dst);

    /** As {@link #positions(int, int[])}, for the slots of one KV head. */
    void positions(int layer, int kvHead, int[] dst);

    /** As {@link #blockIds(int, int[])}, for the slots of one KV head. */
    void blockIds(int layer, int kvHead, int[] dst);

    /**
     * Fills {@code dst[slot * headSize ..]} with the key of one KV head for every slot of that head, as stored: rotated by
     * its original position in the absolute mode, unrotated in the others. Pages held as compressed frames are
     * brought back first, which costs a decode; policies that need keys should read them sparingly.
     */
    void keys(int layer, int kvHead, float[] dst);

    /** As {@link #keys}, for the values. */
    void values(int layer, int kvHead, float[] dst);
}
