package io.heavykv.lossless;

import io.heavykv.codec.Dictionaries;
import io.heavykv.codec.GroupCounts;
import io.heavykv.codec.StreamCoder;
import io.heavykv.kvcache.KvGeometry;
import io.heavykv.kvcache.KvPage;
import io.heavykv.kvcache.KvStorage;
import io.heavykv.kvcache.PagedKvCache;
import io.heavykv.kvcache.PagedLayer;

import java.util.Arrays;

/**
 * The lossless figures of the cache as it stands, made deterministic. The online figures
 * ({@link LosslessRuntime#stats}) depend on when the async encoder caught up with the decode thread: which pages
 * hold frames at the end, what each stream learned before them, and even where page boundaries lie (released
 * pages are not merged after eviction). So identical runs differ. These take each in-scope layer's tokens outside
 * the hot zones, cut into whole page-sized blocks from the first one, and encode them afresh in order with
 * streams that start empty: they depend only on the KV, which is bit-identical run to run, and are what gates
 * judge. Costs one encode of those tokens.
 */
final class Settler {
    private final LosslessConfig config;
    private final KvGeometry geometry;
    private final KvStorage storage;
    private final Eligibility eligibility;
    private final Restorer restorer;

    Settler(LosslessConfig config, KvGeometry geometry, KvStorage storage, Eligibility eligibility, Restorer restorer) {
        this.config = config;
        this.geometry = geometry;
        this.storage = storage;
        this.eligibility = eligibility;
        this.restorer = restorer;
    }

    LosslessRuntime.Settled settle(PagedKvCache<?> cache) {
        Dictionaries fresh = new Dictionaries();
        StreamCoder[][] freshStreams = config.streamCoders(geometry.layers(), fresh, eligibility::keepsRows,
                new GroupCounts[] {new GroupCounts(), new GroupCounts()});
        int block = storage.pageTokens();
        PageLayout layout = new PageLayout(geometry.kvHeads(), geometry.headSize(), storage.dtype().bytes());
        long raw = 0;
        long stored = 0;
        try (PageCodec encoder = new PageCodec(storage.dtype(), geometry.kvHeads(), geometry.headSize(), freshStreams,
                config.zstdLevel(), fresh)) {
            for (int l = 0; l < cache.layers(); l++) {
                if (!eligibility.inScope(l)) continue;
                PagedLayer pages = cache.layer(l);
                byte[][] streams = tokenMajor(l, pages, layout);
                int end = pages.length() - config.hotRecentTokens();
                for (int from = config.hotSinkTokens(); from + block <= end; from += block) {
                    if (!eligibility.probedBlock(from, block)) continue;
                    int offset = layout.streamBytes(from);
                    int bytes = layout.streamBytes(block);
                    byte[] page = new byte[2 * bytes];
                    layout.join(Arrays.copyOfRange(streams[0], offset, offset + bytes),
                            Arrays.copyOfRange(streams[1], offset, offset + bytes), block, page);
                    PageFrames frames = encoder.encode(l, page, block, null, 0);
                    raw += frames.rawBytes();
                    stored += frames.storedBytes();
                }
            }
        } finally {
            fresh.closeAll();
        }
        return new LosslessRuntime.Settled(raw, stored);
    }

    /** A layer's K and V as token-major streams over all its slots (released pages decoded). */
    private byte[][] tokenMajor(int layer, PagedLayer pages, PageLayout layout) {
        byte[] k = new byte[layout.streamBytes(pages.length())];
        byte[] v = new byte[k.length];
        int offset = 0;
        for (int p = 0; p < pages.pageCount(); p++) {
            KvPage page = pages.page(p);
            byte[] payload = restorer.payload(layer, p, page);
            int n = layout.streamBytes(page.count());
            byte[] pk = new byte[n];
            byte[] pv = new byte[n];
            layout.split(payload, page.count(), pk, pv);
            System.arraycopy(pk, 0, k, offset, n);
            System.arraycopy(pv, 0, v, offset, n);
            offset += n;
        }
        return new byte[][] {k, v};
    }
}
