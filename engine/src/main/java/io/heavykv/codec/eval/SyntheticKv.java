package io.heavykv.codec.eval;

import io.heavykv.kvcache.KvDType;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Stand-in KV with the structure real caches show, for tests and benchmarks until the engine dumps real
 * KV: every channel has its own offset and scale (a few outlier channels are much larger), a slow random
 * drift over tokens plus noise; keys are then RoPE-rotated by position, so fast pairs oscillate while slow
 * pairs keep their offsets. Deterministic for a seed.
 */
public final class SyntheticKv {
    private SyntheticKv() {}

    public static KvDump generate(int layers, int kvHeads, int headSize, int tokens, KvDType dtype, long seed) {
        KvDumpHeader header = new KvDumpHeader("synthetic", layers, kvHeads, headSize, dtype, tokens);
        SplittableRandom random = new SplittableRandom(seed);
        List<byte[]> keys = new ArrayList<>();
        List<byte[]> values = new ArrayList<>();
        for (int l = 0; l < layers; l++) {
            keys.add(KvDumpWriter.encode(stream(random, kvHeads, headSize, tokens, 1.0, true), dtype));
            values.add(KvDumpWriter.encode(stream(random, kvHeads, headSize, tokens, 0.3, false), dtype));
        }
        return new KvDump(header, keys, values);
    }

    private static float[] stream(SplittableRandom random, int kvHeads, int headSize, int tokens, double offsetScale,
                                  boolean rotate) {
        int channels = kvHeads * headSize;
        double[] offset = new double[channels];
        double[] scale = new double[channels];
        double[] drift = new double[channels];
        for (int c = 0; c < channels; c++) {
            boolean outlier = random.nextDouble() < 0.05;
            offset[c] = random.nextGaussian() * offsetScale * (outlier ? 8 : 1);
            scale[c] = 0.4 * Math.exp(0.5 * random.nextGaussian());
        }
        float[] out = new float[tokens * channels];
        for (int t = 0; t < tokens; t++) {
            for (int c = 0; c < channels; c++) {
                drift[c] = 0.97 * drift[c] + 0.25 * random.nextGaussian();
                out[t * channels + c] = (float) (offset[c] + scale[c] * (drift[c] + 0.5 * random.nextGaussian()));
            }
            if (rotate) rope(out, t * channels, kvHeads, headSize, t);
        }
        return out;
    }

    private static void rope(float[] v, int off, int kvHeads, int headSize, int position) {
        for (int h = 0; h < kvHeads; h++) {
            for (int i = 0; i < headSize; i += 2) {
                double angle = position * Math.pow(10000.0, -(double) i / headSize);
                double cos = Math.cos(angle);
                double sin = Math.sin(angle);
                int a = off + h * headSize + i;
                float x = v[a];
                float y = v[a + 1];
                v[a] = (float) (x * cos - y * sin);
                v[a + 1] = (float) (x * sin + y * cos);
            }
        }
    }
}
