package io.heavykv.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * llama.cpp's tokenizer suites in shared/reference/llama.cpp-vocab (format in its README): a vocabulary-only
 * GGUF, its inputs split on a separator line, and one line of expected ids per input.
 */
public final class LlamaCppVocabSuites {
    /** The suites' folder inside the shared folder. */
    public static final String DIR = "reference/llama.cpp-vocab/";
    private static final String SEPARATOR = "\n__ggml_vocab_test__\n";

    private LlamaCppVocabSuites() {}

    /** One input, byte for byte, and the ids llama.cpp gave it (add_special and parse_special off). */
    public record Case(String input, int[] expected) {}

    /** The cases of the suite whose vocabulary is {@code gguf} ({@code X.gguf.inp} and {@code X.gguf.out} beside it). */
    public static List<Case> read(Path gguf) throws IOException {
        String inputs = Files.readString(Path.of(gguf + ".inp"), StandardCharsets.UTF_8);
        List<String> outputs = Files.readAllLines(Path.of(gguf + ".out"), StandardCharsets.UTF_8);
        List<String> split = new ArrayList<>();
        for (int from = 0; ; ) {
            int at = inputs.indexOf(SEPARATOR, from);
            if (at < 0) {
                split.add(inputs.substring(from));
                break;
            }
            split.add(inputs.substring(from, at));
            from = at + SEPARATOR.length();
        }
        // The files end with a separator: the empty piece after it is no case (it has no output line).
        if (split.size() == outputs.size() + 1 && split.getLast().isEmpty()) split.removeLast();
        if (split.size() != outputs.size()) {
            throw new IllegalStateException(gguf + ": " + split.size() + " inputs but " + outputs.size() + " output lines");
        }
        List<Case> cases = new ArrayList<>(split.size());
        for (int i = 0; i < split.size(); i++) cases.add(new Case(split.get(i), ids(outputs.get(i))));
        return cases;
    }

    private static int[] ids(String line) {
        String trimmed = line.strip();
        return trimmed.isEmpty() ? new int[0] : Arrays.stream(trimmed.split(" +")).mapToInt(Integer::parseInt).toArray();
    }
}
