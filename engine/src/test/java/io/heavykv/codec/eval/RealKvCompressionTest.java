package io.heavykv.codec.eval;

import io.heavykv.codec.CodecId;
import io.heavykv.kvcache.KvDType;
import io.heavykv.kvcache.PositionMode;
import io.heavykv.runtime.KvCacheConfig;
import io.heavykv.testing.RealKv;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Ratios on real FP16 KV of stories260K (prompt_512_1, 506 tokens, 5 layers x 32 channels), online
 * selection as a runtime does it. The floors sit a little under what was measured when dedup_planes came
 * in (ABSOLUTE, 64-token blocks: 1.172; CACHE_RELATIVE, 128-token blocks: 1.280), so a regression fails.
 */
class RealKvCompressionTest {
    private static final String PROMPT = "prompt_512_1.txt";

    private static EvaluationReport online(PositionMode mode, int blockTokens, List<CodecId> candidates) {
        KvDump dump = RealKv.capture(PROMPT, KvCacheConfig.defaults().withPositionMode(mode));
        assertThat(dump.header().dtype()).isEqualTo(KvDType.FP16);
        OfflineEvaluator.Options options = new OfflineEvaluator.Options(OfflineEvaluator.Mode.ONLINE_SIM, blockTokens,
                List.of(), candidates, 3, 16, 0, 16, true);
        return new OfflineEvaluator().evaluate(dump, options);
    }

    @Test
    void absolutePositionsIn64TokenBlocks() {
        assertThat(online(PositionMode.ABSOLUTE, 64, CodecId.all()).overall().ratio()).isGreaterThan(1.165);
    }

    @Test
    void cacheRelativePositionsIn128TokenBlocks() {
        assertThat(online(PositionMode.CACHE_RELATIVE, 128, CodecId.all()).overall().ratio()).isGreaterThan(1.27);
    }

    @Test
    void dedupPlanesWinsTheFirstLayerWhereRepeatedTokensRepeatRows() {
        List<CodecId> without = CodecId.all().stream().filter(c -> c != CodecId.DEDUP_PLANES).toList();
        EvaluationReport with = online(PositionMode.CACHE_RELATIVE, 128, CodecId.all());
        EvaluationReport before = online(PositionMode.CACHE_RELATIVE, 128, without);
        assertThat(with.layers().getFirst().stats().wins()).containsKey("dedup_planes");
        assertThat(with.layers().getFirst().stats().compressedBytes())
                .isLessThan(before.layers().getFirst().stats().compressedBytes());
    }

    /**
     * The first layer's repeated tokens are what context-model rows buy: without rows (as the runtime runs under
     * eviction) its frames grow, and the models the report counts beside the frames shrink by the rows.
     */
    @Test
    void modelRowsShrinkTheFirstLayersFramesAndCountAsModelMemory() {
        KvDump dump = RealKv.capture(PROMPT, KvCacheConfig.defaults().withPositionMode(PositionMode.ABSOLUTE_PRE_ROPE));
        OfflineEvaluator.Options rows = new OfflineEvaluator.Options(OfflineEvaluator.Mode.ONLINE_SIM, 64, List.of(0),
                List.of(CodecId.CONTEXT_MODEL), 3, 16, 0, 16, true);
        OfflineEvaluator.Options none = new OfflineEvaluator.Options(OfflineEvaluator.Mode.ONLINE_SIM, 64, List.of(0),
                List.of(CodecId.CONTEXT_MODEL), 3, 16, 0, 16, false);
        EvaluationReport with = new OfflineEvaluator().evaluate(dump, rows);
        EvaluationReport without = new OfflineEvaluator().evaluate(dump, none);
        assertThat(with.overall().compressedBytes()).isLessThan(without.overall().compressedBytes());
        assertThat(with.modelBytes()).isGreaterThan(without.modelBytes());
        LayerReport layer = with.layers().getFirst();
        assertThat(layer.keys().compressedBytes() + layer.values().compressedBytes()).isEqualTo(layer.stats().compressedBytes());
    }

    /**
     * The capture's rows are tokens: in the first layer V is a function of the token id alone, so two
     * positions hold the same V row exactly when they hold the same token.
     */
    @Test
    void captureKeepsEachTokensRowTogether() {
        KvDump dump = RealKv.capture(PROMPT, KvCacheConfig.defaults());
        int[] tokens = RealKv.tokens(PROMPT);
        assertThat(dump.header().tokens()).isEqualTo(tokens.length);
        int rowBytes = dump.header().channels() * 2;
        byte[] v = dump.stream(0, KvDump.Stream.V);
        Map<Integer, Integer> firstSeen = new HashMap<>();
        int repeats = 0;
        for (int t = 0; t < tokens.length; t++) {
            Integer first = firstSeen.putIfAbsent(tokens[t], t);
            if (first != null) {
                repeats++;
                assertThat(Arrays.equals(v, t * rowBytes, (t + 1) * rowBytes, v, first * rowBytes, (first + 1) * rowBytes))
                        .as("V rows of token %d at %d and %d", tokens[t], first, t).isTrue();
            }
        }
        assertThat(repeats).isGreaterThan(100);
        assertThat(firstSeen.size()).isLessThan(tokens.length);
        int distinctRows = (int) java.util.stream.IntStream.range(0, tokens.length)
                .mapToObj(t -> java.nio.ByteBuffer.wrap(Arrays.copyOfRange(v, t * rowBytes, (t + 1) * rowBytes))).distinct().count();
        assertThat(distinctRows).isEqualTo(firstSeen.size());
    }
}
