package io.heavykv.lossless;

import io.heavykv.kvcache.KvGeometry;
import io.heavykv.runtime.KvCacheConfig;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LosslessConfigTest {
    private final LosslessConfig base = LosslessConfig.off();

    @Test
    void absurdValuesAreRejectedNamingTheKnob() {
        assertThatThrownBy(() -> base.withCodec("auto", 99, true)).hasMessageContaining("zstd_level").hasMessageContaining("99");
        assertThatThrownBy(() -> base.withCodec("lzma", 3, true)).hasMessageContaining("lzma");
        assertThatThrownBy(() -> base.withAsync(-1, 8)).hasMessageContaining("async_threads");
        assertThatThrownBy(() -> base.withAsync(1, 0)).hasMessageContaining("queue_capacity");
        assertThatThrownBy(() -> base.withDecodeCache(-3, 0)).hasMessageContaining("decode_cache_blocks");
        assertThatThrownBy(() -> base.withHotZones(-1, 0)).hasMessageContaining("hot_sink_tokens");
        assertThatThrownBy(() -> base.withKeptSampling(0, 0)).hasMessageContaining("kept_sample_token_interval");
        assertThatThrownBy(() -> base.withDecodeBudget(1.5)).hasMessageContaining("decode_budget").hasMessageContaining("1.5");
        assertThatThrownBy(() -> base.withDecodeBudget(Double.NaN)).hasMessageContaining("decode_budget");
    }

    @Test
    void aScopeBeyondTheModelIsRejectedWhenTheCacheOpens() {
        KvCacheConfig config = KvCacheConfig.defaults()
                .withLossless(base.withMode(LosslessMode.STORE).withScope(LosslessScope.FRONT_N, 9));
        assertThatThrownBy(() -> config.open(new KvGeometry(5, 8, 4, 8, 10000f)))
                .hasMessageContaining("front_n 9").hasMessageContaining("5 layers");
    }

    @Test
    void namesParseAsTheEarlierEngineSpeltThem() {
        assertThat(LosslessScope.parse("front_n+h2o_kept")).isEqualTo(LosslessScope.FRONT_N_AND_H2O_KEPT);
        assertThat(LosslessScope.parse("front_n_and_h2o_kept")).isEqualTo(LosslessScope.FRONT_N_AND_H2O_KEPT);
        assertThat(LosslessScope.parse("h2o_kept")).isEqualTo(LosslessScope.H2O_KEPT);
        assertThat(LosslessMode.parse("Store")).isEqualTo(LosslessMode.STORE);
        assertThatThrownBy(() -> LosslessMode.parse("squeeze")).hasMessageContaining("squeeze");
        assertThat(base.withCodec("DELTA_PLANES_CM", 3, false).candidates()).hasSize(1);
    }

    @Test
    void fastChoosesAmongEveryCodecButTheContextModel() {
        assertThat(base.withCodec("auto", 3, false).candidates()).contains(io.heavykv.codec.CodecId.CONTEXT_MODEL);
        assertThat(base.withCodec("FAST", 3, false).candidates())
                .doesNotContain(io.heavykv.codec.CodecId.CONTEXT_MODEL)
                .hasSize(io.heavykv.codec.CodecId.all().size() - 1);
        assertThatThrownBy(() -> base.withCodec("fastest", 3, false)).hasMessageContaining("fastest");
    }

    @Test
    void offOpensNoStore() {
        assertThat(KvCacheConfig.defaults().open(new KvGeometry(5, 8, 4, 8, 10000f)).store())
                .isSameAs(io.heavykv.kvcache.PageStore.NONE);
    }
}
