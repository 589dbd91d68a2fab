package io.heavykv.lossless;

import io.heavykv.codec.eval.KvDumpHeader;
import io.heavykv.codec.eval.KvDumpWriter;
import io.heavykv.kvcache.KvGeometry;
import io.heavykv.kvcache.KvPage;
import io.heavykv.kvcache.PagedKvCache;
import io.heavykv.kvcache.PagedLayer;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Writes what a cache holds as a KV dump for the offline evaluator: per layer K and V of every cached
 * token, token-major, cut from the pages exactly as the runtime hands them to the codecs.
 */
public final class KvDumps {
    private KvDumps() { }

    /**
     * @throws IllegalArgumentException when layers hold different token counts (an evicting cache): a dump
     *         has one count for all layers
     * @throws IllegalStateException when a page is released (dump before enabling store mode)
     */
    public static KvDumpHeader write(PagedKvCache<?> cache, String model, Path file) throws IOException {
        KvGeometry g = cache.geometry();
        int tokens = cache.layer(0).length();
        for (int l = 1; l < cache.layers(); l++) {
            if (cache.layer(l).length() != tokens) {
                throw new IllegalArgumentException("layer " + l + " holds " + cache.layer(l).length() + " tokens, layer 0 "
                        + tokens + ": a KV dump needs the same tokens in every layer (run without eviction)");
            }
        }
        KvDumpHeader header = new KvDumpHeader(model, g.layers(), g.kvHeads(), g.headSize(), cache.storage().dtype(), tokens);
        PageLayout layout = new PageLayout(g.kvHeads(), g.headSize(), cache.storage().dtype().bytes());
        try (KvDumpWriter writer = new KvDumpWriter(file, header)) {
            for (int l = 0; l < g.layers(); l++) {
                PagedLayer layer = cache.layer(l);
                byte[] k = new byte[Math.toIntExact(header.streamBytes())];
                byte[] v = new byte[k.length];
                int offset = 0;
                for (int p = 0; p < layer.pageCount(); p++) {
                    KvPage page = layer.page(p);
                    int n = layout.streamBytes(page.count());
                    byte[] pk = new byte[n];
                    byte[] pv = new byte[n];
                    layout.split(page.rawBytes(), page.count(), pk, pv);
                    System.arraycopy(pk, 0, k, offset, n);
                    System.arraycopy(pv, 0, v, offset, n);
                    offset += n;
                }
                writer.writeLayer(k, v);
            }
        }
        return header;
    }
}
