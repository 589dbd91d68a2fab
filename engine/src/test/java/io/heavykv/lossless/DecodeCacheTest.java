package io.heavykv.lossless;

import io.heavykv.kvcache.KvDType;
import io.heavykv.kvcache.KvPage;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DecodeCacheTest {

    /** A payload of a one-element FP16 page: 4 bytes (K and V). */
    private static KvPage.Payload payload() {
        return new KvPage(KvDType.FP16, 1, 1, 1).payloadOf(new byte[0]);
    }

    private static FrameKey key(int page) {
        return new FrameKey(page, page, 1, 1, page, page);
    }

    /** One decode step: every page of the layer read once, in order, misses decoded and offered to the cache. */
    private static void scan(DecodeCache cache, int firstPage, int pages) {
        cache.tick();
        for (int p = firstPage; p < firstPage + pages; p++) {
            if (cache.get(0, key(p)) == null) cache.put(0, key(p), payload());
        }
    }

    @Test
    void aCyclicScanLongerThanTheCapacityStillHitsAsManyPagesAsFit() {
        DecodeCache cache = new DecodeCache(1, 4, 0);
        for (int step = 0; step < 10; step++) scan(cache, 0, 10);
        // First scan: 10 misses; then the 4 pages kept hit every step (plain LRU would hit none).
        assertThat(cache.hits()).isEqualTo(9 * 4);
        assertThat(cache.misses()).isEqualTo(10 + 9 * 6);
        assertThat(cache.bytes()).isEqualTo(4 * 4);
    }

    @Test
    void pagesNoLongerReadMakeRoomForNewOnesAfterAStep() {
        DecodeCache cache = new DecodeCache(1, 4, 0);
        scan(cache, 0, 4);
        scan(cache, 0, 4);
        assertThat(cache.hits()).isEqualTo(4);
        // The layer's pages changed (eviction rewrote them): the old entries are still live for one step,
        // then replaced.
        scan(cache, 100, 4);
        scan(cache, 100, 4);
        scan(cache, 100, 4);
        assertThat(cache.hits()).isEqualTo(4 + 4);
    }

    @Test
    void theGlobalLevelServesOtherLayersAndACapacityOfZeroHoldsNothing() {
        DecodeCache cache = new DecodeCache(2, 0, 2);
        cache.tick();
        KvPage.Payload one = payload();
        cache.put(0, key(1), one);
        assertThat(cache.get(1, key(1))).isSameAs(one);
        assertThat(cache.get(1, key(2))).isNull();
        assertThat(cache.bytes()).as("one payload, shared by the global level and layer 1's").isEqualTo(4);
        assertThat(cache.hits()).isEqualTo(1);
        assertThat(cache.misses()).isEqualTo(1);
        DecodeCache none = new DecodeCache(1, 0, 0);
        none.put(0, key(1), payload());
        assertThat(none.get(0, key(1))).isNull();
        assertThat(none.bytes()).isZero();
    }
}
