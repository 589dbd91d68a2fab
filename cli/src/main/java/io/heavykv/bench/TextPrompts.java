package io.heavykv.bench;

import io.heavykv.tokenizer.Tokenizer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Prompts cut from the bundled held-out texts (heavykv/eval/eval_1..3.txt, about 13k tokens with tok512),
 * so runs on a trained model attend over real language rather than noise. Longer requests wrap around.
 */
public final class TextPrompts implements PromptSource {
    private static final String[] TEXTS = {"eval_1.txt", "eval_2.txt", "eval_3.txt"};

    private final int bos;
    private final int[] text;

    public TextPrompts(Tokenizer tokenizer) {
        StringBuilder all = new StringBuilder();
        for (String name : TEXTS) all.append(resource("heavykv/eval/" + name)).append("\n\n");
        this.bos = tokenizer.bosId();
        this.text = tokenizer.encode(all.toString(), false, false);
        if (text.length == 0) throw new IllegalStateException("the bundled evaluation texts encode to no tokens");
    }

    @Override
    public int[] tokens(int length) {
        if (length < 1) throw new IllegalArgumentException("prompt length must be at least 1 (BOS), got " + length);
        int[] out = new int[length];
        out[0] = bos;
        for (int i = 1; i < length; i++) out[i] = text[(i - 1) % text.length];
        return out;
    }

    @Override
    public String kind() { return "text"; }

    static String resource(String name) {
        try (InputStream in = TextPrompts.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException("bundled resource " + name + " is missing from the classpath");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read bundled resource " + name, e);
        }
    }

    @Override
    public String toString() {
        return "bundled eval texts (" + text.length + " tokens), " + Arrays.stream(TEXTS).toList();
    }
}
