package io.heavykv.cli;

import io.heavykv.files.InputFiles;
import io.heavykv.runtime.Engine;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/** Which model to run: llama.cpp's -m, plus --tokenizer for llama2.c checkpoints. */
final class ModelOptions {

    @Option(names = {"-m", "--model"}, paramLabel = "FILE",
            description = "Model file: GGUF or a llama2.c checkpoint (the README lists the supported architectures and tensor "
                    + "types), or smollm2 for SmolLM2-135M-Instruct once ci/models.sh fetched it. Default: stories260K, "
                    + "carried in the repository (models/stories260K).")
    Path model;

    @Option(names = "--tokenizer", paramLabel = "FILE",
            description = "llama2.c tokenizer file. Default: the model's own vocabulary (GGUF) or tokenizer.bin / tok*.bin beside it.")
    Path tokenizer;

    Path modelPath() {
        return model != null ? DefaultModel.resolve(model, DefaultModel.smolLm2File()) : DefaultModel.stories260K();
    }

    Engine load() throws IOException {
        return load(modelPath());
    }

    /** Loads {@code model} (e.g. a generated benchmark model) with the tokenizer these options name. */
    Engine load(Path model) throws IOException {
        if (tokenizer != null) InputFiles.requireRegular(tokenizer, "tokenizer");
        return Engine.load(model, Optional.ofNullable(tokenizer));
    }
}
