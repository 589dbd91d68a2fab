package io.heavykv.lossless;

import io.heavykv.codec.CorruptFrameException;
import io.heavykv.kvcache.KvPage;
import io.heavykv.kvcache.PagedLayer;
import io.heavykv.tensor.Parallel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Supplier;

/**
 * Brings released pages back before a read or a change (from the decode cache, else by decoding their frames,
 * a layer's misses spread over the compute threads), checks frames against the raw pages full mode keeps, and
 * checks a frame before store mode drops a page in strict mode. A frame that does not decode is never served
 * as KV: with the raw page gone the step fails; with it there, the raw page is served and the frames dropped.
 */
final class Restorer implements AutoCloseable {
    private final LosslessMode mode;
    private final FrameTable table;
    private final Counters counters;
    private final Supplier<PageCodec> codecs;
    private final PageCodec decoder;
    private final DecodeCache decodeCache;
    /** Decoders the compute threads borrow for parallel restores; all of them are closed with the restorer. */
    private final Queue<PageCodec> spareDecoders = new ConcurrentLinkedQueue<>();
    private final List<PageCodec> allDecoders = new ArrayList<>();
    private final List<Miss> misses = new ArrayList<>();

    /** @param decoder the decode thread's codec (not closed here) */
    Restorer(LosslessConfig config, int layers, FrameTable table, Counters counters, Supplier<PageCodec> codecs, PageCodec decoder) {
        this.mode = config.mode();
        this.table = table;
        this.counters = counters;
        this.codecs = codecs;
        this.decoder = decoder;
        this.decodeCache = new DecodeCache(layers, config.decodeCacheBlocks(), config.globalDecodeCacheBlocks());
    }

    DecodeCache decodeCache() { return decodeCache; }

    /** A framed page the decode cache did not hold, at its index in the layer. */
    private record Miss(int index, KvPage page, FrameTable.Entry entry) { }

    /** What decoding one page's frames gave: the payload, or the reason it failed; and how long it took. */
    record Decoded(byte[] raw, CorruptFrameException failure, long nanos) { }

    /** Makes every page of a layer resident; full mode also decodes the framed pages it keeps raw, and checks them. */
    void restoreLayer(int layer, PagedLayer pages) {
        misses.clear();
        for (int p = 0; p < pages.pageCount(); p++) {
            KvPage page = pages.page(p);
            if (!page.resident()) {
                FrameTable.Entry entry = framesFor(layer, p, page);
                if (!restoreCached(layer, page, entry)) misses.add(new Miss(p, page, entry));
            } else if (mode == LosslessMode.FULL) {
                FrameTable.Entry entry = table.get(layer, page);
                if (entry != null && entry.valid(page) && decodeCache.get(layer, entry.frames.key()) == null) {
                    misses.add(new Miss(p, page, entry));
                }
            }
        }
        if (misses.isEmpty()) return;
        Decoded[] decoded = decodeAll(misses);
        for (int i = 0; i < decoded.length; i++) {
            Miss miss = misses.get(i);
            if (miss.page().resident()) serve(layer, miss.page(), miss.entry(), decoded[i]);
            else bringBack(layer, miss.index(), miss.page(), miss.entry(), decoded[i]);
        }
    }

    /** Puts back one released page about to be changed. */
    void restore(int layer, KvPage page) {
        FrameTable.Entry entry = framesFor(layer, -1, page);
        if (!restoreCached(layer, page, entry)) bringBack(layer, -1, page, entry, decode(decoder, entry.frames));
    }

    /** The payload of a page, decoded from its frames when it is released. */
    byte[] payload(int layer, int index, KvPage page) {
        if (page.resident()) return page.rawBytes();
        Decoded decoded = decode(decoder, framesFor(layer, index, page).frames);
        if (decoded.failure() != null) {
            throw new LosslessDecodeException(layer, index, Counters.describe(page) + ": frame does not decode", decoded.failure());
        }
        return decoded.raw();
    }

    /** Restores a released page from the decode cache; false when the cache holds no payload of its frames. */
    private boolean restoreCached(int layer, KvPage page, FrameTable.Entry entry) {
        KvPage.Payload payload = decodeCache.get(layer, entry.frames.key());
        if (payload == null) return false;
        page.share(payload);
        counters.restores++;
        return true;
    }

