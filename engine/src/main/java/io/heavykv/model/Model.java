package io.heavykv.model;

import io.heavykv.tokenizer.Vocabulary;

import java.util.Optional;

/**
 * A loaded model: its configuration, its weights (usually views of a memory-mapped file, valid until
 * {@link #close()}), and the vocabulary when the file carries one (GGUF does, llama2.c checkpoints do not).
 */
public record Model(
        LlamaConfig config,
        LlamaWeights weights,
        Optional<Vocabulary> vocabulary,
        String description,
        AutoCloseable resources) implements AutoCloseable {

    /** Where the weights come from, for messages: the file's path, or the description when not from a file. */
    public String source() {
        return resources instanceof MappedModelFile file ? file.path().toString() : description;
    }

    @Override
    public void close() {
        try {
            resources.close();
        } catch (Exception e) {
            throw new IllegalStateException("could not release model " + description, e);
        }
    }
}
