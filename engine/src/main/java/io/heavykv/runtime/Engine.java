package io.heavykv.runtime;

import io.heavykv.model.GgufReader;
import io.heavykv.model.LlamaConfig;
import io.heavykv.model.Model;
import io.heavykv.model.ModelLoader;
import io.heavykv.tokenizer.GgufVocabulary;
import io.heavykv.tokenizer.Llama2cTokenizerFile;
import io.heavykv.tokenizer.Tokenizer;
import io.heavykv.tokenizer.Vocabulary;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A model ready to run: weights, a tokenizer that fits them, and the transformer. The CLI, the
 * benchmarks and the acceptance steps all start here, so they resolve tokenizers and check
 * vocabularies the same way.
 */
public final class Engine implements AutoCloseable {
    private final Model model;
    private final Tokenizer tokenizer;
    private final Transformer transformer;

    private Engine(Model model, Tokenizer tokenizer) {
        this.model = model;
        this.tokenizer = tokenizer;
        this.transformer = new Transformer(model);
    }

    /**
     * Loads a model file; {@code tokenizerFile} may be empty, in which case the vocabulary comes from the
     * model (GGUF) or from the llama2.c tokenizer file beside it ({@code tokenizer.bin} or a single
     * {@code tok*.bin}).
     */
    public static Engine load(Path modelFile, Optional<Path> tokenizerFile) throws IOException {
        Model model = ModelLoader.load(modelFile);
        try {
            Tokenizer tokenizer = new Tokenizer(vocabulary(modelFile, tokenizerFile, model.vocabulary()));
            tokenizer.requireVocabularySize(model.config().vocabSize());
            return new Engine(model, tokenizer);
        } catch (IOException | RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /**
     * Only the tokenizer {@link #load} would pair with {@code modelFile}, without loading weights: the vocabulary of
     * a GGUF header (vocabulary-only files included), else the llama2.c tokenizer file named or beside it.
     */
    public static Tokenizer loadTokenizer(Path modelFile, Optional<Path> tokenizerFile) throws IOException {
        Optional<Vocabulary> own = tokenizerFile.isEmpty() && ModelLoader.isGguf(modelFile)
                ? GgufVocabulary.read(GgufReader.header(modelFile), modelFile) : Optional.empty();
        return new Tokenizer(vocabulary(modelFile, tokenizerFile, own));
    }

    /** The tokenizer file named, else the model's own vocabulary, else the llama2.c tokenizer file beside the model. */
    private static Vocabulary vocabulary(Path modelFile, Optional<Path> tokenizerFile, Optional<Vocabulary> own) throws IOException {
        if (tokenizerFile.isPresent()) return Llama2cTokenizerFile.read(tokenizerFile.get());
        return own.orElseGet(() -> readBeside(modelFile));
    }

    private static Vocabulary readBeside(Path modelFile) {
        Path dir = modelFile.toAbsolutePath().getParent();
        Path chosen = dir.resolve("tokenizer.bin");
        if (!Files.exists(chosen)) {
            List<Path> candidates;
            try (Stream<Path> files = Files.list(dir)) {
                candidates = files.filter(p -> p.getFileName().toString().matches("tok.*\\.bin")).sorted().toList();
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot list " + dir + " to find a tokenizer: " + e.getMessage(), e);
            }
            if (candidates.size() != 1) {
                throw new IllegalArgumentException(modelFile + " carries no vocabulary and " + dir + " holds "
                        + (candidates.isEmpty() ? "no" : candidates.size()) + " llama2.c tokenizer files (tokenizer.bin or tok*.bin): pass --tokenizer");
            }
            chosen = candidates.get(0);
        }
        try {
            return Llama2cTokenizerFile.read(chosen);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("tokenizer file " + chosen + " does not exist", e);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read tokenizer " + chosen + ": " + e.getMessage(), e);
        }
    }

    public Model model() { return model; }

    public Tokenizer tokenizer() { return tokenizer; }

    public Transformer transformer() { return transformer; }

    /**
     * The context a session gets unless told otherwise: the model's trained context, or its sliding window when
     * that is shorter (heavykv runs such models only within their window).
     */
    public int defaultContext() {
        LlamaConfig config = model.config();
        int window = config.slidingWindow() > 0 ? config.slidingWindow() : Integer.MAX_VALUE;
        return Math.min(config.contextLength(), window);
    }

    /** A new sequence with its own KV cache. {@code contextLength == 0} means the {@link #defaultContext()}. */
    public Session openSession(KvCacheConfig cacheConfig, int contextLength, int prefillChunk) {
        if (contextLength < 0) {
            throw new IllegalArgumentException("context length (-c/--ctx) must be positive, or 0 for the model's, got " + contextLength);
        }
        int context = contextLength > 0 ? contextLength : defaultContext();
        return new Session(transformer, cacheConfig.open(model.config()), context, prefillChunk);
    }

    /**
     * Tokens that end a generated sequence: every end-of-generation token of the vocabulary (EOS, end of turn, chat
     * end markers), and BOS, which llama2.c models emit between stories.
     */
    public boolean endsSequence(int token) {
        return tokenizer.endsGeneration(token) || token == tokenizer.bosId();
    }

    @Override
    public void close() {
        model.close();
    }
}
