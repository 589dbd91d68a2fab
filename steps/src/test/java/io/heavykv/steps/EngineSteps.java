package io.heavykv.steps;

import io.cucumber.java.After;
import io.cucumber.java.en.Given;
import io.heavykv.eviction.FullConfig;
import io.heavykv.eviction.H2oConfig;
import io.heavykv.eviction.StreamingConfig;
import io.heavykv.kvcache.KvDType;
import io.heavykv.kvcache.PositionMode;
import io.heavykv.model.ModelConverter;
import io.heavykv.runtime.Engine;
import io.heavykv.tensor.TensorType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Steps that choose the model and set up the KV cache a scenario runs with. */
public final class EngineSteps {
    private final ScenarioContext context;

    public EngineSteps(ScenarioContext context) {
        this.context = context;
    }

    @Given("the stories260K model")
    public void theStories260KModel() throws Exception {
        Path file = stories260K();
        context.useEngine(Engine.load(file, Optional.empty()), file);
    }

    @Given("the stories260K model converted to GGUF {word}")
    public void theStories260KModelConvertedToGguf(String type) throws Exception {
        Path gguf;
        try (Engine source = Engine.load(stories260K(), Optional.empty())) {
            Path dir = Files.createTempDirectory("heavykv-gguf");
            gguf = dir.resolve("stories260K-" + type + ".gguf");
            ModelConverter.convert(source.model(), source.tokenizer().vocabulary(), TensorType.valueOf(type), gguf);
        }
        context.useEngine(Engine.load(gguf, Optional.empty()), gguf);
    }

    @Given("the stories260K model as llama.cpp converted it")
    public void theStories260KModelAsLlamaCppConvertedIt() throws Exception {
        Path gguf = context.sharedFile("models/stories260K/stories260K-llamacpp.gguf");
        context.useEngine(Engine.load(gguf, Optional.empty()), gguf);
    }

    private Path stories260K() {
        context.useModel("stories260K");
        return context.modelFile("stories260K.bin");
    }

    @Given("the full KV cache")
    public void theFullKvCache() {
        context.cacheConfig(context.cacheConfig().withPolicy(new FullConfig()));
    }

    @Given("a StreamingLLM KV cache with {int} sink tokens and a window of {int}")
    public void aStreamingLlmKvCache(int sink, int window) {
        context.cacheConfig(context.cacheConfig().withPolicy(new StreamingConfig(sink, window)));
    }

    @Given("an H2O KV cache keeping {double} of the tokens")
    public void anH2oKvCacheKeeping(double ratio) {
        context.cacheConfig(context.cacheConfig().withPolicy(H2oConfig.defaults().withTargetKeepRatio(ratio)));
    }

    @Given("KV stored as {word}")
    public void kvStoredAs(String dtype) {
        context.cacheConfig(context.cacheConfig().withDType(KvDType.valueOf(dtype)));
    }

    @Given("keys rotated by their original position when stored")
    public void keysRotatedByTheirOriginalPositionWhenStored() {
        context.cacheConfig(context.cacheConfig().withPositionMode(PositionMode.ABSOLUTE));
    }

    @Given("keys rotated by their cache slot")
    public void keysRotatedByTheirCacheSlot() {
        context.cacheConfig(context.cacheConfig().withPositionMode(PositionMode.CACHE_RELATIVE));
    }

    @Given("keys stored unrotated and rotated by their original position")
    public void keysStoredUnrotatedAndRotatedByTheirOriginalPosition() {
        context.cacheConfig(context.cacheConfig().withPositionMode(PositionMode.ABSOLUTE_PRE_ROPE));
    }

    @Given("a context of {int} tokens")
    public void aContextOf(int tokens) {
        context.contextLength(tokens);
    }

    @After
    public void closeScenarioResources() throws Exception {
        context.closeAll();
    }
}
