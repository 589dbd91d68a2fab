package io.heavykv.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(10)
class DefaultModelTest {

    @Test
    void theModelCacheIsUnderTheHomeUnlessTheEnvironmentNamesOne(@TempDir Path dir) {
        assertThat(DefaultModel.modelCache(Map.of(), "/home/u")).isEqualTo(Path.of("/home/u/.cache/heavykv/models"));
        assertThat(DefaultModel.modelCache(Map.of("HEAVYKV_MODEL_CACHE", dir.toString()), "/home/u")).isEqualTo(dir);
        assertThat(DefaultModel.modelCache(Map.of("HEAVYKV_MODEL_CACHE", " "), "/home/u")).isEqualTo(Path.of("/home/u/.cache/heavykv/models"));
    }

    @Test
    void smollm2ResolvesToTheCachedFile(@TempDir Path dir) throws Exception {
        Path cached = Files.writeString(dir.resolve("SmolLM2-135M-Instruct.Q4_1.gguf"), "x");
        assertThat(DefaultModel.resolve(Path.of("smollm2"), cached)).isEqualTo(cached);
        assertThat(DefaultModel.resolve(Path.of("SmolLM2"), cached)).isEqualTo(cached);
    }

    @Test
    void aMissingSmollm2TellsTheUserToFetchIt(@TempDir Path dir) {
        Path absent = dir.resolve("SmolLM2-135M-Instruct.Q4_1.gguf");
        assertThatThrownBy(() -> DefaultModel.resolve(Path.of("smollm2"), absent))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ci/models.sh").hasMessageContaining(absent.toString());
    }

    @Test
    void otherPathsAndExistingFilesCalledSmollm2StayAsGiven(@TempDir Path dir) throws Exception {
        Path absent = dir.resolve("cache.gguf");
        assertThat(DefaultModel.resolve(Path.of("models/tiny.gguf"), absent)).isEqualTo(Path.of("models/tiny.gguf"));
        Path local = Files.writeString(dir.resolve("smollm2"), "x");
        assertThat(DefaultModel.resolve(local, absent)).isEqualTo(local);
    }
}
