package io.heavykv.kvcache;

/**
 * How a cache stores its tokens.
 *
 * @param dtype        element type of K and V
 * @param pageTokens   tokens per page; pages are the unit of compaction and of lossless compression
 * @param positionMode how keys carry their position
 * @param blockTokens  tokens per score block: a token's block id is its original position / blockTokens
 * @param perHeadKeep  whether each KV head keeps its own tokens (pages of one head each), rather than every head
 *                     the layer's tokens (pages holding all heads of a token)
 */
public record KvStorage(KvDType dtype, int pageTokens, PositionMode positionMode, int blockTokens, boolean perHeadKeep) {

    public static final int DEFAULT_PAGE_TOKENS = 32;
    /** A page above this would make one compaction move more than a few MB; no useful setting is that large. */
    public static final int MAX_PAGE_TOKENS = 1 << 16;

    public KvStorage {
        if (dtype == null) throw new IllegalArgumentException("dtype is missing");
        if (positionMode == null) throw new IllegalArgumentException("positionMode is missing");
        if (pageTokens < 1 || pageTokens > MAX_PAGE_TOKENS) {
            throw new IllegalArgumentException("pageTokens must be in [1, " + MAX_PAGE_TOKENS + "], got " + pageTokens);
        }
        if (blockTokens < 1) throw new IllegalArgumentException("blockTokens must be positive, got " + blockTokens);
    }

    /** Tokens kept per layer, every KV head alike. */
    public KvStorage(KvDType dtype, int pageTokens, PositionMode positionMode, int blockTokens) {
        this(dtype, pageTokens, positionMode, blockTokens, false);
    }
}
