package io.heavykv.lossless;

import io.heavykv.kvcache.KvPage;

import java.util.Map;
import java.util.TreeMap;

/**
 * The runtime's running counts and times (since the last reset), and the one warning a fallback gives. Written
 * on the decode thread only; times in nanoseconds.
 */
final class Counters {
    private static final System.Logger LOG = System.getLogger(LosslessRuntime.class.getName());

    long pagesEncoded;
    long encodeNanos;
    long encodeMaxNanos;
    long decodeNanos;
    long decodeMaxNanos;
    long restores;
    long fallbacks;
    long decodeFailures;
    long staleFrames;
    long asyncWaitNanos;
    /** Wall time the forward pass spent inside the runtime's hooks: its direct cost on the decode critical path. */
    long criticalNanos;
    long skipped;
    final Map<String, Long> codecWins = new TreeMap<>();
    private boolean warned;

    void encoded(long encode, long verify) {
        pagesEncoded++;
        encodeNanos += encode;
        encodeMaxNanos = Math.max(encodeMaxNanos, encode);
        decoded(verify);
    }

    void decoded(long nanos) {
        decodeNanos += nanos;
        decodeMaxNanos = Math.max(decodeMaxNanos, nanos);
    }

    void won(PageFrames frames) {
        codecWins.merge(frames.kLabel(), 1L, Long::sum);
        codecWins.merge(frames.vLabel(), 1L, Long::sum);
    }

    /** The raw page is still there and is what gets served; the problem is counted and told once. */
    void fallback(LosslessMode mode, int layer, KvPage page, String reason) {
        fallbacks++;
        if (!warned) {
            warned = true;
            LOG.log(System.Logger.Level.WARNING, "lossless " + mode + ": layer " + layer + " " + describe(page)
                    + " served raw: " + reason + " (further fallbacks are only counted)");
        }
    }

    static String describe(KvPage page) {
        return page.count() == 0 ? "page (empty)"
                : "page of positions " + page.position(0) + ".." + page.position(page.count() - 1);
    }

    /** What the runtime holds at a step boundary besides these counts. */
    record Held(FrameTable.Totals frames, long decodeCacheBytes, long modelBytes, long pendingBytes, long cacheRawBytes,
                long residentBytes, int queuePeak, long decodeCacheHits, long decodeCacheMisses) { }

    LosslessStats stats(LosslessMode mode, double lossyRatio, Held held) {
        FrameTable.Totals f = held.frames();
        double lossless = f.storedBytes() == 0 ? 1.0 : (double) f.rawBytes() / f.storedBytes();
        long overhead = f.storedBytes() + held.decodeCacheBytes() + held.modelBytes() + held.pendingBytes();
        long keptHeld = held.cacheRawBytes() - f.releasedRawBytes() + overhead;
        double kept = held.cacheRawBytes() == 0 || keptHeld <= 0 ? 1.0 : (double) held.cacheRawBytes() / keptHeld;
        return new LosslessStats(mode.toString(), f.framed(), f.released(), f.rawBytes(), f.storedBytes(), lossless, lossyRatio,
                lossyRatio * lossless, pagesEncoded, encodeNanos / 1000, encodeMaxNanos / 1000, decodeNanos / 1000,
                decodeMaxNanos / 1000, restores, fallbacks, decodeFailures, staleFrames, held.queuePeak(),
                asyncWaitNanos / 1000, skipped, held.decodeCacheHits(), held.decodeCacheMisses(), codecWins, held.modelBytes(),
                overhead, criticalNanos / 1000, kept, held.residentBytes());
    }

    void reset() {
        codecWins.clear();
        pagesEncoded = encodeNanos = encodeMaxNanos = decodeNanos = decodeMaxNanos = 0;
        restores = fallbacks = decodeFailures = staleFrames = asyncWaitNanos = skipped = criticalNanos = 0;
        warned = false;
    }
}
