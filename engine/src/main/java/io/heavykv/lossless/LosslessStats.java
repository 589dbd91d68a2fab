package io.heavykv.lossless;

import java.util.Map;

/**
 * The lossless figures of a run, as of the last step boundary. Bytes and ratios describe the pages that
 * hold a valid frame right now (frames of evicted or changed pages no longer count).
 *
 * @param mode                  the runtime mode
 * @param framedPages           pages holding a valid frame (K and V frames together)
 * @param releasedPages         of those, pages whose raw payload is dropped right now (store mode)
 * @param rawBytes              raw K/V bytes of the framed pages
 * @param storedBytes           bytes of their frames, headers included
 * @param losslessRatio         rawBytes / storedBytes (1 when nothing is framed)
 * @param lossyRatio            the eviction's tokens seen / tokens kept
 * @param totalRatio            lossy x lossless
 * @param pagesEncoded          pages encoded since the last reset (re-encodes after changes included)
 * @param encodeMicros          worker time spent encoding (and verifying), total
 * @param encodeMaxMicros       longest single page encode
 * @param decodeMicros          time spent decoding frames (restores, verification), total
 * @param decodeMaxMicros       longest single page decode
 * @param restores              released pages put back before a read or a compaction
 * @param fallbacks             frames that failed to decode while the raw page was still there (served raw)
 * @param decodeFailures        frames that failed to decode with the raw page gone (the step failed)
 * @param staleFrames           finished frames discarded because their page changed or went meanwhile
 * @param queuePeak             most encode tasks waiting or running at once
 * @param asyncWaitMicros       time the decode thread waited on the encode pipeline
 * @param skippedBackpressure   pages not compressed because the queue was full
 * @param decodeCacheHits       restores served from a decode cache (per-layer or global)
 * @param decodeCacheMisses     restores that had to decode
 * @param codecWins             frames per codec (K and V counted apart), "+dict" when a dictionary was used
 * @param modelBytes            memory of what the codecs learned and frames may need to decode: zstd dictionaries,
 *                              context models (those a held frame or a stream still uses) and their trainers; it
 *                              comes on top of the stored bytes
 * @param overheadBytes         every byte the runtime holds beside the cache's resident pages: every valid frame
 *                              (store mode keeps them instead of released pages, full mode beside all pages), the
 *                              decode caches' payloads, the model bytes and the page copies queued for encoding
 * @param hookMicros            wall time the forward pass spent in the runtime's hooks (installing frames,
 *                              restoring and releasing pages, queueing encodes): its direct cost per run
 * @param keptRatio             the whole cache's raw K/V bytes (held tokens) over what holding them takes: the
 *                              resident pages' raw bytes plus {@code overheadBytes}. The lossless ratio on all kept
 *                              KV, hot zones, pages still waiting for frames, models and decode caches included
 * @param residentBytes         the cache's resident pages as allocated (whole page capacity); with
 *                              {@code overheadBytes}, what the cache holds ({@link #heldBytes}), to set against
 *                              the resident bytes of the same cache without lossless compression
 */
public record LosslessStats(
        String mode,
        long framedPages,
        long releasedPages,
        long rawBytes,
        long storedBytes,
        double losslessRatio,
        double lossyRatio,
        double totalRatio,
        long pagesEncoded,
        long encodeMicros,
        long encodeMaxMicros,
        long decodeMicros,
        long decodeMaxMicros,
        long restores,
        long fallbacks,
        long decodeFailures,
        long staleFrames,
        int queuePeak,
        long asyncWaitMicros,
        long skippedBackpressure,
        long decodeCacheHits,
        long decodeCacheMisses,
        Map<String, Long> codecWins,
        long modelBytes,
        long overheadBytes,
        long hookMicros,
        double keptRatio,
        long residentBytes) {

    public LosslessStats {
        codecWins = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(codecWins));
    }

    /** The figures of a run without lossless compression. */
    public static LosslessStats off(double lossyRatio) {
        return new LosslessStats(LosslessMode.OFF.toString(), 0, 0, 0, 0, 1.0, lossyRatio, lossyRatio, 0, 0, 0, 0, 0, 0,
                0, 0, 0, 0, 0, 0, 0, 0, Map.of(), 0, 0, 0, 1.0, 0);
    }

    /** Bytes the cache and the runtime hold together: resident pages plus everything beside them. */
    public long heldBytes() { return residentBytes + overheadBytes; }

    public double rawMegabytes() { return rawBytes / 1e6; }

    public double storedMegabytes() { return storedBytes / 1e6; }
}
