package io.heavykv.codec;

import io.heavykv.kvcache.KvDType;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RansTest {
    private static final int SYMBOLS = FrequencyTable.SYMBOLS;
    private static final int CONTEXTS = 3;

    /** Skewed counts, one context never seen (uniform), so rare symbols with frequency 1 occur too. */
    private static FrequencyTable table() {
        int[] counts = new int[CONTEXTS * SYMBOLS];
        for (int s = 0; s < SYMBOLS; s++) {
            counts[s] = s < 3 ? 1000 : 0;
            counts[SYMBOLS + s] = 1 << Math.max(0, 15 - s);
        }
        return FrequencyTable.quantize(counts, CONTEXTS, 0);
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

    /** A model that learned values of a few exponents, so other values take its rarest frequencies. */
    private static ContextModel skewedModel(int channels) {
        BlockShape shape = new BlockShape(KvDType.FP16, 64, channels);
        byte[] block = new byte[shape.rawBytes()];
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < shape.values(); i++) LittleEndian.putShort(block, 2 * i, 0x3800 + random.nextInt(0x0800));
        ContextModelTrainer trainer = new ContextModelTrainer(channels);
        trainer.add(shape, block, 0);
        return trainer.snapshot(1);
    }

    @Test
    void rowsOfAnyValuesRoundTripAndEndExactly() {
        int channels = 2 * Rans.LANES + 3;
        ContextModel model = skewedModel(channels);
        SplittableRandom random = new SplittableRandom(7);
        int rows = 50;
        byte[] raw = new byte[rows * 2 * channels];
        // Mostly likely values, and every tenth any 16-bit pattern at all.
        for (int i = 0; i < rows * channels; i++) {
            LittleEndian.putShort(raw, 2 * i, i % 10 == 0 ? random.nextInt(1 << 16) : 0x3800 + random.nextInt(0x0800));
        }
        byte[] buf = new byte[64 * 1024];
        Rans.Encoder encoder = new Rans.Encoder();
        encoder.reset(buf, buf.length);
        for (int r = rows - 1; r >= 0; r--) encoder.encodeRow(model, raw, r * 2 * channels, channels);
        int start = encoder.finish();

        // The decoder takes each low byte from where the raw value keeps it.
        byte[] lows = new byte[rows * channels];
        for (int i = 0; i < lows.length; i++) lows[i] = raw[2 * i];
        byte[] out = new byte[raw.length];
        Rans.Decoder decoder = new Rans.Decoder();
        decoder.reset(buf, start, buf.length);
        for (int r = 0; r < rows; r++) decoder.decodeRow(model, lows, r * channels, out, r * 2 * channels, channels);
        assertThat(out).isEqualTo(raw);
        assertThat(decoder.overrun()).isFalse();
        decoder.finish();

        // The same stream cut short: decoding stays inside it and reports the overrun.
        int cut = start + Rans.FLUSH_BYTES + 2;
        decoder.reset(buf, start, cut);
        for (int r = 0; r < rows; r++) decoder.decodeRow(model, lows, r * channels, out, r * 2 * channels, channels);
        assertThat(decoder.overrun()).isTrue();
        assertThatThrownBy(decoder::finish).isInstanceOf(CorruptFrameException.class).hasMessageContaining("expected offset " + cut);
    }

    @Test
    void aStateOutsideItsRangeIsCorrupt() {
        byte[] buf = new byte[Rans.FLUSH_BYTES];
        assertThatThrownBy(() -> new Rans.Decoder().reset(buf, 0, buf.length))
                .isInstanceOf(CorruptFrameException.class).hasMessageContaining("rANS state 0");
        LittleEndian.putInt(buf, 0, (int) Rans.LOW - 1);
        assertThatThrownBy(() -> new Rans.Decoder().reset(buf, 0, buf.length))
                .isInstanceOf(CorruptFrameException.class).hasMessageContaining("below " + Rans.LOW);
        assertThatThrownBy(() -> new Rans.Decoder().reset(buf, 0, buf.length - 1))
                .isInstanceOf(CorruptFrameException.class).hasMessageContaining("truncated");
    }
}
