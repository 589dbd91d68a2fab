package io.heavykv.tokenizer;

import io.heavykv.testing.SharedModels;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** The real stories260K tokenizer, loaded once for the tokenizer tests and the bundled texts' tests (cli). */
public final class Tok512 {
    private static Tokenizer tokenizer;

    private Tok512() {}

    static Path path() {
        return SharedModels.defaultModel().resolve("tok512.bin");
    }

    public static synchronized Tokenizer tokenizer() {
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
