package io.heavykv.eviction;

import io.heavykv.kvcache.KvGeometry;
import io.heavykv.kvcache.PagedKvCache;

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
    public int length(int layer, int kvHead) { return cache.layer(layer).length(kvHead); }

    @Override
    public void positions(int layer, int[] dst) { cache.layer(layer).positions(dst); }

    @Override
    public void blockIds(int layer, int[] dst) { cache.layer(layer).blockIds(dst); }

    @Override
    public void positions(int layer, int kvHead, int[] dst) { cache.layer(layer).positions(kvHead, dst); }

    @Override
    public void blockIds(int layer, int kvHead, int[] dst) { cache.layer(layer).blockIds(kvHead, dst); }

    @Override
    public void keys(int layer, int kvHead, float[] dst) { cache.layer(layer).readRows(kvHead, true, dst); }

    @Override
    public void values(int layer, int kvHead, float[] dst) { cache.layer(layer).readRows(kvHead, false, dst); }
}
