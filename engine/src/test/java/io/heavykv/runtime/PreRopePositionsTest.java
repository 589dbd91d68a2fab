package io.heavykv.runtime;

import io.heavykv.eviction.EvictionController;
import io.heavykv.eviction.H2oConfig;
import io.heavykv.kvcache.KvDType;
import io.heavykv.kvcache.PagedKvCache;
import io.heavykv.kvcache.PagedLayer;
import io.heavykv.kvcache.PositionMode;
import io.heavykv.testing.SharedModels;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keys stored unrotated and rotated at read time by their original position must give the attention of
 * absolute positions: with FP32 storage only float rounding separates the two, eviction included.
 */
class PreRopePositionsTest {
    private static final int PROMPT_TOKENS = 300;
    private static final int NEW_TOKENS = 40;
    private static final float TOLERANCE = 2e-4f;

    private static int[] prompt(Engine engine) throws IOException {
        try (InputStream in = PreRopePositionsTest.class.getResourceAsStream("/heavykv/prompts/prompt_512_1.txt")) {
            assertThat(in).isNotNull();
            int[] tokens = engine.tokenizer().encode(new String(in.readAllBytes(), StandardCharsets.UTF_8), true, false);
            assertThat(tokens.length).isGreaterThan(PROMPT_TOKENS);
            return Arrays.copyOf(tokens, PROMPT_TOKENS);
        }
    }

    private static Session open(Engine engine, PositionMode mode) {
        KvCacheConfig config = new KvCacheConfig(KvDType.FP32, 32, mode, H2oConfig.defaults().withTargetKeepRatio(1.0 / 3));
        return new Session(engine.transformer(), config.open(engine.model().config()), PROMPT_TOKENS + NEW_TOKENS + 1, 64);
    }

    private static float maxDifference(float[] a, float[] b) {
        float max = 0;
        for (int i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
        return max;
    }

    private static int argmax(float[] logits) {
        int best = 0;
        for (int i = 1; i < logits.length; i++) if (logits[i] > logits[best]) best = i;
        return best;
    }

    private static int[] positions(PagedKvCache<EvictionController> cache, int layer) {
        PagedLayer kv = cache.layer(layer);
        int[] positions = new int[kv.length()];
        kv.positions(positions);
        return positions;
    }

    @Test
    void fp32LogitsMatchAbsolutePositionsThroughH2oEviction() throws Exception {
        try (Engine engine = Engine.load(SharedModels.defaultModel().resolve("stories260K.bin"), Optional.empty());
             Session absolute = open(engine, PositionMode.ABSOLUTE);
             Session preRope = open(engine, PositionMode.ABSOLUTE_PRE_ROPE);
             Session relative = open(engine, PositionMode.CACHE_RELATIVE)) {
            int[] prompt = prompt(engine);
            float[] expected = absolute.prefill(prompt).clone();
            float[] actual = preRope.prefill(prompt).clone();
            float[] slotRotated = relative.prefill(prompt).clone();
            float worst = maxDifference(expected, actual);
            // Control: rotating by cache slot instead is a different attention once eviction has run.
            float control = maxDifference(expected, slotRotated);
            for (int s = 0; s < NEW_TOKENS; s++) {
                int next = argmax(expected);
                expected = absolute.decode(next).clone();
                actual = preRope.decode(next);
                worst = Math.max(worst, maxDifference(expected, actual));
                control = Math.max(control, maxDifference(expected, relative.decode(next)));
            }
            assertThat(absolute.cache().hooks().stats().plansApplied()).as("plans applied").isPositive();
            for (int l = 0; l < engine.model().config().layers(); l++) {
                int[] kept = positions(absolute.cache(), l);
                assertThat(positions(preRope.cache(), l)).as("kept positions of layer %d", l).containsExactly(kept);
                assertThat(kept[kept.length - 1]).as("eviction left gaps").isGreaterThan(kept.length - 1);
            }
            assertThat(worst).as("largest logit difference to absolute positions").isLessThan(TOLERANCE);
            assertThat(control).as("largest logit difference of slot positions").isGreaterThan(100 * TOLERANCE);
        }
    }
}
