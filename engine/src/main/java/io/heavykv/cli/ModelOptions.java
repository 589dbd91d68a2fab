package io.heavykv.cli;

import io.heavykv.runtime.Engine;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/** Which model to run: llama.cpp's -m, plus --tokenizer for llama2.c checkpoints. */
final class ModelOptions {

    @Option(names = {"-m", "--model"}, paramLabel = "FILE",
            description = "Model file: GGUF (Llama; F32, F16, BF16, Q4_0, Q4_1, Q5_0, Q5_1, Q8_0, Q4_K, Q5_K or Q6_K tensors) or a llama2.c checkpoint. Default: the shared stories260K model.")
    Path model;

    @Option(names = "--tokenizer", paramLabel = "FILE",
            description = "llama2.c tokenizer file. Default: the model's own vocabulary (GGUF) or tokenizer.bin / tok*.bin beside it.")
    Path tokenizer;

    Path modelPath() {
        return model != null ? model : DefaultModel.stories260K();
    }

    Engine load() throws IOException {
        return load(modelPath());
    }

    /** Loads {@code model} (e.g. a generated benchmark model) with the tokenizer these options name. */
    Engine load(Path model) throws IOException {
        return Engine.load(model, Optional.ofNullable(tokenizer));
    }
}
