package io.heavykv.testing;

import io.heavykv.model.LlamaConfig;
import io.heavykv.model.RandomModelGenerator;
import io.heavykv.tensor.TensorType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** Small random GGUF models for tests (shapes chosen by the test, seeded, written in milliseconds). */
public final class TinyModels {
    private TinyModels() {
    }

    /** dim 64, hidden 128, 2 layers, 4 heads, 2 KV heads, vocab 300 (259 special + 41 filler), context 128. */
    public static LlamaConfig tinyConfig() {
        return new LlamaConfig(64, 128, 2, 4, 2, 300, 128, 10000f, 1e-5f);
    }

    /** Writes a random GGUF model of {@code config} in {@code type} into {@code dir} and returns its path. */
    public static Path gguf(Path dir, LlamaConfig config, TensorType type, long seed) {
        Path out = dir.resolve("tiny-" + type + "-" + seed + ".gguf");
        try {
            RandomModelGenerator.generate(config, type, seed, "tiny random " + type, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    public static Path gguf(Path dir, TensorType type) {
        return gguf(dir, tinyConfig(), type, 42);
    }
}