    /** The entry of a released page; a released page without frames of its version cannot come back. */
    private FrameTable.Entry framesFor(int layer, int index, KvPage page) {
        FrameTable.Entry entry = table.get(layer, page);
        if (entry == null || !entry.valid(page)) {
            counters.decodeFailures++;
            throw new LosslessDecodeException(layer, index, Counters.describe(page) + " was released without frames of its version", null);
        }
        return entry;
    }

    /**
     * Decodes the frames of every miss, spread over the compute threads: the restores of a layer lie on the
     * decode critical path, between two kernels that keep every core busy, so they should use every core too.
     * Each chunk borrows a codec of its own (codec contexts are single-threaded).
     */
    private Decoded[] decodeAll(List<Miss> work) {
        Decoded[] out = new Decoded[work.size()];
        Parallel.forRange(0, out.length, 1, (from, to) -> {
            PageCodec codec = borrowDecoder();
            try {
                for (int i = from; i < to; i++) out[i] = decode(codec, work.get(i).entry().frames);
            } finally {
                spareDecoders.add(codec);
            }
        });
        return out;
    }

    private PageCodec borrowDecoder() {
        PageCodec codec = spareDecoders.poll();
        if (codec != null) return codec;
        codec = codecs.get();
        synchronized (allDecoders) {
            allDecoders.add(codec);
        }
        return codec;
    }

    private static Decoded decode(PageCodec codec, PageFrames frames) {
        long start = System.nanoTime();
        try {
            return new Decoded(codec.decode(frames), null, System.nanoTime() - start);
        } catch (CorruptFrameException e) {
            return new Decoded(null, e, System.nanoTime() - start);
        } catch (RuntimeException e) {
            // Damage the frame checks missed can still trip a decoder some other way: the block is as
            // undecodable, and must take the same path (never served as KV).
            return new Decoded(null, new CorruptFrameException("decoder failed: " + e, e), System.nanoTime() - start);
        }
    }

    /** Restores a released page from its decoded frames; the raw payload is gone, so failure ends the step. */
    private void bringBack(int layer, int index, KvPage page, FrameTable.Entry entry, Decoded decoded) {
        counters.decoded(decoded.nanos());
        if (decoded.failure() != null) {
            counters.decodeFailures++;
            throw new LosslessDecodeException(layer, index, Counters.describe(page) + ": frame does not decode: "
                    + decoded.failure().getMessage(), decoded.failure());
        }
        KvPage.Payload payload = page.payloadOf(decoded.raw());
        decodeCache.put(layer, entry.frames.key(), payload);
        page.share(payload);
        counters.restores++;
    }

    /** Full mode: checks frames decoded the way store mode would against the raw page it keeps. */
    private void serve(int layer, KvPage page, FrameTable.Entry entry, Decoded decoded) {
        if (matches(layer, page, entry, decoded, "")) decodeCache.put(layer, entry.frames.key(), page.payloadOf(decoded.raw()));
    }

    /** Strict store mode: whether a page's frames decode to exactly its bytes, checked right before it is released. */
    boolean verified(int layer, KvPage page, FrameTable.Entry entry) {
        return matches(layer, page, entry, decode(decoder, entry.frames), "strict check: ");
    }

    /** Whether frames decoded to the raw page's bytes; if not, the frames are dropped and the raw page served. */
    private boolean matches(int layer, KvPage page, FrameTable.Entry entry, Decoded decoded, String check) {
        counters.decoded(decoded.nanos());
        if (decoded.failure() != null) {
            counters.fallback(mode, layer, page, check + "frame does not decode: " + decoded.failure().getMessage());
        } else if (Arrays.equals(decoded.raw(), page.rawBytes())) {
            return true;
        } else {
            counters.fallback(mode, layer, page, check + "frames decode to other bytes than the page holds");
        }
        entry.frames = null;
        return false;
    }

    @Override
    public void close() {
        synchronized (allDecoders) {
            allDecoders.forEach(PageCodec::close);
            allDecoders.clear();
        }
        spareDecoders.clear();
    }
}
