package io.heavykv.eviction;

import io.heavykv.kvcache.KvGeometry;
import io.heavykv.kvcache.KvPage;
import io.heavykv.kvcache.PagedKvCache;
import io.heavykv.kvcache.PagedLayer;

/** {@link CacheView} of a {@link PagedKvCache}: every read goes to the cache as it is at the call. */
final class PagedCacheView implements CacheView {
    private final PagedKvCache<?> cache;

    PagedCacheView(PagedKvCache<?> cache) { this.cache = cache; }

    boolean viewing(PagedKvCache<?> other) { return cache == other; }

    @Override
    public KvGeometry geometry() { return cache.geometry(); }

    @Override
    public int tokensSeen() { return cache.tokensSeen(); }

    @Override
    public int stepTokens() { return cache.stepTokens(); }

    @Override
    public boolean prefill() { return cache.stepTokens() > 1 || cache.stepPosition() == 0; }

    @Override
    public int length(int layer) { return cache.layer(layer).length(); }

    @Override
    public void positions(int layer, int[] dst) { cache.layer(layer).positions(dst); }

    @Override
    public void blockIds(int layer, int[] dst) { cache.layer(layer).blockIds(dst); }

    @Override
    public void keys(int layer, int kvHead, float[] dst) { read(layer, kvHead, dst, true); }

    @Override
    public void values(int layer, int kvHead, float[] dst) { read(layer, kvHead, dst, false); }

    private void read(int layer, int kvHead, float[] dst, boolean keys) {
        PagedLayer kv = cache.layer(layer);
        int headSize = cache.geometry().headSize();
        float[] rows = new float[cache.storage().pageTokens() * headSize];
        int slot = 0;
        for (int p = 0; p < kv.pageCount(); p++) {
            KvPage page = kv.page(p);
            if (!page.resident()) cache.store().restore(layer, page);
            if (keys) page.readKeys(kvHead, page.count(), rows);
            else page.readValues(kvHead, page.count(), rows);
            System.arraycopy(rows, 0, dst, slot * headSize, page.count() * headSize);
            slot += page.count();
        }
    }
}
