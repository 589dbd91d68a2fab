package io.heavykv.kvcache;

/**
 * Where a page's K/V payload lives while the page is {@linkplain KvPage#release() released}: the second kind
 * of hook a {@link PagedKvCache} takes, beside the eviction {@link KvCacheHooks}, so eviction and lossless
 * storage compose on one cache. Every call comes from the thread running the forward pass, at points where no
 * attention kernel runs, so implementations need no locking on the cache side.
 *
 * <p>Order within a step: eviction's {@code beforeStep}, then {@link #beforeStep}; per layer the append, then
 * {@link #beforeRead}, then attention; at the end eviction's {@code afterStep}, then {@link #afterStep}.
 */
public interface PageStore extends AutoCloseable {

    /** No store: pages are never released. */
    PageStore NONE = new PageStore() {
        @Override
        public void beforeRead(int layer, PagedLayer pages) { }

        @Override
        public void restore(int layer, KvPage page) {
            throw new IllegalStateException("layer " + layer + " has a released page but the cache has no page store");
        }
    };

    /** At the start of a step, after eviction applied its plan. */
    default void beforeStep(PagedKvCache<?> cache) { }

    /**
     * Attention is about to read {@code layer}: when this returns, every page of it must be resident.
     * It is also the point where the layers read before it this step are done with.
     */
    void beforeRead(int layer, PagedLayer pages);

    /** Puts back the payload of a released page of {@code layer} that is about to be changed (compaction). */
    void restore(int layer, KvPage page);

    /** At the end of a step, after eviction planned. */
    default void afterStep(PagedKvCache<?> cache) { }

    /** A new prompt: forget all state. */
    default void reset() { }

    /** Releases threads and native memory; the cache closes its store. */
    @Override
    default void close() { }
}
