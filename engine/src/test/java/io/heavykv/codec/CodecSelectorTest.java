package io.heavykv.codec;

import io.heavykv.kvcache.KvDType;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CodecSelectorTest {
    private final BlockShape shape = new BlockShape(KvDType.FP16, 4, 32);

    @Test
    void probesEveryIntervalAndReusesTheWinnerInBetween() {
        try (CodecContext ctx = new CodecContext()) {
            FrameWriter writer = new FrameWriter(ctx);
            CodecSelector selector = new CodecSelector(List.of(CodecId.STORED, CodecId.PLANES_CM), 4);
            byte[] dst = new byte[FrameWriter.maxFrameLength(shape)];
            for (int b = 0; b < 10; b++) {
                selector.encode(writer, shape, FrameTestSupport.smoothBlock(shape, b), 0, null, dst, 0);
            }
            assertThat(selector.probes()).isEqualTo(3);
            assertThat(selector.current()).isEqualTo(CodecId.PLANES_CM);
        }
    }

    @Test
    void aFixedSelectorNeverProbes() {
        try (CodecContext ctx = new CodecContext()) {
            CodecSelector selector = CodecSelector.fixed(CodecId.STORED);
            byte[] dst = new byte[FrameWriter.maxFrameLength(shape)];
            int length = selector.encode(new FrameWriter(ctx), shape, FrameTestSupport.smoothBlock(shape, 0), 0, null, dst, 0);
            assertThat(length).isEqualTo(FrameHeader.BYTES + shape.rawBytes());
            assertThat(selector.probes()).isZero();
            assertThat(selector.current()).isEqualTo(CodecId.STORED);
        }
    }
}
