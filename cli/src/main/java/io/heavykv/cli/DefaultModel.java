package io.heavykv.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Models known by name. The default, stories260K, lives in {@code models/stories260K/} inside the repository,
 * so a fresh clone runs with nothing beside it (the launcher passes the repository as {@code heavykv.home};
 * without it the working directory is taken as the repository). {@code smollm2} is SmolLM2-135M-Instruct
 * (Q4_1 GGUF), which {@code ci/models.sh} fetches into the model cache, {@code $HEAVYKV_MODEL_CACHE} or
 * {@code ~/.cache/heavykv/models}, outside any checkout.
 */
public final class DefaultModel {
    /** The name {@code -m} accepts for SmolLM2. */
    static final String SMOLLM2 = "smollm2";
    private static final String SMOLLM2_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf";

    private DefaultModel() {
    }

    static Path stories260K() {
        Path home = Path.of(System.getProperty("heavykv.home", "."));
        return home.resolve("models/stories260K/stories260K.bin").toAbsolutePath().normalize();
    }

    /** Where SmolLM2 is once {@code ci/models.sh} ran; the file may be absent. */
    public static Path smolLm2File() {
        return modelCache(System.getenv(), System.getProperty("user.home")).resolve(SMOLLM2_FILE);
    }

    static Path modelCache(Map<String, String> environment, String userHome) {
        String override = environment.get("HEAVYKV_MODEL_CACHE");
        if (override != null && !override.isBlank()) return Path.of(override).toAbsolutePath().normalize();
        return Path.of(userHome, ".cache", "heavykv", "models");
    }

    /**
     * What {@code -m} names: a model name, or else a file path. A file that exists wins over a name, so
     * a model file called {@code smollm2} in the working directory still loads.
     */
    static Path resolve(Path given, Path smolLm2) {
        if (!given.toString().equalsIgnoreCase(SMOLLM2) || Files.exists(given)) return given;
        if (!Files.isRegularFile(smolLm2)) {
            throw new IllegalArgumentException("model smollm2 is not in the model cache (" + smolLm2
                    + "): run ci/models.sh to fetch it (HEAVYKV_MODEL_CACHE chooses another cache folder)");
        }
        return smolLm2;
    }
}
