package io.heavykv.tensor;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicIntegerArray;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ParallelTest {

    @Test
    void everyIndexRunsExactlyOnceAcrossManyCalls() {
        for (int n : new int[] {0, 1, 2, 7, 100, 10_001}) {
            AtomicIntegerArray hits = new AtomicIntegerArray(Math.max(n, 1));
            for (int call = 0; call < 200; call++) {
                Parallel.forRange(0, n, (a, b) -> {
                    for (int i = a; i < b; i++) hits.incrementAndGet(i);
                });
            }
            for (int i = 0; i < n; i++) assertThat(hits.get(i)).as("index %d of %d", i, n).isEqualTo(200);
        }
    }

    @Test
    void nestedCallsRunInlineInsteadOfDeadlocking() {
        AtomicIntegerArray hits = new AtomicIntegerArray(64 * 64);
        Parallel.forRange(0, 64, (a, b) -> {
            for (int i = a; i < b; i++) {
                int row = i;
                Parallel.forRange(0, 64, (c, d) -> {
                    for (int j = c; j < d; j++) hits.incrementAndGet(row * 64 + j);
                });
            }
        });
        for (int i = 0; i < 64 * 64; i++) assertThat(hits.get(i)).isEqualTo(1);
    }

    @Test
    void anExceptionInAChunkReachesTheCaller() {
        assertThatThrownBy(() -> Parallel.forRange(0, 1000, (a, b) -> {
            if (a <= 500 && 500 < b) throw new IllegalStateException("boom");
        })).isInstanceOf(IllegalStateException.class).hasMessage("boom");
        // The pool stays usable afterwards.
        AtomicIntegerArray hits = new AtomicIntegerArray(10);
        Parallel.forRange(0, 10, (a, b) -> {
            for (int i = a; i < b; i++) hits.incrementAndGet(i);
        });
        for (int i = 0; i < 10; i++) assertThat(hits.get(i)).isEqualTo(1);
    }
}
