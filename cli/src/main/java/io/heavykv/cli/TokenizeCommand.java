package io.heavykv.cli;

import io.heavykv.runtime.Engine;
import io.heavykv.tokenizer.Tokenizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/** {@code heavykv tokenize}: a prompt's token ids as the model's tokenizer makes them (llama.cpp's llama-tokenize). */
@Command(name = "tokenize", mixinStandardHelpOptions = true,
        description = "Print the token ids of a text, as the model's tokenizer (and llama.cpp) makes them. Reads only "
                + "the vocabulary, so vocabulary-only GGUF files work too.")
final class TokenizeCommand implements Callable<Integer> {

    @Mixin
    ModelOptions modelOptions = new ModelOptions();

    @Option(names = {"-p", "--prompt"}, paramLabel = "TEXT", description = "Text to tokenize.")
    String prompt;

    @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "Read the text from a UTF-8 file instead.")
    Path promptFile;

    @Option(names = "--ids-only", description = "Print only the ids as a list (the default).")
    boolean idsOnly;

    @Option(names = "--show-pieces", description = "Print one line per token: its id and its text.")
    boolean showPieces;

    @Option(names = "--no-bos", description = "Add no BOS/EOS even where the model adds them.")
    boolean noBos;

    @Option(names = "--parse-special", description = "Turn text equal to a control piece (e.g. <|im_start|>) into that token.")
    boolean parseSpecial;

    @Override
    public Integer call() throws Exception {
        if (idsOnly && showPieces) throw new IllegalArgumentException("--ids-only and --show-pieces exclude each other");
        if ((prompt == null) == (promptFile == null)) throw new IllegalArgumentException("give the text with exactly one of -p or -f");
        String text = prompt != null ? prompt : Files.readString(promptFile, StandardCharsets.UTF_8);
        Tokenizer tokenizer = Engine.loadTokenizer(modelOptions.modelPath(), Optional.ofNullable(modelOptions.tokenizer));
        int[] ids = tokenizer.tokenize(text, !noBos, parseSpecial);
        PrintStream out = System.out;
        if (showPieces) {
            // One token per line: line breaks and tabs inside a piece are shown escaped.
            for (int id : ids) {
                String piece = tokenizer.display(id).replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t");
                out.printf("%6d -> '%s'%n", id, piece);
            }
        } else {
            out.println(Arrays.stream(ids).mapToObj(Integer::toString).collect(Collectors.joining(", ", "[", "]")));
        }
        return 0;
    }
}
