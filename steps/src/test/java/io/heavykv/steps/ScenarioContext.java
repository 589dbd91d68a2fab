package io.heavykv.steps;

import io.heavykv.bench.quality.EvalText;
import io.heavykv.bench.quality.EvalTexts;
import io.heavykv.runtime.Engine;
import io.heavykv.runtime.KvCacheConfig;
import io.heavykv.testing.SharedModels;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * State shared by the step classes of one scenario. Cucumber's PicoContainer creates one instance per
 * scenario and hands the same instance to every step class that asks for it in its constructor.
 */
public final class ScenarioContext {

    static final String MODELS_PROPERTY = "heavykv.models";

    private Path modelDirectory;
    private Engine engine;
    private Path engineFile;
    private KvCacheConfig cacheConfig = KvCacheConfig.defaults();
    private int contextLength;
    private final Deque<AutoCloseable> resources = new ArrayDeque<>();

    /** The model folder {@code name} (for example stories260K) under the repository's models directory, which Surefire names. */
    public Path useModel(String name) {
        String root = System.getProperty(MODELS_PROPERTY);
        if (root == null || root.isBlank()) {
            throw new EnvironmentUnavailableException("system property " + MODELS_PROPERTY
                    + " is not set; Surefire sets it to <repo>/models");
        }
        Path directory = Path.of(root, name).toAbsolutePath().normalize();
        if (!Files.isDirectory(directory)) {
            throw new EnvironmentUnavailableException("model directory " + directory + " not found ("
                    + MODELS_PROPERTY + "=" + root + ")");
        }
        modelDirectory = directory;
        // The report's goals page groups figures by this parameter.
        Figures.parameter("model", name);
        return directory;
    }

    public Path modelDirectory() {
        if (modelDirectory == null) {
            throw new IllegalStateException("no model chosen yet: a step like 'Given the stories260K model directory' must come first");
        }
        return modelDirectory;
    }

    /** A file of the chosen model; a missing file is the machine's problem, not the engine's. */
    public Path modelFile(String fileName) {
        Path file = modelDirectory().resolve(fileName);
        if (!Files.isRegularFile(file)) {
            throw new EnvironmentUnavailableException("model file " + file + " not found");
        }
        return file;
    }

    /**
     * A file of the shared folder beside the checkout (llama.cpp's own conversions, tokenizer suites). Where the
     * checkout stands alone, as a fresh clone does, the scenario is skipped rather than failed.
     */
    public Path sharedFile(String relative) {
        return SharedModels.assumeShared(relative);
    }

    /**
     * A bundled prompt (for example prompt_512_1, or prose_512_1 of the prose set) as the model is fed it; a name
     * none has is the scenario's mistake.
     */
    public int[] bundledPrompt(String name) {
        String file = name + ".txt";
        String dir = EvalTexts.promptDir(file);
        if (EvalTexts.class.getResource(dir + file) == null) {
            throw new MissingFixtureException("the scenario names the bundled prompt " + name
                    + ", but there is no engine resource " + dir.substring(1) + file);
        }
        return EvalTexts.prompt(engine().tokenizer(), file);
    }

    /** A bundled held-out text (for example eval_2.txt); a name none has is the scenario's mistake. */
    public EvalText bundledText(String name) {
        if (!EvalTexts.bundledNames().contains(name) && !name.equals(EvalTexts.HELD_OUT_PROSE)) {
            throw new MissingFixtureException("the scenario names the bundled text " + name + "; bundled: " + EvalTexts.bundledNames());
        }
        return EvalTexts.bundled(engine().tokenizer(), name);
    }

    /** The engine the scenario runs; closed with the scenario. */
    public Engine engine() {
        if (engine == null) {
            throw new IllegalStateException("no model loaded yet: a step like 'Given the stories260K model' must come first");
        }
        return engine;
    }

    /** Runs {@code loaded}, read from {@code file}, in this scenario. */
    public void useEngine(Engine loaded, Path file) {
        engine = closeWithScenario(loaded);
        engineFile = file;
    }

    /** The file the engine was loaded from (another engine, such as llama.cpp, may load it too). */
    public Path engineFile() {
        engine();
        return engineFile;
    }

    public KvCacheConfig cacheConfig() { return cacheConfig; }

    public void cacheConfig(KvCacheConfig config) { cacheConfig = config; }

    /** Context window for sessions; 0 means the model's trained context. */
    public int contextLength() { return contextLength; }

    public void contextLength(int tokens) { contextLength = tokens; }

    public <T extends AutoCloseable> T closeWithScenario(T resource) {
        resources.push(resource);
        return resource;
    }

    /** Called after each scenario: releases engines and sessions, newest first. */
    void closeAll() throws Exception {
        Exception first = null;
        while (!resources.isEmpty()) {
            try {
                resources.pop().close();
            } catch (Exception e) {
                if (first == null) first = e;
            }
        }
        if (first != null) throw first;
    }
}
