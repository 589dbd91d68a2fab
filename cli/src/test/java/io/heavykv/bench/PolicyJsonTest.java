package io.heavykv.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.heavykv.eviction.H2oConfig;
import io.heavykv.eviction.Policies;
import io.heavykv.eviction.PolicyType;
import io.heavykv.eviction.PyramidKvConfig;
import io.heavykv.eviction.SnapKvConfig;
import io.heavykv.eviction.TargetMode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PolicyJsonTest {

    private static ObjectNode settings(String json) throws Exception {
        return (ObjectNode) BenchJson.MAPPER.readTree(json);
    }

    @Test
    void everyRegisteredPolicyReadsBackWhatItsSettingsSay() throws Exception {
        for (PolicyType type : Policies.all()) {
            ObjectNode written = PolicyJson.settings(type.defaults());
            assertThat(written.get("policy").asText()).isEqualTo(type.name());
            assertThat(PolicyJson.bind(written, type.name())).as(type.name()).isEqualTo(type.defaults());
            assertThat(PolicyJson.bind(settings("{\"policy\": \"" + type.name() + "\"}"), type.name())).isEqualTo(type.defaults());
        }
    }

    @Test
    void nestedSettingsAreGivenFlat() throws Exception {
        var pyramid = (PyramidKvConfig) PolicyJson.bind(settings(
                "{\"policy\": \"pyramidkv\", \"beta\": 8, \"window_tokens\": 16, \"target_keep_ratio\": 0.2, \"pooling\": \"avg\"}"), "t");
        assertThat(pyramid.beta()).isEqualTo(8.0);
        assertThat(pyramid.snapKv().windowTokens()).isEqualTo(16);
        assertThat(pyramid.snapKv().pooling()).isEqualTo(SnapKvConfig.Pooling.AVG);
        assertThat(pyramid.schedule().targetKeepRatio()).isEqualTo(0.2);
        var h2o = (H2oConfig) PolicyJson.bind(settings("{\"policy\": \"h2o\", \"target_mode\": \"adaptive\", \"max_keep_tokens\": 64}"), "t");
        assertThat(h2o.schedule().targetMode()).isEqualTo(TargetMode.ADAPTIVE);
        assertThat(h2o.schedule().maxKeepTokens()).isEqualTo(64);
        assertThat(h2o.blockTokens()).isEqualTo(H2oConfig.defaults().blockTokens());
    }

    @Test
    void badSettingsAreErrorsNamingTheKey() {
        assertThatThrownBy(() -> PolicyJson.bind(settings("{\"policy\": \"tova\", \"schedule\": {}}"), "cfg"))
                .hasMessageContaining("cfg: unknown key 'schedule'");
        assertThatThrownBy(() -> PolicyJson.bind(settings("{\"policy\": \"snapkv\", \"kernel_size\": 2.5}"), "cfg"))
                .hasMessageContaining("key 'kernel_size' must be an integer, got 2.5");
        assertThatThrownBy(() -> PolicyJson.bind(settings("{\"policy\": \"snapkv\", \"decode\": \"lru\"}"), "cfg"))
                .hasMessageContaining("key 'decode' must be one of [h2o, window], got \"lru\"");
        assertThatThrownBy(() -> PolicyJson.bind(settings("{\"policy\": \"snapkv\", \"window_tokens\": \"8\"}"), "cfg"))
                .hasMessageContaining("key 'window_tokens' must be an integer");
        assertThatThrownBy(() -> PolicyJson.bind(settings("{\"policy\": \"h2o\", \"slack\": null}"), "cfg"))
                .hasMessageContaining("key 'slack' is null");
        assertThatThrownBy(() -> PolicyJson.bind(settings("{\"policy\": \"h2o\", \"target_keep_ratio\": 0}"), "cfg"))
                .hasMessageContaining("cfg: target_keep_ratio must be in (0, 1], got 0.0");
    }
}
