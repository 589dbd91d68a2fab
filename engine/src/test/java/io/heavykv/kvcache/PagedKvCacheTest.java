package io.heavykv.kvcache;

import io.heavykv.model.Rope;
import io.heavykv.model.RopeConfig;
import io.heavykv.model.RopeStyle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class PagedKvCacheTest {
    private static final KvGeometry GEOMETRY = new KvGeometry(2, 4, 2, 8, 10000f);
    private static final int KV_DIM = GEOMETRY.kvDim();

    /** Deterministic synthetic K/V: token at position p of layer l. */
    private static float[] token(int layer, int position, boolean value) {
        Random random = new Random(31L * position + 7L * layer + (value ? 1 : 0));
        float[] x = new float[KV_DIM];
        for (int i = 0; i < KV_DIM; i++) x[i] = (float) random.nextGaussian();
        return x;
    }

    private static void appendStep(KvCache cache, int position, int tokens) {
        cache.beginStep(position, tokens);
        for (int l = 0; l < cache.layers(); l++) {
            float[] k = new float[tokens * KV_DIM];
            float[] v = new float[tokens * KV_DIM];
            for (int t = 0; t < tokens; t++) {
                System.arraycopy(token(l, position + t, false), 0, k, t * KV_DIM, KV_DIM);
                System.arraycopy(token(l, position + t, true), 0, v, t * KV_DIM, KV_DIM);
            }
            cache.append(l, k, v);
        }
        cache.endStep();
    }

    private static float stored(KvDType dtype, float x) {
        return dtype == KvDType.FP16 ? Float.float16ToFloat(Float.floatToFloat16(x)) : x;
    }

    /** Key of slot {@code slot}, head {@code kvHead}, read through keyScores with unit queries. */
    private static float[] readKey(LayerKv layer, int kvHead, int slot) {
        int hs = GEOMETRY.headSize();
        float[] key = new float[hs];
        float[] scores = new float[layer.length(kvHead)];
        for (int i = 0; i < hs; i++) {
            float[] q = new float[hs];
            q[i] = 1f;
            layer.keyScores(kvHead, q, 0, scores, 0, layer.length(kvHead));
            key[i] = scores[slot];
        }
        return key;
    }

    private static float[] readValue(LayerKv layer, int kvHead, int slot) {
        float[] weights = new float[layer.length()];
        weights[slot] = 1f;
        float[] out = new float[GEOMETRY.headSize()];
        layer.accumulateValues(kvHead, weights, 0, layer.length(), out, 0);
        return out;
    }

    private static float[] expectedKey(KvDType dtype, int layer, int position, int kvHead, int rotateTo, boolean rotateFirst) {
        int hs = GEOMETRY.headSize();
        float[] k = token(layer, position, false);
        Rope rope = new Rope(hs, GEOMETRY.rope());
        float[] head = Arrays.copyOfRange(k, kvHead * hs, (kvHead + 1) * hs);
        if (rotateFirst) {
            rope.rotate(head, 0, 1, rotateTo);
            for (int i = 0; i < hs; i++) head[i] = stored(dtype, head[i]);
        } else {
            for (int i = 0; i < hs; i++) head[i] = stored(dtype, head[i]);
            rope.rotate(head, 0, 1, rotateTo);
        }
        return head;
    }

    private static PagedKvCache<KvCacheHooks> cache(KvDType dtype, PositionMode mode, int pageTokens) {
        return PagedKvCache.full(GEOMETRY, new KvStorage(dtype, pageTokens, mode, 4));
    }

    @ParameterizedTest
    @EnumSource(KvDType.class)
    void absoluteKeysAndValuesRoundTripAcrossPages(KvDType dtype) {
        var cache = cache(dtype, PositionMode.ABSOLUTE, 4);
        appendStep(cache, 0, 7);
        appendStep(cache, 7, 1);
        appendStep(cache, 8, 3);
        for (int l = 0; l < 2; l++) {
            PagedLayer layer = cache.layer(l);
            assertThat(layer.length()).isEqualTo(11);
            assertThat(layer.pageCount()).isEqualTo(3);
            for (int slot = 0; slot < 11; slot++) {
                for (int h = 0; h < 2; h++) {
                    assertThat(readKey(layer, h, slot)).containsExactly(expectedKey(dtype, l, slot, h, slot, true));
                    float[] v = token(l, slot, true);
                    float[] expected = new float[8];
                    for (int i = 0; i < 8; i++) expected[i] = stored(dtype, v[h * 8 + i]);
                    assertThat(readValue(layer, h, slot)).containsExactly(expected);
                }
                assertThat(layer.position(slot)).isEqualTo(slot);
                assertThat(layer.blockId(slot)).isEqualTo(slot / 4);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(KvDType.class)
    void relativeKeysAreRotatedToTheirSlotAfterCompaction(KvDType dtype) {
        var cache = cache(dtype, PositionMode.CACHE_RELATIVE, 4);
        appendStep(cache, 0, 10);
        // Keep positions 0-1 and 6-9: position 6 now sits in slot 2.
        cache.layer(0).retain(new int[] {0, 6}, new int[] {2, 10}, 2);
        PagedLayer layer = cache.layer(0);
        assertThat(layer.length()).isEqualTo(6);
        int[] positions = {0, 1, 6, 7, 8, 9};
        for (int slot = 0; slot < 6; slot++) {
            assertThat(layer.position(slot)).isEqualTo(positions[slot]);
            for (int h = 0; h < 2; h++) {
                assertThat(readKey(layer, h, slot))
                        .containsExactly(expectedKey(dtype, 0, positions[slot], h, slot, false));
            }
        }
        // Layer 1 was not compacted: slot == position, and relative keys match absolute rotation by the slot.
        assertThat(readKey(cache.layer(1), 1, 9)).containsExactly(expectedKey(dtype, 1, 9, 1, 9, false));
    }

    @ParameterizedTest
    @EnumSource(KvDType.class)
    void preRopeKeysAreRotatedToTheirOriginalPositionAfterCompaction(KvDType dtype) {
        var cache = cache(dtype, PositionMode.ABSOLUTE_PRE_ROPE, 4);
        appendStep(cache, 0, 10);
        cache.layer(0).retain(new int[] {0, 6}, new int[] {2, 10}, 2);
        appendStep(cache, 10, 3);
        PagedLayer layer = cache.layer(0);
        int[] positions = {0, 1, 6, 7, 8, 9, 10, 11, 12};
        assertThat(layer.length()).isEqualTo(positions.length);
        for (int slot = 0; slot < positions.length; slot++) {
            assertThat(layer.position(slot)).isEqualTo(positions[slot]);
            for (int h = 0; h < 2; h++) {
                // Stored (rounded) unrotated, rotated on read: the rounding happens before the rotation.
                assertThat(readKey(layer, h, slot))
                        .containsExactly(expectedKey(dtype, 0, positions[slot], h, positions[slot], false));
            }
        }
    }

    @Test
    void queryPositionFollowsTheMode() {
        var absolute = cache(KvDType.FP32, PositionMode.ABSOLUTE, 4);
        var relative = cache(KvDType.FP32, PositionMode.CACHE_RELATIVE, 4);
        var preRope = cache(KvDType.FP32, PositionMode.ABSOLUTE_PRE_ROPE, 4);
        for (var c : java.util.List.of(absolute, relative, preRope)) {
            appendStep(c, 0, 10);
            c.layer(0).retain(new int[] {0, 7}, new int[] {2, 10}, 2);
            c.beginStep(10, 2);
        }
        assertThat(preRope.queryPosition(0, 1)).isEqualTo(11);
        assertThat(absolute.queryPosition(0, 1)).isEqualTo(11);
        assertThat(relative.queryPosition(0, 0)).isEqualTo(5);
        assertThat(relative.queryPosition(0, 1)).isEqualTo(6);
        assertThat(relative.queryPosition(1, 1)).isEqualTo(11);
    }

    @Test
    void causalCountReadsOnlyTheVisiblePrefix() {
        var cache = cache(KvDType.FP32, PositionMode.ABSOLUTE, 4);
        appendStep(cache, 0, 9);
        float[] q = new float[8];
        Arrays.fill(q, 1f);
        float[] scores = new float[9];
        Arrays.fill(scores, Float.NaN);
        cache.layer(0).keyScores(0, q, 0, scores, 0, 5);
        for (int s = 0; s < 5; s++) assertThat(scores[s]).isNotNaN();
        for (int s = 5; s < 9; s++) assertThat(scores[s]).isNaN();

        float[] weights = new float[9];
        Arrays.fill(weights, 1f);
        float[] prefix = new float[8];
        cache.layer(0).accumulateValues(0, weights, 0, 5, prefix, 0);
        float[] expected = new float[8];
        for (int s = 0; s < 5; s++) {
            float[] v = token(0, s, true);
            for (int i = 0; i < 8; i++) expected[i] += v[i];
        }
        assertThat(prefix).usingComparatorWithPrecision(1e-5f).containsExactly(expected);
        assertThatThrownBy(() -> cache.layer(0).keyScores(0, q, 0, scores, 0, 10))
                .isInstanceOf(IndexOutOfBoundsException.class).hasMessageContaining("count 10");
    }

    @Test
    void layersAreIndependent() {
        var cache = cache(KvDType.FP32, PositionMode.ABSOLUTE, 4);
        appendStep(cache, 0, 5);
        assertThat(readValue(cache.layer(0), 1, 3)).isNotEqualTo(readValue(cache.layer(1), 1, 3));
        assertThat(readValue(cache.layer(1), 1, 3)).containsExactly(Arrays.copyOfRange(token(1, 3, true), 8, 16));
    }

    static Stream<Arguments> dtypesAndModes() {
        return Arrays.stream(KvDType.values())
                .flatMap(dtype -> Arrays.stream(PositionMode.values()).map(mode -> Arguments.of(dtype, mode)));
    }

    /**
     * Head sizes cover the scalar kernel (2), a vector part with a scalar tail (6) and whole vectors; each is
     * rotated with adjacent pairs, with halves (NeoX), and with halves over only part of the head.
     */
    @ParameterizedTest
    @MethodSource("dtypesAndModes")
    void kernelsMatchAScalarReferenceForSeveralHeadSizesAndRopes(KvDType dtype, PositionMode mode) {
        for (int hs : new int[] {2, 6, 8, 64, 128}) {
            kernelsMatchAScalarReference(dtype, mode, hs, RopeConfig.plain(hs, 10000f));
            kernelsMatchAScalarReference(dtype, mode, hs, new RopeConfig(RopeStyle.NEOX, hs, 10000f, 1f, new float[0]));
            if (hs % 4 == 0) kernelsMatchAScalarReference(dtype, mode, hs, new RopeConfig(RopeStyle.NEOX, hs / 2, 10000f, 1f, new float[0]));
        }
    }

    private static void kernelsMatchAScalarReference(KvDType dtype, PositionMode mode, int hs, RopeConfig ropeConfig) {
        // The step starts past 0 so that slot and original position differ.
        int start = 100;
        KvGeometry g = new KvGeometry(1, 2, 1, hs, ropeConfig);
        var cache = PagedKvCache.full(g, new KvStorage(dtype, 5, mode, 1));
        Random random = new Random(hs);
        int n = 13;
        float[] k = new float[n * hs];
        float[] v = new float[n * hs];
        for (int i = 0; i < k.length; i++) {
            k[i] = stored(dtype, (float) random.nextGaussian());
            v[i] = stored(dtype, (float) random.nextGaussian());
        }
        cache.beginStep(start, n);
        cache.append(0, k, v);
        cache.endStep();
        float[] q = new float[hs + 3];
        for (int i = 0; i < q.length; i++) q[i] = (float) random.nextGaussian();
        float[] scores = new float[n + 1];
        cache.layer(0).keyScores(0, q, 3, scores, 1, n);
        float[] weights = new float[n + 2];
        for (int i = 0; i < weights.length; i++) weights[i] = random.nextFloat();
        float[] out = new float[hs + 1];
        out[1] = 0.5f;
        cache.layer(0).accumulateValues(0, weights, 2, n, out, 1);
        Rope rope = new Rope(hs, ropeConfig);
        float[] expectedOut = new float[hs];
        expectedOut[0] = 0.5f;
        for (int t = 0; t < n; t++) {
            float[] key = Arrays.copyOfRange(k, t * hs, (t + 1) * hs);
            rope.rotate(key, 0, 1, mode.slotPositions() ? t : start + t);
            double dot = 0;
            for (int i = 0; i < hs; i++) {
                dot += (mode.rotatesOnStore() ? stored(dtype, key[i]) : key[i]) * (double) q[3 + i];
                expectedOut[i] += weights[2 + t] * v[t * hs + i];
            }
            assertThat(scores[1 + t]).as("head size %d token %d, %s", hs, t, ropeConfig).isCloseTo((float) dot, within(1e-4f));
        }
        for (int i = 0; i < hs; i++) assertThat(out[1 + i]).isCloseTo(expectedOut[i], within(1e-4f));
    }

    @ParameterizedTest
    @EnumSource(KvDType.class)
    void retainDropsWholePagesAndLeavesUntouchedPagesAlone(KvDType dtype) {
        var cache = cache(dtype, PositionMode.ABSOLUTE, 4);
        appendStep(cache, 0, 16);
        PagedLayer layer = cache.layer(0);
        KvPage first = layer.page(0);
        long firstVersion = first.version();
        KvPage last = layer.page(3);
        long lastVersion = last.version();
        float[] key13 = readKey(layer, 1, 13);
        // Keep page 0 whole, drop page 1, keep 1 token of page 2, keep page 3 whole.
        layer.retain(new int[] {0, 9, 12}, new int[] {4, 10, 16}, 3);
        assertThat(layer.length()).isEqualTo(9);
        int[] positions = new int[9];
        layer.positions(positions);
        assertThat(positions).containsExactly(0, 1, 2, 3, 9, 12, 13, 14, 15);
        int[] blocks = new int[9];
        layer.blockIds(blocks);
        assertThat(blocks).containsExactly(0, 0, 0, 0, 2, 3, 3, 3, 3);
        assertThat(layer.page(0)).isSameAs(first);
        assertThat(first.version()).isEqualTo(firstVersion);
        assertThat(layer.page(2)).isSameAs(last);
        assertThat(last.version()).isEqualTo(lastVersion);
        assertThat(readKey(layer, 1, 6)).containsExactly(key13);
        assertThat(cache.residentBytes()).isEqualTo(3L * 2 * 4 * KV_DIM * dtype.bytes() * 1 + layerBytes(cache.layer(1)));
    }

    private static long layerBytes(PagedLayer layer) {
        return layer.residentBytes();
    }

    @Test
    void underfullNeighboursMerge() {
        var cache = cache(KvDType.FP32, PositionMode.ABSOLUTE, 4);
        appendStep(cache, 0, 12);
        PagedLayer layer = cache.layer(0);
        layer.retain(new int[] {0, 5, 10}, new int[] {1, 6, 12}, 3);
        assertThat(layer.pageCount()).isEqualTo(1);
        int[] positions = new int[4];
        layer.positions(positions);
        assertThat(positions).containsExactly(0, 5, 10, 11);
        appendStep(cache, 12, 1);
        assertThat(layer.pageCount()).isEqualTo(2);
        assertThat(layer.position(4)).isEqualTo(12);
    }

    /**
     * Scattered evictions under a fixed capacity, as H2O makes them past its budget: the layer's pages stay within
     * an eighth (or one page) of what its tokens need, however long the sequence grows, and every kept token keeps
     * its position, block and key in slot order.
     */
    @ParameterizedTest
    @EnumSource(KvDType.class)
    void scatteredEvictionsUnderAFixedCapacityKeepThePagesNearTight(KvDType dtype) {
        int pageTokens = 4;
        int capacity = 40;
        var cache = cache(dtype, PositionMode.ABSOLUTE, pageTokens);
        var oneBigPage = cache(dtype, PositionMode.ABSOLUTE, 4096);
        PagedLayer layer = cache.layer(0);
        Random random = new Random(5);
        java.util.List<Integer> expected = new java.util.ArrayList<>();
        int mostPages = 0;
        for (int position = 0; position < 2000; position++) {
            appendStep(cache, position, 1);
            appendStep(oneBigPage, position, 1);
            expected.add(position);
            if (layer.length() <= capacity) continue;
            // Keep a random subset of capacity - 4 slots as sorted single-slot ranges: holes everywhere.
            boolean[] keep = new boolean[layer.length()];
            for (int kept = 0; kept < capacity - 4; ) {
                int slot = random.nextInt(keep.length);
                if (!keep[slot]) { keep[slot] = true; kept++; }
            }
            int[] starts = new int[capacity];
            int[] ends = new int[capacity];
            int n = 0;
            java.util.List<Integer> survivors = new java.util.ArrayList<>();
            for (int slot = 0; slot < keep.length; slot++) {
                if (!keep[slot]) continue;
                starts[n] = slot;
                ends[n++] = slot + 1;
                survivors.add(expected.get(slot));
            }
            layer.retain(starts, ends, n);
            oneBigPage.layer(0).retain(starts, ends, n);
            expected = survivors;
            int tight = (layer.length() + pageTokens - 1) / pageTokens;
            assertThat(layer.pageCount()).as("pages at position %d", position).isLessThanOrEqualTo(tight + Math.max(1, tight / 8));
            mostPages = Math.max(mostPages, layer.pageCount());
        }
        int[] positions = new int[layer.length()];
        layer.positions(positions);
        assertThat(positions).containsExactly(expected.stream().mapToInt(Integer::intValue).toArray());
        int[] blocks = new int[layer.length()];
        layer.blockIds(blocks);
        for (int slot = 0; slot < blocks.length; slot++) assertThat(blocks[slot]).isEqualTo(positions[slot] / 4);
        for (int slot = 0; slot < layer.length(); slot++) {
            assertThat(readKey(layer, 1, slot)).as("key of slot %d", slot).containsExactly(readKey(oneBigPage.layer(0), 1, slot));
        }
        assertThat(mostPages).isGreaterThan(capacity / pageTokens - 2);
    }

    @ParameterizedTest
    @EnumSource(KvDType.class)
    void releasedPagesRestoreFromTheirRawBytes(KvDType dtype) {
        var cache = cache(dtype, PositionMode.ABSOLUTE, 4);
        appendStep(cache, 0, 6);
        PagedLayer layer = cache.layer(0);
        float[] before = readKey(layer, 1, 2);
        float[] valueBefore = readValue(layer, 0, 3);
        KvPage page = layer.page(0);
        long version = page.version();
        byte[] raw = page.rawBytes();
        assertThat(raw).hasSize(2 * 4 * KV_DIM * dtype.bytes());
        page.release();
        assertThat(page.resident()).isFalse();
        assertThat(cache.residentBytes()).isEqualTo(3L * layer.page(1).residentBytes());
        assertThatThrownBy(() -> readKey(layer, 1, 2)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("released");
        page.restore(raw);
        assertThat(page.version()).isEqualTo(version);
        assertThat(readKey(layer, 1, 2)).containsExactly(before);
        assertThat(readValue(layer, 0, 3)).containsExactly(valueBefore);
        assertThatThrownBy(() -> page.restore(new byte[3])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected");
    }

    @ParameterizedTest
    @EnumSource(KvDType.class)
    void aSharedPayloadIsReadInPlaceAndCopiedBeforeAPageWritesIt(KvDType dtype) {
        var cache = cache(dtype, PositionMode.ABSOLUTE, 4);
        appendStep(cache, 0, 6);
        PagedLayer layer = cache.layer(0);
        KvPage page = layer.page(0);
        int hs = GEOMETRY.headSize();
        float[] before = readKey(layer, 1, 3);
        KvPage.Payload payload = page.payloadOf(page.rawBytes());
        page.release();
        page.share(payload);
        assertThat(readKey(layer, 1, 3)).containsExactly(before);
        // Compaction writes the page: the shared payload must keep what it held for the next restore.
        page.moveTokens(2, 0, 2);
        page.truncate(2);
        page.release();
        KvPage other = new KvPage(dtype, 4, GEOMETRY.kvHeads(), hs);
        for (int t = 0; t < 4; t++) other.append(new float[KV_DIM], 0, new float[KV_DIM], 0, t, 0);
        other.share(payload);
        float[] keys = new float[4 * hs];
        other.readKeys(1, 4, keys);
        assertThat(java.util.Arrays.copyOfRange(keys, 3 * hs, 4 * hs)).containsExactly(before);
        assertThatThrownBy(() -> new KvPage(dtype, 8, GEOMETRY.kvHeads(), hs).share(payload))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("format");
    }

    @Test
    void misuseIsReportedClearly() {
        var cache = cache(KvDType.FP16, PositionMode.ABSOLUTE, 4);
        assertThatThrownBy(() -> cache.append(0, new float[KV_DIM], new float[KV_DIM]))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("beginStep");
        cache.beginStep(0, 2);
        assertThatThrownBy(() -> cache.append(0, new float[KV_DIM], new float[2 * KV_DIM]))
                .hasMessageContaining("needs 32");
        cache.append(0, new float[2 * KV_DIM], new float[2 * KV_DIM]);
        assertThatThrownBy(() -> cache.append(0, new float[2 * KV_DIM], new float[2 * KV_DIM]))
                .hasMessageContaining("already appended");
        assertThatThrownBy(cache::endStep).hasMessageContaining("without an append to layer 1");
        cache.append(1, new float[2 * KV_DIM], new float[2 * KV_DIM]);
        cache.endStep();
        assertThatThrownBy(() -> cache.beginStep(1, 1)).hasMessageContaining("before the next position 2");
        assertThatThrownBy(() -> new KvStorage(KvDType.FP16, 0, PositionMode.ABSOLUTE, 1))
                .hasMessageContaining("pageTokens");
        assertThatThrownBy(() -> new KvGeometry(1, 6, 4, 8, 1e4f)).hasMessageContaining("multiple");
        cache.reset();
        assertThat(cache.length(0)).isZero();
        assertThat(cache.residentBytes()).isZero();
        appendStep(cache, 0, 1);
        assertThat(cache.tokensSeen()).isEqualTo(1);
    }

    @Test
    void perHeadKeepHoldsEachHeadsOwnTokensAndOnlyTheirBytes() {
        KvStorage storage = new KvStorage(KvDType.FP32, 4, PositionMode.ABSOLUTE, 1, true);
        var cache = new PagedKvCache<>(GEOMETRY, storage, KvCacheHooks.NONE);
        appendStep(cache, 0, 16);
        // One-head pages of 4 tokens: K and V of 8 floats per token.
        long page = 2L * 4 * 8 * 4;
        assertThat(cache.residentBytes()).isEqualTo(2 * 2 * 4 * page);
        PagedLayer layer = cache.layer(0);
        layer.retain(1, new int[] {2, 12}, new int[] {4, 14}, 2);
        // Head 0 keeps its 16 tokens in 4 pages, head 1 its 4 in one: the 12 head 1 dropped cost nothing.
        assertThat(cache.residentBytes()).isEqualTo(2 * 4 * page + 5 * page);
        assertThat(layer.length(0)).isEqualTo(16);
        assertThat(layer.length(1)).isEqualTo(4);
        assertThat(layer.length()).isEqualTo(16);
        assertThat(layer.heldTokens()).isEqualTo(10);
        int[] positions = new int[4];
        layer.positions(1, positions);
        assertThat(positions).containsExactly(2, 3, 12, 13);
        float[] values = new float[4 * 8];
        layer.readRows(1, false, values);
        for (int slot = 0; slot < 4; slot++) {
            float[] expected = Arrays.copyOfRange(token(0, positions[slot], true), 8, 16);
            assertThat(Arrays.copyOfRange(values, slot * 8, slot * 8 + 8)).containsExactly(expected);
            assertThat(readKey(layer, 1, slot)).containsExactly(expectedKey(KvDType.FP32, 0, positions[slot], 1, positions[slot], true));
        }
        assertThatThrownBy(() -> layer.positions(new int[16])).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("per KV head");
    }

    @Test
    void perHeadKeepRefusesALosslessStore() {
        KvStorage storage = new KvStorage(KvDType.FP16, 4, PositionMode.ABSOLUTE, 1, true);
        PageStore store = new PageStore() {
            @Override
            public void beforeRead(int layer, PagedLayer pages) { }

            @Override
            public void restore(int layer, KvPage page) { }
        };
        assertThatThrownBy(() -> new PagedKvCache<>(GEOMETRY, storage, KvCacheHooks.NONE, store))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("per KV head");
    }
}
