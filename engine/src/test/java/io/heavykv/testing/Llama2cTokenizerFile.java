package io.heavykv.testing;

import io.heavykv.tokenizer.Vocabulary;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Test-only reader of a llama2.c tokenizer file (the real one lives in io.heavykv.tokenizer), so model
 * tests can give converted models a vocabulary. bos = 1 and eos = 2 as in llama2.c.
 */
public final class Llama2cTokenizerFile {
    private Llama2cTokenizerFile() {
    }

    public static Vocabulary read(Path file, int size) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        b.getInt(); // max token length
        List<String> pieces = new ArrayList<>(size);
        float[] scores = new float[size];
        for (int i = 0; i < size; i++) {
            scores[i] = b.getFloat();
            byte[] bytes = new byte[b.getInt()];
            b.get(bytes);
            pieces.add(new String(bytes, StandardCharsets.UTF_8));
        }
        return new Vocabulary(pieces, scores, 1, 2);
    }
}
