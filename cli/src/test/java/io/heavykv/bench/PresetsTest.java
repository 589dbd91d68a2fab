package io.heavykv.bench;

import io.heavykv.eviction.FullConfig;
import io.heavykv.eviction.H2oConfig;
import io.heavykv.eviction.StreamingConfig;
import io.heavykv.eviction.TargetMode;
import io.heavykv.kvcache.KvDType;
import io.heavykv.kvcache.PositionMode;
import io.heavykv.lossless.LosslessConfig;
import io.heavykv.lossless.LosslessMode;
import io.heavykv.lossless.LosslessScope;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PresetsTest {
    @TempDir
    Path dir;

    private static String preset(String configs) {
        return "{\"name\": \"p\", \"matrix\": {\"prompt_tokens\": [16, 32], \"generate_tokens\": 8, \"repeats\": 2},"
                + " \"baseline\": {\"name\": \"baseline\", \"policy\": \"full\"},"
                + " \"base\": {\"policy\": \"h2o\", \"block_tokens\": 8, \"recent_tokens\": 16},"
                + " \"configs\": [" + configs + "]}";
    }

    @Test
    void configsAreTheBaseOverlaidWithTheirOwnKeys() {
        Preset p = Presets.parse(preset("{\"name\": \"a\", \"target_keep_ratio\": 0.25, \"target_mode\": \"adaptive\"},"
                + " {\"name\": \"b\", \"block_tokens\": 2, \"dtype\": \"fp32\", \"position_mode\": \"cache_relative\"}"), "test");
        assertThat(p.matrix()).isEqualTo(new RunMatrix(List.of(16, 32), List.of(8), 2));
        assertThat(p.allConfigs()).extracting(BenchConfig::id).containsExactly("baseline", "a", "b");
        assertThat(p.baseline().orElseThrow().cache().policy()).isEqualTo(new FullConfig());
        H2oConfig a = (H2oConfig) p.configs().get(0).cache().policy();
        assertThat(a.blockTokens()).isEqualTo(8);
        assertThat(a.recentTokens()).isEqualTo(16);
        assertThat(a.schedule().targetKeepRatio()).isEqualTo(0.25);
        assertThat(a.schedule().targetMode()).isEqualTo(TargetMode.ADAPTIVE);
        assertThat(a.emaAlpha()).isEqualTo(H2oConfig.defaults().emaAlpha());
        BenchConfig b = p.configs().get(1);
        assertThat(((H2oConfig) b.cache().policy()).blockTokens()).isEqualTo(2);
        assertThat(b.cache().dtype()).isEqualTo(KvDType.FP32);
        assertThat(b.cache().positionMode()).isEqualTo(PositionMode.CACHE_RELATIVE);
    }

    @Test
    void positionModesParseByEnumName() {
        Preset p = Presets.parse(preset("{\"name\": \"a\", \"position_mode\": \"absolute-pre-rope\"}"), "test");
        assertThat(p.configs().get(0).cache().positionMode()).isEqualTo(PositionMode.ABSOLUTE_PRE_ROPE);
    }

    @Test
    void bundledPresetsLoad() throws IOException {
        assertThat(Presets.bundled()).contains("target-ratio", "target-speed", "joint-scope", "store");
        Preset ratio = Presets.load("target-ratio");
        assertThat(ratio.configs()).allSatisfy(c -> assertThat(c.cache().policy()).isInstanceOf(H2oConfig.class));
        assertThat(ratio.configs()).anySatisfy(c -> assertThat(((H2oConfig) c.cache().policy()).schedule().targetKeepRatio()).isBetween(0.3, 0.34));
        assertThat(ratio.gates()).isPresent();
        assertThat(Presets.load("target-speed.json").baseline()).isPresent();
        Preset joint = Presets.load("joint-scope");
        assertThat(joint.configs()).allSatisfy(c -> assertThat(c.cache().lossless().scope()).isEqualTo(LosslessScope.FRONT_N_AND_H2O_KEPT));
        assertThat(joint.configs()).extracting(c -> c.cache().lossless().frontN()).containsExactly(2, 1);
        assertThat(joint.baseline().orElseThrow().cache().lossless().enabled()).isFalse();
        assertThat(Presets.load("store").configs()).allSatisfy(c -> assertThat(c.cache().lossless().mode()).isEqualTo(LosslessMode.STORE));
    }

    @Test
    void presetsLoadFromAFilePathAndUnknownNamesListTheBundledOnes() throws IOException {
        Path file = dir.resolve("mine.json");
        Files.writeString(file, "{\"matrix\": {}, \"configs\": [{\"name\": \"x\", \"policy\": \"streaming\", \"sink\": 2, \"window\": 30}]}");
        Preset p = Presets.load(file.toString());
        assertThat(p.configs().get(0).cache().policy()).isEqualTo(new StreamingConfig(2, 30));
        assertThat(p.name()).isEqualTo(file.toString());
        assertThat(p.matrix()).isEqualTo(new RunMatrix(List.of(128), List.of(32), 1));
        assertThatThrownBy(() -> Presets.load("no-such-preset")).hasMessageContaining("target-ratio");
    }

    @Test
    void configFilesMayHoldOneConfigAListOrAPreset() throws IOException {
        Path one = dir.resolve("one.json");
        Files.writeString(one, "{\"policy\": \"h2o\", \"target_keep_ratio\": 0.5}");
        assertThat(Presets.loadConfigs(one)).extracting(BenchConfig::id).containsExactly("one");
        Path list = dir.resolve("list.json");
        Files.writeString(list, "[{\"name\": \"f\"}, {\"name\": \"s\", \"policy\": \"streaming\"}]");
        assertThat(Presets.loadConfigs(list)).extracting(BenchConfig::id).containsExactly("f", "s");
        Path preset = dir.resolve("preset.json");
        Files.writeString(preset, preset("{\"name\": \"a\"}"));
        assertThat(Presets.loadConfigs(preset)).extracting(BenchConfig::id).containsExactly("baseline", "a");
    }

    @Test
    void unknownKeysAreRejectedNamingTheKeyAndWhere() {
        assertThatThrownBy(() -> Presets.parse(preset("{\"name\": \"a\", \"blok_tokens\": 4}"), "test"))
                .hasMessageContaining("configs[0]").hasMessageContaining("'a'").hasMessageContaining("unknown key 'blok_tokens'")
                .hasMessageContaining("block_tokens");
        assertThatThrownBy(() -> Presets.parse(preset("{\"name\": \"a\"}").replace("\"repeats\"", "\"repeat\""), "test"))
                .hasMessageContaining("unknown key 'repeat'");
        assertThatThrownBy(() -> Presets.parse("{\"configs\": [{}], \"extra\": 1}", "test")).hasMessageContaining("unknown key 'extra'");
    }

    @Test
    void losslessSectionsMapToTheLosslessConfigAndAreCheckedStrictly() {
        Preset p = Presets.parse(preset("{\"name\": \"a\", \"lossless\": {\"scope\": \"front_n+h2o_kept\", \"front_n\": 1,"
                + " \"codec\": \"zstd\", \"async_threads\": 0, \"decode_cache_blocks\": 2}}"), "test");
        LosslessConfig l = p.configs().get(0).cache().lossless();
        assertThat(l.mode()).isEqualTo(LosslessMode.PROBE);
        assertThat(l.scope()).isEqualTo(LosslessScope.FRONT_N_AND_H2O_KEPT);
        assertThat(l.frontN()).isEqualTo(1);
        assertThat(l.codec()).isEqualTo("zstd");
        assertThat(l.asyncThreads()).isZero();
        assertThat(l.decodeCacheBlocks()).isEqualTo(2);
        assertThatThrownBy(() -> Presets.parse(preset("{\"name\": \"a\", \"lossless\": {\"mode\": \"store\", \"frontn\": 1}}"), "test"))
                .hasMessageContaining("key 'lossless'").hasMessageContaining("unknown key 'frontn'");
        assertThatThrownBy(() -> Presets.parse(preset("{\"name\": \"a\", \"lossless\": {\"mode\": \"always\"}}"), "test"))
                .hasMessageContaining("key 'lossless'").hasMessageContaining("unknown lossless mode 'always'");
        assertThatThrownBy(() -> Presets.parse(preset("{\"name\": \"a\", \"lossless\": {\"queue_capacity\": 0}}"), "test"))
                .hasMessageContaining("queue_capacity");
        assertThatThrownBy(() -> Presets.parse(preset("{\"name\": \"a\", \"lossless\": true}"), "test"))
                .hasMessageContaining("key 'lossless' must be a JSON object");
    }

    @Test
    void keysOfAnotherPolicyAreRejected() {
        assertThatThrownBy(() -> Presets.parse(preset("{\"name\": \"a\", \"window\": 64}"), "test"))
                .hasMessageContaining("key 'window' does not apply to policy h2o");
        assertThatThrownBy(() -> Presets.parse(preset("{\"name\": \"a\", \"policy\": \"full\"}"), "test"))
                .hasMessageContaining("does not apply to policy full");
    }

    @Test
    void badValuesAreRejectedNamingTheKey() {
        assertThatThrownBy(() -> Presets.parse(preset("{\"name\": \"a\", \"block_tokens\": 0}"), "test"))
                .hasMessageContaining("'a'").hasMessageContaining("block_tokens").hasMessageContaining("got 0");
        assertThatThrownBy(() -> Presets.parse(preset("{\"name\": \"a\", \"target_keep_ratio\": 1.5}"), "test"))
                .hasMessageContaining("target_keep_ratio");
        assertThatThrownBy(() -> Presets.parse(preset("{\"name\": \"a\", \"page_tokens\": \"32\"}"), "test"))
                .hasMessageContaining("key 'page_tokens' must be an integer").hasMessageContaining("\"32\"");
        assertThatThrownBy(() -> Presets.parse(preset("{\"name\": \"a\", \"update_interval\": 2.5}"), "test"))
                .hasMessageContaining("key 'update_interval' must be an integer");
        assertThatThrownBy(() -> Presets.parse(preset("{\"name\": \"a\", \"target_mode\": \"sometimes\"}"), "test"))
                .hasMessageContaining("key 'target_mode' must be one of [static, adaptive]");
        assertThatThrownBy(() -> Presets.parse(preset("{\"name\": \"a\", \"policy\": \"lru\"}"), "test"))
                .hasMessageContaining("key 'policy' must be one of [full, streaming, h2o");
        assertThatThrownBy(() -> Presets.parse(preset("{\"name\": \"a\"}").replace("[16, 32]", "[16, -1]"), "test"))
                .hasMessageContaining("key 'prompt_tokens' must be positive");
        assertThatThrownBy(() -> Presets.parse(preset("{\"name\": \"baseline\"}"), "test"))
                .hasMessageContaining("'baseline' twice");
        assertThatThrownBy(() -> Presets.parse(preset(""), "test")).hasMessageContaining("'configs' must be a non-empty list");
        assertThatThrownBy(() -> Presets.parse("{\"configs\": [", "test.json")).hasMessageContaining("test.json is not valid JSON");
    }
}
