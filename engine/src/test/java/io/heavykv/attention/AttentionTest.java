package io.heavykv.attention;

import io.heavykv.kvcache.KvCacheHooks;
import io.heavykv.kvcache.KvDType;
import io.heavykv.kvcache.KvGeometry;
import io.heavykv.kvcache.KvStorage;
import io.heavykv.kvcache.LayerKv;
import io.heavykv.kvcache.PagedKvCache;
import io.heavykv.kvcache.PositionMode;
import io.heavykv.model.LlamaConfig;
import io.heavykv.tensor.Softmax;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class AttentionTest {

    /** Softmax weights the cache was shown, in the order it was shown them. */
    private static final class Recorder implements KvCacheHooks {
        final List<float[]> observed = new ArrayList<>();

        @Override
        public void observe(int layer, int head, float[] weights, int offset, int length) {
            float[] row = Arrays.copyOfRange(weights, offset, offset + length + 1);
            row[length] = head;
            observed.add(row);
        }
    }

    static Stream<Arguments> shapes() {
        // Head size 12 has a whole vector and a masked rest at 8 lanes; 64 is whole vectors at every width.
        return Stream.of(KvDType.values()).flatMap(dtype -> Stream.of(PositionMode.values()).flatMap(mode ->
                Stream.of(Arguments.of(dtype, mode, 6, 2, 12), Arguments.of(dtype, mode, 6, 3, 64), Arguments.of(dtype, mode, 4, 4, 8))));
    }

    /**
     * Attention reads each KV head once for its group of query heads; every score, softmax weight and output must
     * be bit for bit what reading it once per query head gives, over several pages, with a prefill step whose
     * tokens see different prefixes, and with the weights shown to the cache in the same order.
     */
    @ParameterizedTest
    @MethodSource("shapes")
    void groupedReadsGiveExactlyWhatOneReadPerQueryHeadGives(KvDType dtype, PositionMode mode, int heads, int kvHeads, int headSize) {
        int dim = heads * headSize;
        LlamaConfig config = new LlamaConfig(dim, 4 * dim, 1, heads, kvHeads, 32, 256, 10000f, 1e-5f);
        KvGeometry geometry = KvGeometry.of(config);
        Recorder recorder = new Recorder();
        var cache = new PagedKvCache<>(geometry, new KvStorage(dtype, 5, mode, 4), recorder);
        Random random = new Random(dim + kvHeads);
        int kvDim = geometry.kvDim();
        appendStep(cache, 0, 17, kvDim, random);

        int tokens = 3;
        float[] q = gaussian(random, tokens * dim);
        float[] out = new float[tokens * dim];
        cache.beginStep(17, tokens);
        cache.append(0, gaussian(random, tokens * kvDim), gaussian(random, tokens * kvDim));
        new Attention(config).compute(cache, 0, q, out, tokens);
        cache.endStep();

        LayerKv kv = cache.layer(0);
        int length = kv.length();
        float scale = (float) (1.0 / Math.sqrt(headSize));
        float[] expected = new float[tokens * dim];
        List<float[]> expectedObserved = new ArrayList<>();
        for (int t = 0; t < tokens; t++) {
            int visible = length - tokens + t + 1;
            for (int h = 0; h < heads; h++) {
                float[] scores = new float[visible + 1];
                kv.keyScores(h / (heads / kvHeads), q, t * dim + h * headSize, scores, 0, visible);
                for (int s = 0; s < visible; s++) scores[s] *= scale;
                Softmax.inPlace(scores, 0, visible);
                kv.accumulateValues(h / (heads / kvHeads), scores, 0, visible, expected, t * dim + h * headSize);
                scores[visible] = h;
                expectedObserved.add(scores);
            }
        }
        assertThat(out).containsExactly(expected);
        assertThat(recorder.observed).hasSameSizeAs(expectedObserved);
        for (int i = 0; i < expectedObserved.size(); i++) assertThat(recorder.observed.get(i)).containsExactly(expectedObserved.get(i));
    }

    static Stream<Arguments> storages() {
        return Stream.of(KvDType.values()).flatMap(dtype -> Stream.of(PositionMode.values()).map(mode -> Arguments.of(dtype, mode)));
    }

    /**
     * With tokens kept per KV head, each head attends over its own kept tokens only: every output is bit for bit what
     * a cache holding exactly that head's tokens (at their positions) gives, in a step of two new tokens.
     */
    @ParameterizedTest
    @MethodSource("storages")
    void perHeadKeepAttendsOverEachHeadsOwnTokensAsACacheOfOnlyThoseWould(KvDType dtype, PositionMode mode) {
        int heads = 6;
        int headSize = 12;
        int dim = heads * headSize;
        LlamaConfig config = new LlamaConfig(dim, 4 * dim, 1, heads, 3, 32, 256, 10000f, 1e-5f);
        KvGeometry geometry = KvGeometry.of(config);
        int kvDim = geometry.kvDim();
        Random random = new Random(11);
        int prompt = 17;
        float[] k = gaussian(random, prompt * kvDim);
        float[] v = gaussian(random, prompt * kvDim);
        var cache = new PagedKvCache<>(geometry, new KvStorage(dtype, 5, mode, 4, true), KvCacheHooks.NONE);
        cache.beginStep(0, prompt);
        cache.append(0, k, v);
        cache.endStep();
        int[][] kept = {{0, 1, 2, 9, 10, 11}, IntStream.range(0, prompt).toArray(), {2, 3, 14, 15, 16}};
        for (int g = 0; g < 3; g++) {
            // Runs of consecutive positions as ranges.
            int[] starts = new int[kept[g].length];
            int[] ends = new int[kept[g].length];
            int n = 0;
            for (int p : kept[g]) {
                if (n > 0 && ends[n - 1] == p) ends[n - 1]++;
                else {
                    starts[n] = p;
                    ends[n++] = p + 1;
                }
            }
            cache.layer(0).retain(g, starts, ends, n);
        }
        int tokens = 2;
        float[] q = gaussian(random, tokens * dim);
        float[] newK = gaussian(random, tokens * kvDim);
        float[] newV = gaussian(random, tokens * kvDim);
        float[] out = attend(cache, config, prompt, q, newK, newV, tokens);

        int group = heads / 3;
        for (int g = 0; g < 3; g++) {
            var reference = PagedKvCache.full(geometry, new KvStorage(dtype, 5, mode, 4));
            for (int p : kept[g]) {
                reference.beginStep(p, 1);
                reference.append(0, Arrays.copyOfRange(k, p * kvDim, (p + 1) * kvDim), Arrays.copyOfRange(v, p * kvDim, (p + 1) * kvDim));
                reference.endStep();
            }
            float[] expected = attend(reference, config, prompt, q, newK, newV, tokens);
            for (int t = 0; t < tokens; t++) {
                int from = t * dim + g * group * headSize;
                assertThat(Arrays.copyOfRange(out, from, from + group * headSize)).as("kv head %d, token %d", g, t)
                        .containsExactly(Arrays.copyOfRange(expected, from, from + group * headSize));
            }
        }
    }

    private static float[] attend(PagedKvCache<?> cache, LlamaConfig config, int position, float[] q, float[] k, float[] v,
                                  int tokens) {
        float[] out = new float[tokens * config.dim()];
        cache.beginStep(position, tokens);
        cache.append(0, k, v);
        new Attention(config).compute(cache, 0, q, out, tokens);
        cache.endStep();
        return out;
    }

    private static void appendStep(PagedKvCache<?> cache, int position, int tokens, int kvDim, Random random) {
        cache.beginStep(position, tokens);
        cache.append(0, gaussian(random, tokens * kvDim), gaussian(random, tokens * kvDim));
        cache.endStep();
    }

    private static float[] gaussian(Random random, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) random.nextGaussian();
        return x;
    }
}
