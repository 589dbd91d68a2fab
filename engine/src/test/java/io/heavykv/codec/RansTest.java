package io.heavykv.codec;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RansTest {
    private static final int SYMBOLS = 32;
    private static final int CONTEXTS = 3;

    /** Skewed counts, one context never seen (uniform), so rare symbols with frequency 1 occur too. */
    private static FrequencyTable table() {
        int[] counts = new int[CONTEXTS * SYMBOLS];
        for (int s = 0; s < SYMBOLS; s++) {
            counts[s] = s < 3 ? 1000 : 0;
            counts[SYMBOLS + s] = 1 << Math.max(0, 20 - s);
        }
        return FrequencyTable.quantize(counts, CONTEXTS, SYMBOLS, 0);
    }

    @Test
    void quantizedFrequenciesArePositiveAndSumToTheTotalInEveryContext() {
        FrequencyTable table = table();
        for (int c = 0; c < CONTEXTS; c++) {
            int base = table.base(c);
            int sum = 0;
            for (int s = 0; s < SYMBOLS; s++) {
                assertThat(table.freq(base, s)).isPositive();
                assertThat(table.start(base, s)).isEqualTo(sum);
                sum += table.freq(base, s);
            }
            assertThat(sum).isEqualTo(Rans.TOTAL);
        }
    }

    @Test
    void everySlotFindsTheSymbolWhoseRangeHoldsIt() {
        FrequencyTable table = table();
        for (int c = 0; c < CONTEXTS; c++) {
            int base = table.base(c);
            for (int slot = 0; slot < Rans.TOTAL; slot++) {
                int s = table.find(base, slot);
                assertThat(slot).isBetween(table.start(base, s), table.start(base, s) + table.freq(base, s) - 1);
            }
        }
    }

    @Test
    void runsOfMixedContextsRoundTripAndEndExactly() {
        FrequencyTable table = table();
        SplittableRandom random = new SplittableRandom(7);
        int runs = 50;
        int[][] symbols = new int[runs][];
        int[][] bases = new int[runs][];
        for (int r = 0; r < runs; r++) {
            int n = 1 + random.nextInt(40);
            symbols[r] = new int[n];
            bases[r] = new int[n];
            for (int i = 0; i < n; i++) {
                bases[r][i] = table.base(random.nextInt(CONTEXTS));
                symbols[r][i] = random.nextInt(SYMBOLS);
            }
        }
        byte[] buf = new byte[64 * 1024];
        Rans.Encoder encoder = new Rans.Encoder();
        encoder.reset(buf, buf.length);
        for (int r = runs - 1; r >= 0; r--) encoder.encode(table, bases[r], symbols[r], symbols[r].length);
        int start = encoder.finish();

        Rans.Decoder decoder = new Rans.Decoder();
        decoder.reset(buf, start, buf.length);
        for (int r = 0; r < runs; r++) {
            int[] out = new int[symbols[r].length];
            decoder.decode(table, bases[r], out, out.length);
            assertThat(out).isEqualTo(symbols[r]);
        }
        assertThat(decoder.overrun()).isFalse();
        decoder.finish();

        // The same stream cut short: decoding stays inside it and reports the overrun.
        int cut = start + Rans.FLUSH_BYTES + 2;
        decoder.reset(buf, start, cut);
        for (int r = 0; r < runs; r++) decoder.decode(table, bases[r], new int[symbols[r].length], symbols[r].length);
        assertThat(decoder.overrun()).isTrue();
        assertThatThrownBy(decoder::finish).isInstanceOf(CorruptFrameException.class).hasMessageContaining("expected offset " + cut);
    }

    @Test
    void aStateOutsideItsRangeIsCorrupt() {
        byte[] buf = new byte[Rans.FLUSH_BYTES];
        assertThatThrownBy(() -> new Rans.Decoder().reset(buf, 0, buf.length))
                .isInstanceOf(CorruptFrameException.class).hasMessageContaining("rANS state 0");
        assertThatThrownBy(() -> new Rans.Decoder().reset(buf, 0, buf.length - 1))
                .isInstanceOf(CorruptFrameException.class).hasMessageContaining("truncated");
    }
}
