package io.heavykv.eviction;

import io.heavykv.kvcache.KvDType;
import io.heavykv.kvcache.PositionMode;
import io.heavykv.runtime.KvCacheConfig;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CacheViewTest {

    /** A policy that never evicts and records what the view shows at each step's end. */
    private static final class Recorder implements EvictionPolicy {
        final List<Boolean> prefill = new ArrayList<>();
        final List<Integer> stepTokens = new ArrayList<>();
        CacheView view;

        @Override
        public boolean evicts(int layer) { return false; }

        @Override
        public LayerBudget budget(int layer, int length, int targetKeep) { return LayerBudget.of(length, length, 0, targetKeep, 1); }

        @Override
        public boolean endStep(CacheView view, ReservePlan plan) {
            this.view = view;
            prefill.add(view.prefill());
            stepTokens.add(view.stepTokens());
            return false;
        }
    }

    @Test
    void prefillIsAStepOfSeveralTokensOrTheFirst() {
        Recorder recorder = new Recorder();
        var driver = new SyntheticDriver(geometry -> recorder, SyntheticDriver.uniform());
        driver.step(1);
        driver.step(1);
        driver.step(5);
        driver.step(1);
        assertThat(recorder.prefill).containsExactly(true, false, true, false);
        assertThat(recorder.stepTokens).containsExactly(1, 1, 5, 1);
    }

    @Test
    void itShowsThePositionsAndValuesTheCacheHolds() {
        Recorder recorder = new Recorder();
        var driver = new SyntheticDriver(new KvCacheConfig(KvDType.FP16, 4, PositionMode.ABSOLUTE_PRE_ROPE, geometry -> recorder),
                SyntheticDriver.uniform());
        driver.step(6);
        driver.step(3);
        CacheView view = recorder.view;
        int headSize = SyntheticDriver.GEOMETRY.headSize();
        int[] positions = new int[9];
        view.positions(2, positions);
        assertThat(positions).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8);
        float[] values = new float[9 * headSize];
        float[] keys = new float[9 * headSize];
        view.values(2, 1, values);
        view.keys(2, 1, keys);
        for (int s = 0; s < 9; s++) {
            // The driver writes each token's position and layer into its value, and 1 into its (unrotated) key.
            assertThat(values[s * headSize]).isEqualTo(s);
            assertThat(values[s * headSize + 1]).isEqualTo(2);
            assertThat(keys[s * headSize]).isEqualTo(1f);
        }
        assertThat(view.length(2)).isEqualTo(9);
        assertThat(view.tokensSeen()).isEqualTo(9);
    }
}
