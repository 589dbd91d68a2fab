package io.heavykv.tokenizer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The real stories260K tokenizer, found through the {@code heavykv.models} property Surefire sets. */
final class Tok512 {
    private static Tokenizer tokenizer;

    private Tok512() {}

    static Path path() {
        String models = System.getProperty("heavykv.models", "../shared/models");
        Path file = Path.of(models, "stories260K", "tok512.bin");
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("tok512.bin not found at " + file.toAbsolutePath() + " (set -Dheavykv.models)");
        }
        return file;
    }

    static synchronized Tokenizer tokenizer() {
        if (tokenizer == null) {
            try {
                tokenizer = new Tokenizer(Llama2cTokenizerFile.read(path()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return tokenizer;
    }
}
