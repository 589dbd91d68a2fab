package io.heavykv.lossless;

import io.heavykv.codec.Dictionaries;
import io.heavykv.codec.GroupCounts;
import io.heavykv.codec.StreamCoder;
import io.heavykv.kvcache.KvDType;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class ModelRetirementTest {
    /**
     * The race the runtime met: it read which models were in use, an encoder then registered a new current
     * model, and the retirement that followed dropped it, so the next frame named an unknown model. Replayed
     * here step by step on one thread, in that order.
     */
    @Test
    void aModelRegisteredAfterTheRetirementReadWhatIsInUseSurvivesIt() {
        LosslessConfig config = LosslessConfig.off().withMode(LosslessMode.STORE).withCodec("context_model", 3, false);
        Dictionaries dictionaries = new Dictionaries();
        StreamCoder[][] streams = {{config.streamCoder(dictionaries, true, new GroupCounts()), config.streamCoder(dictionaries, true, new GroupCounts())}};
        int tokens = 16;
        byte[][] pages = new byte[3][];
        SplittableRandom random = new SplittableRandom(5);
        for (int i = 0; i < pages.length; i++) {
            pages[i] = new byte[2 * tokens * 16 * 2];
            for (int b = 0; b < pages[i].length; b += 2) pages[i][b] = (byte) random.nextInt(4);
        }
        try (PageCodec encoder = new PageCodec(KvDType.FP16, 2, 8, streams, 3, dictionaries);
             PageCodec decoder = new PageCodec(KvDType.FP16, 2, 8, streams, 3, dictionaries)) {
            encoder.encode(0, pages[0], tokens, null, 1);   // the streams learn their first models
            PageFrames framed = encoder.encode(0, pages[1], tokens, null, 1);
            java.util.Set<Integer> inUse = java.util.Set.of();  // 1. the runtime reads what its held frames name: nothing yet
            // 2. the encoder's frame arrives (unpinned as the runtime takes it) but is stale and dropped
            dictionaries.unpin(framed.kDictionary());
            dictionaries.unpin(framed.vDictionary());
            dictionaries.retireModels(inUse::contains);   // 3. the retirement, with what step 1 read
            PageFrames next = encoder.encode(0, pages[2], tokens, null, 1);
            assertThat(next.kDictionary()).as("the frame names a context model").isNotZero();
            assertThat(decoder.decode(next)).isEqualTo(pages[2]);
            dictionaries.unpin(next.kDictionary());
            dictionaries.unpin(next.vDictionary());
        }
        streams[0][0].release();
        streams[0][1].release();
        dictionaries.retireModels(id -> false);
        assertThat(dictionaries.size()).as("models left once every stream and frame let go").isZero();
        dictionaries.closeAll();
    }
}
