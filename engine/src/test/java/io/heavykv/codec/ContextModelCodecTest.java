package io.heavykv.codec;

import io.heavykv.kvcache.KvDType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ContextModelCodecTest {
    private final BlockShape shape = new BlockShape(KvDType.FP16, 32, 32);
    private final CodecContext ctx = new CodecContext();
    private final FrameWriter writer = new FrameWriter(ctx);

    @AfterEach
    void close() { ctx.close(); }

    /** Rows drawn from a small vocabulary of random rows, as a first layer's KV is a function of the token. */
    private static byte[] vocabularyBlock(BlockShape shape, int vocabulary, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int rowBytes = shape.rawBytes() / shape.tokens();
        byte[] out = new byte[shape.rawBytes()];
        for (int t = 0; t < shape.tokens(); t++) {
            byte[] row = FrameTestSupport.smoothBlock(new BlockShape(shape.dtype(), 1, shape.channels()), 1000 + r.nextInt(vocabulary));
            System.arraycopy(row, 0, out, t * rowBytes, rowBytes);
        }
        return out;
    }

    private ContextModel trained(int id, byte[]... blocks) {
        ContextModelTrainer trainer = new ContextModelTrainer(shape.channels());
        for (byte[] b : blocks) trainer.add(shape, b, 0);
        return trainer.snapshot(id);
    }

    private byte[] roundtrip(byte[] raw, ContextModel model) {
        byte[] frame = writer.encode(shape, raw, 0, CodecId.CONTEXT_MODEL, model);
        Map<Integer, BlockDictionary> known = model == null ? Map.of() : Map.of(model.id(), model);
        assertThat(new FrameReader(ctx, known::get).decode(frame)).isEqualTo(raw);
        return frame;
    }

    @Test
    void rowsAModelHoldsCostAReferenceAndTheModelIsNeededToDecode() {
        byte[] earlier = vocabularyBlock(shape, 8, 1);
        byte[] later = vocabularyBlock(shape, 8, 2);
        ContextModel model = trained(7, earlier, vocabularyBlock(shape, 8, 3));
        byte[] frame = roundtrip(later, model);

        assertThat(FrameHeader.parse(frame, 0, frame.length).dictionaryId()).isEqualTo(7);
        // 32 rows of 64 bytes, each one a reference of two one-byte varints, plus a mode byte and lengths.
        assertThat(frame.length).isLessThan(FrameHeader.BYTES + 80);
        assertThatThrownBy(() -> new FrameReader(ctx).decode(frame))
                .isInstanceOf(CorruptFrameException.class).hasMessageContaining("unknown dictionary id 7");
    }

    @Test
    void aTrainedModelCodesNewRowsSmallerThanUniformFrequencies() {
        byte[] raw = FrameTestSupport.smoothBlock(shape, 99);
        ContextModel model = trained(1, FrameTestSupport.smoothBlock(shape, 1), FrameTestSupport.smoothBlock(shape, 2));
        int withModel = roundtrip(raw, model).length;
        int without = roundtrip(raw, null).length;
        assertThat(withModel).isLessThan(without);
        assertThat(withModel).isLessThan(FrameHeader.BYTES + shape.rawBytes() * 3 / 4);
    }

    @Test
    void specialBitPatternsSurviveWithAndWithoutAModel() {
        int[] special = {0x0000, 0x8000, 0x0001, 0x83FF, 0x7C00, 0xFC00, 0x7E00, 0xFE00, 0x7C01, 0xFD55, 0x7FFF, 0xFFFF};
        byte[] raw = FrameTestSupport.smoothBlock(shape, 5);
        for (int i = 0; i < shape.values(); i += 3) LittleEndian.putShort(raw, 2 * i, special[i % special.length]);
        roundtrip(raw, null);
        roundtrip(raw, trained(3, FrameTestSupport.smoothBlock(shape, 6)));
        roundtrip(raw, trained(4, raw));
    }

    @Test
    void aModelForOtherChannelsIsIgnoredAlikeByEncoderAndDecoder() {
        ContextModelTrainer other = new ContextModelTrainer(16);
        BlockShape narrow = new BlockShape(KvDType.FP16, 32, 16);
        other.add(narrow, FrameTestSupport.smoothBlock(narrow, 1), 0);
        roundtrip(FrameTestSupport.smoothBlock(shape, 2), other.snapshot(9));
    }

    @Test
    void fp32BlocksAreStored() {
        BlockShape fp32 = new BlockShape(KvDType.FP32, 8, 16);
        byte[] raw = FrameTestSupport.smoothBlock(fp32, 1);
        byte[] frame = writer.encode(fp32, raw, 0, CodecId.CONTEXT_MODEL, null);
        assertThat(frame.length).isEqualTo(FrameHeader.BYTES + raw.length + 1);
        assertThat(new FrameReader(ctx).decode(frame)).isEqualTo(raw);
        assertThat(new ContextModelTrainer(16).fits(fp32)).isFalse();
    }

    @Test
    void aSnapshotKeepsOnlyTheRowsItWasMadeWith() {
        ContextModelTrainer trainer = new ContextModelTrainer(shape.channels());
        trainer.add(shape, FrameTestSupport.smoothBlock(shape, 1), 0);
        ContextModel early = trainer.snapshot(1);
        // Enough rows to make the trainer grow its store and index after the first snapshot; each block
        // comes twice, so rows repeat and the trainer keeps them.
        for (int b = 0; b < 40; b++) {
            byte[] block = FrameTestSupport.smoothBlock(shape, 500 + b);
            trainer.add(shape, block, 0);
            trainer.add(shape, block, 0);
        }
        ContextModel late = trainer.snapshot(2);
        byte[] learnedLate = FrameTestSupport.smoothBlock(shape, 510);
        int referencesOnly = FrameHeader.BYTES + 8 + 3 * shape.tokens();

        assertThat(early.rows()).isEqualTo(shape.tokens());
        assertThat(late.rows()).isEqualTo(41 * shape.tokens());
        assertThat(early.findRow(learnedLate, 0, early.hashRow(learnedLate, 0))).isEqualTo(-1);
        assertThat(roundtrip(learnedLate, late).length).isLessThanOrEqualTo(referencesOnly);
        assertThat(roundtrip(learnedLate, early).length).isGreaterThan(referencesOnly);
    }

    @Test
    void aStreamWhoseRowsNeverRepeatStopsKeepingThemAfterATrialWhileARepeatingOneGoesOn() {
        ContextModelTrainer fresh = new ContextModelTrainer(shape.channels());
        ContextModelTrainer repeating = new ContextModelTrainer(shape.channels());
        int trialBlocks = ContextModelTrainer.ROW_TRIAL / shape.tokens();
        byte[] firstBlock = FrameTestSupport.smoothBlock(shape, 100);
        fresh.add(shape, firstBlock, 0);
        ContextModel duringTrial = fresh.snapshot(3);
        for (int b = 1; b < 2 * trialBlocks; b++) fresh.add(shape, FrameTestSupport.smoothBlock(shape, 100 + b), 0);
        for (int b = 0; b < 2 * trialBlocks; b++) repeating.add(shape, vocabularyBlock(shape, 200, b), 0);
        assertThat(fresh.keepingRows()).isFalse();
        // Later snapshots hold no rows; one made during the trial keeps its own for the frames that use it.
        assertThat(fresh.snapshot(1).rows()).isZero();
        assertThat(duringTrial.rows()).isEqualTo(shape.tokens());
        assertThat(duringTrial.findRow(firstBlock, 0, duringTrial.hashRow(firstBlock, 0))).isZero();
        assertThat(repeating.keepingRows()).isTrue();
        assertThat(repeating.snapshot(2).rows()).isGreaterThan(trialBlocks * shape.tokens() / 2);
    }

    @Test
    void snapshotsShareTheStreamsRowsAndOwnOnlyTheirTables() {
        ContextModelTrainer trainer = new ContextModelTrainer(shape.channels());
        trainer.add(shape, vocabularyBlock(shape, 200, 1), 0);
        long storeAfterOne = trainer.bytes();
        ContextModel first = trainer.snapshot(1);
        for (int b = 2; b < 6; b++) trainer.add(shape, vocabularyBlock(shape, 200, b), 0);
        ContextModel second = trainer.snapshot(2);
        // At most a context per channel of 65 sign-and-exponent starts, two bytes each, and a base per channel.
        long perChannel = 2L * shape.channels() * 65 + 2L * shape.channels();
        assertThat(first.tableBytes()).isLessThanOrEqualTo(perChannel);
        assertThat(second.tableBytes()).isLessThanOrEqualTo(perChannel);
        assertThat(trainer.bytes()).isGreaterThan(storeAfterOne);
    }

    @Test
    void channelsAlikeInExponentAndSignShareOneTableAndCodeAsTightly() {
        // Even channels: positive values of exponent 15; odd channels: either sign, exponent 9.
        byte[] block = new byte[shape.rawBytes()];
        SplittableRandom r = new SplittableRandom(11);
        for (int t = 0; t < shape.tokens(); t++) {
            for (int c = 0; c < shape.channels(); c++) {
                int sign = c % 2 == 0 ? 0 : r.nextInt(2);
                int exponent = (c % 2 == 0 ? 15 : 9) - (r.nextInt(4) == 0 ? 1 : 0);
                int bits = sign << 15 | exponent << 10 | r.nextInt(1 << 10);
                LittleEndian.putShort(block, (t * shape.channels() + c) * 2, bits);
            }
        }
        ContextModelTrainer trainer = new ContextModelTrainer(shape.channels());
        trainer.add(shape, block, 0);
        ContextModel model = trainer.snapshot(1);
        assertThat(model.tableBytes()).as("two groups' tables and a base per channel").isEqualTo(2L * 2 * 65 + 2L * shape.channels());
        assertThat(model.signExponentBase(0)).isEqualTo(model.signExponentBase(2)).isNotEqualTo(model.signExponentBase(1));
        assertThat(model.signExponentBase(1)).isEqualTo(model.signExponentBase(3));
        // Each value's sign and exponent take about 1 (even) or 2 (odd) bits instead of 6.
        assertThat(roundtrip(block, model).length).isLessThan(shape.rawBytes() * 3 / 4);
    }

    @Test
    void countsPastTheirTypesRangeHalveInsteadOfWrapping() {
        // Every value alike: channel 0's one symbol is counted past 65535 times.
        byte[] block = new byte[shape.rawBytes()];
        for (int i = 0; i < shape.values(); i++) LittleEndian.putShort(block, 2 * i, 0x3C00);
        ContextModelTrainer trainer = new ContextModelTrainer(shape.channels());
        for (int b = 0; b < 3 * 65536 / shape.tokens(); b++) trainer.add(shape, block, 0);
        // Rows differ (so none is a reference) but keep that sign and exponent: a wrapped count would make it rare.
        byte[] raw = block.clone();
        for (int i = 0; i < shape.values(); i++) raw[2 * i] = (byte) i;
        byte[] frame = roundtrip(raw, trainer.snapshot(1));
        // The low bytes, two raw bits per value and little else.
        assertThat(frame.length).isLessThan(FrameHeader.BYTES + shape.values() * 5 / 4 + 64);
    }

    @Test
    void aFrameNamingAZstdDictionaryIsRejected() {
        ContextModel model = trained(5, FrameTestSupport.smoothBlock(shape, 1));
        byte[] frame = writer.encode(shape, FrameTestSupport.smoothBlock(shape, 2), 0, CodecId.CONTEXT_MODEL, model);
        try (ZstdDictionary zstd = new ZstdDictionary(5, new byte[]{1, 2, 3})) {
            assertThatThrownBy(() -> new FrameReader(ctx, Map.of(5, zstd)::get).decode(frame))
                    .isInstanceOf(CorruptFrameException.class).hasMessageContaining("takes a ContextModel");
        }
    }

    @Test
    void aDamagedStreamIsCorruptNotWrong() {
        ContextModel model = trained(2, FrameTestSupport.smoothBlock(shape, 1));
        byte[] frame = writer.encode(shape, FrameTestSupport.smoothBlock(shape, 2), 0, CodecId.CONTEXT_MODEL, model);
        FrameReader reader = new FrameReader(ctx, Map.of(2, model)::get);
        byte[] badMode = frame.clone();
        badMode[FrameHeader.BYTES] = 7;
        assertThatThrownBy(() -> reader.decode(badMode)).isInstanceOf(CorruptFrameException.class).hasMessageContaining("mode 7");
        byte[] truncated = java.util.Arrays.copyOf(frame, frame.length - 1);
        LittleEndian.putInt(truncated, 20, truncated.length - FrameHeader.BYTES);
        assertThatThrownBy(() -> reader.decode(truncated)).isInstanceOf(CorruptFrameException.class);
    }

    @Test
    void snapshotsComeAfterEveryDoublingOfTheBlocksSeen() {
        List<Integer> due = new java.util.ArrayList<>();
        for (int b = 0; b <= 130; b++) if (ContextModelTrainer.snapshotDue(b)) due.add(b);
        assertThat(due).containsExactly(1, 2, 4, 8, 16, 32, 64, 128);
    }

    @Test
    void aNewModelIsTriedAgainstTheWinnerWithoutAFullProbe() {
        CodecSelector selector = new CodecSelector(CodecId.all(), 16);
        byte[] dst = new byte[FrameWriter.maxFrameLength(shape)];
        byte[] block = vocabularyBlock(shape, 8, 1);
        selector.encode(writer, shape, block, 0, null, null, dst, 0);
        selector.encode(writer, shape, block, 0, null, null, dst, 0);
        assertThat(selector.probes()).isEqualTo(1);
        assertThat(selector.current()).isNotEqualTo(CodecId.CONTEXT_MODEL);
        ContextModel model = trained(1, block);
        int length = selector.encode(writer, shape, block, 0, null, model, dst, 0);
        assertThat(selector.probes()).isEqualTo(1);
        assertThat(selector.current()).isEqualTo(CodecId.CONTEXT_MODEL);
        // Every row is in the model: references only.
        assertThat(length).isLessThan(FrameHeader.BYTES + 8 + 3 * shape.tokens());
        assertThat(new FrameReader(ctx, Map.of(1, model)::get).decode(java.util.Arrays.copyOf(dst, length))).isEqualTo(block);
    }
}
