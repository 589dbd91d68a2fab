package io.heavykv.codec.eval;

import io.heavykv.kvcache.KvGeometry;
import io.heavykv.kvcache.KvPage;
import io.heavykv.kvcache.PagedKvCache;
import io.heavykv.kvcache.PagedLayer;

/**
 * What a live cache holds, as an in-memory {@link KvDump}: per layer the K and V of every cached token,
 * token-major ({@code [token][kvHead][element]}), transposed from the pages' head-major payload
 * ({@link KvPage#rawBytes()}). These are the bytes the cache really keeps (FP16 or FP32, keys rotated or
 * not as its position mode stores them), so ratios measured on the dump are ratios on real KV. The {@code kvdump}
 * command writes it to a file ({@link KvDumpWriter}) for the offline evaluator; tests measure it in memory.
 */
public final class KvCapture {
    private KvCapture() {}

    /**
     * @throws IllegalArgumentException when layers hold different token counts (an evicting cache): a dump
     *         has one token count for all layers
     * @throws IllegalStateException when a page is not resident
     */
    public static KvDump capture(PagedKvCache<?> cache, String model) {
        KvGeometry g = cache.geometry();
        int tokens = cache.layer(0).length();
        for (int l = 1; l < cache.layers(); l++) {
            if (cache.layer(l).length() != tokens) {
                throw new IllegalArgumentException("layer " + l + " holds " + cache.layer(l).length() + " tokens, layer 0 "
                        + tokens + ": a KV dump needs the same tokens in every layer (capture without eviction)");
            }
        }
        KvDumpHeader header = new KvDumpHeader(model, g.layers(), g.kvHeads(), g.headSize(), cache.storage().dtype(), tokens);
        int rowBytes = g.headSize() * header.dtype().bytes();
        java.util.List<byte[]> keys = new java.util.ArrayList<>();
        java.util.List<byte[]> values = new java.util.ArrayList<>();
        for (int l = 0; l < g.layers(); l++) {
            PagedLayer layer = cache.layer(l);
            byte[] k = new byte[Math.toIntExact(header.streamBytes())];
            byte[] v = new byte[k.length];
            int first = 0;
            for (int p = 0; p < layer.pageCount(); p++) {
                KvPage page = layer.page(p);
                byte[] raw = page.rawBytes();
                int n = page.count();
                int half = n * g.kvHeads() * rowBytes;
                for (int h = 0; h < g.kvHeads(); h++) {
                    for (int t = 0; t < n; t++) {
                        int headMajor = (h * n + t) * rowBytes;
                        int tokenMajor = ((first + t) * g.kvHeads() + h) * rowBytes;
                        System.arraycopy(raw, headMajor, k, tokenMajor, rowBytes);
                        System.arraycopy(raw, half + headMajor, v, tokenMajor, rowBytes);
                    }
                }
                first += n;
            }
            keys.add(k);
            values.add(v);
        }
        return new KvDump(header, keys, values);
    }
}
