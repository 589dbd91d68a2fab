package io.heavykv.codec;

import io.heavykv.kvcache.KvDType;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DictionaryTest {
    private final BlockShape shape = new BlockShape(KvDType.FP16, 16, 64);

    @Test
    void framesCodedWithATrainedDictionaryNeedItToDecode() {
        try (CodecContext ctx = new CodecContext()) {
            DictionaryTrainer trainer = new DictionaryTrainer(CodecId.PLANES_CM, ctx, 1 << 20, 2048);
            for (int b = 0; b < 40; b++) trainer.add(shape, FrameTestSupport.smoothBlock(shape, b), 0);
            ZstdDictionary dict = trainer.train(42).orElseThrow();
            byte[] raw = FrameTestSupport.smoothBlock(shape, 1000);
            byte[] frame = new FrameWriter(ctx).encode(shape, raw, 0, CodecId.PLANES_CM, dict);

            assertThat(FrameHeader.parse(frame, 0, frame.length).dictionaryId()).isEqualTo(42);
            assertThat(new FrameReader(ctx, Map.of(42, dict)::get).decode(frame)).isEqualTo(raw);
            assertThatThrownBy(() -> new FrameReader(ctx).decode(frame))
                    .isInstanceOf(CorruptFrameException.class).hasMessageContaining("unknown dictionary id 42");
            dict.close();
        }
    }

    @Test
    void tooFewSamplesGiveNoDictionary() {
        try (CodecContext ctx = new CodecContext()) {
            DictionaryTrainer trainer = new DictionaryTrainer(CodecId.ZSTD, ctx, 1 << 16, 1024);
            trainer.add(shape, FrameTestSupport.smoothBlock(shape, 1), 0);
            assertThat(trainer.train(1)).isEmpty();
        }
    }

    @Test
    void theStoredCodecTakesNoDictionary() {
        try (CodecContext ctx = new CodecContext()) {
            assertThatThrownBy(() -> new DictionaryTrainer(CodecId.STORED, ctx, 1024, 256)).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
