package io.heavykv.codec;

import io.heavykv.kvcache.KvDType;

import java.util.SplittableRandom;

/** Blocks for the codec tests. */
final class FrameTestSupport {
    private FrameTestSupport() {}

    /** A block of smooth FP16-ish values, so plane codecs really compress it. */
    static byte[] smoothBlock(BlockShape shape, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        byte[] out = new byte[shape.rawBytes()];
        for (int t = 0; t < shape.tokens(); t++) {
            for (int c = 0; c < shape.channels(); c++) {
                float v = (float) (Math.sin(c * 0.3) + 0.01 * t + 0.05 * r.nextGaussian());
                int i = (t * shape.channels() + c) * shape.dtype().bytes();
                if (shape.dtype() == KvDType.FP16) LittleEndian.putShort(out, i, Float.floatToFloat16(v));
                else LittleEndian.putInt(out, i, Float.floatToRawIntBits(v));
            }
        }
        return out;
    }
}
