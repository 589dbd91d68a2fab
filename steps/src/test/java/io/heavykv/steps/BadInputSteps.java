package io.heavykv.steps;

import io.cucumber.java.en.Given;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;
import io.heavykv.model.ModelConverter;
import io.heavykv.model.RandomModelGenerator;
import io.heavykv.runtime.Engine;
import io.heavykv.runtime.Session;
import io.heavykv.tensor.TensorType;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Damaged and mismatched inputs. Each must be refused with a message that names the problem; a crash,
 * a hang or silently wrong output would fail these scenarios.
 */
public final class BadInputSteps {
    private final ScenarioContext context;
    private Path modelFile;
    private Optional<Path> tokenizerFile = Optional.empty();
    private Throwable failure;

    public BadInputSteps(ScenarioContext context) {
        this.context = context;
    }

    @Given("a copy of the stories260K checkpoint truncated to {int} bytes")
    public void aTruncatedCheckpoint(int bytes) throws Exception {
        byte[] whole = Files.readAllBytes(checkpoint());
        modelFile = write("truncated.bin", Arrays.copyOf(whole, bytes));
    }

    @Given("a file of {int} random bytes posing as a model")
    public void randomBytes(int bytes) throws Exception {
        byte[] junk = new byte[bytes];
        new java.util.Random(bytes).nextBytes(junk);
        junk[0] = 'X';
        modelFile = write("junk.bin", junk);
    }

    @Given("a GGUF file that ends after its header")
    public void aGgufThatEndsAfterItsHeader() throws Exception {
        modelFile = write("header-only.gguf", new byte[] {'G', 'G', 'U', 'F', 3, 0, 0, 0});
    }

    @Given("the stories260K model converted to GGUF with tensor type id {int} in place of F32")
    public void aGgufWithAnUnknownTensorType(int typeId) throws Exception {
        Path gguf = convertedGguf();
        byte[] bytes = Files.readAllBytes(gguf);
        // Tensor info: name, n_dims (u32), dims (u64 each), ggml type (u32), offset (u64).
        byte[] name = "token_embd.weight".getBytes(StandardCharsets.UTF_8);
        int at = indexOf(bytes, name) + name.length;
        int dims = bytes[at] & 0xff;
        int typeAt = at + 4 + 8 * dims;
        bytes[typeAt] = (byte) typeId;
        modelFile = write("unknown-type.gguf", bytes);
    }

    @Given("a random GGUF model with a vocabulary of {int} and the stories260K tokenizer")
    public void aModelWithAnotherVocabulary(int vocabulary) throws Exception {
        var config = new io.heavykv.model.LlamaConfig(64, 128, 1, 4, 4, vocabulary, 128, 10000f, 1e-5f);
        modelFile = scratch().resolve("other-vocab.gguf");
        RandomModelGenerator.generate(config, TensorType.F32, 7, "other-vocab", modelFile);
        tokenizerFile = Optional.of(tokenizer());
    }

    @Given("the stories260K checkpoint with a tokenizer truncated to {int} bytes")
    public void aTruncatedTokenizer(int bytes) throws Exception {
        modelFile = checkpoint();
        byte[] whole = Files.readAllBytes(tokenizer());
        tokenizerFile = Optional.of(write("tok-truncated.bin", Arrays.copyOf(whole, bytes)));
    }

    @When("I load it")
    public void iLoadIt() {
        try (Engine engine = Engine.load(modelFile, tokenizerFile)) {
            failure = null;
        } catch (Throwable t) {
            failure = t;
        }
    }

    @When("I feed the stories260K model a prompt of {int} tokens with a context of {int}")
    public void iFeedAPromptLongerThanTheContext(int promptTokens, int contextLength) throws Exception {
        try (Engine engine = Engine.load(checkpoint(), Optional.empty());
             Session session = engine.openSession(context.cacheConfig(), contextLength, 16)) {
            int[] prompt = new int[promptTokens];
            Arrays.fill(prompt, engine.tokenizer().bosId());
            session.prefill(prompt);
            failure = null;
        } catch (Throwable t) {
            failure = t;
        }
    }

    @Then("it is refused with a message containing {string}")
    public void itIsRefusedWithAMessageContaining(String expected) {
        Figures.parameter("error", failure == null ? "(none)" : failure.getClass().getSimpleName() + ": " + failure.getMessage());
        assertThat(failure).as("error for bad input").isNotNull();
        // A refusal, not a crash: these are what a missing check looks like from outside.
        assertThat(failure).as("kind of error").isNotInstanceOfAny(Error.class, NullPointerException.class,
                IndexOutOfBoundsException.class, ClassCastException.class, ArithmeticException.class,
                NegativeArraySizeException.class, java.nio.BufferUnderflowException.class);
        assertThat(failure.getMessage()).as("error message").contains(expected);
    }

    private Path checkpoint() {
        context.useModel("stories260K");
        return context.modelFile("stories260K.bin");
    }

    private Path tokenizer() {
        context.useModel("stories260K");
        return context.modelFile("tok512.bin");
    }

    private Path convertedGguf() throws Exception {
        Path out = scratch().resolve("stories260K-F32.gguf");
        try (Engine engine = Engine.load(checkpoint(), Optional.empty())) {
            ModelConverter.convert(engine.model(), engine.tokenizer().vocabulary(), TensorType.F32, out);
        }
        return out;
    }

    private Path scratch() throws Exception {
        return Files.createTempDirectory("heavykv-bad-input");
    }

    private Path write(String name, byte[] bytes) throws Exception {
        return Files.write(scratch().resolve(name), bytes);
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) continue outer;
            }
            return i;
        }
        throw new IllegalStateException("tensor name not found in the converted GGUF");
    }
}
