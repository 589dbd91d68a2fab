package io.heavykv.lossless;

import io.heavykv.codec.CorruptFrameException;
import io.heavykv.codec.Dictionaries;
import io.heavykv.codec.GroupCounts;
import io.heavykv.codec.StreamCoder;
import io.heavykv.kvcache.KvDType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The runtime's own decode path (PageCodec: both frames, the shape check against the page, the dictionaries
 * the streams registered) under damage: a damaged page either fails as a corrupt frame or decodes to exactly
 * its bytes. Seeded, so a failure replays.
 */
@Timeout(60)
class PageCodecCorruptionTest {
    private static final int KV_HEADS = 2;
    private static final int HEAD_SIZE = 8;

    @Test
    void damagedPageFramesNeverDecodeToOtherBytes() {
        SplittableRandom random = new SplittableRandom(14);
        for (String codec : new String[] {LosslessConfig.AUTO, "zstd", "context_model"}) {
            LosslessConfig config = LosslessConfig.off().withMode(LosslessMode.STORE).withCodec(codec, 3, codec.equals("zstd"));
            Dictionaries dictionaries = new Dictionaries();
            StreamCoder[][] streams = {{config.streamCoder(dictionaries, true, new GroupCounts()), config.streamCoder(dictionaries, true, new GroupCounts())}};
            try (PageCodec codecs = new PageCodec(KvDType.FP16, KV_HEADS, HEAD_SIZE, streams, 3, dictionaries)) {
                for (int page = 0; page < 40; page++) {
                    int tokens = 1 + random.nextInt(32);
                    byte[] raw = page(random, tokens);
                    PageFrames frames = codecs.encode(0, raw, tokens, null, page);
                    assertThat(codecs.decode(frames)).isEqualTo(raw);
                    for (int damage = 0; damage < 25; damage++) {
                        assertDecodesExactlyOrFails(codecs, damaged(frames, random), raw);
                    }
                }
            } finally {
                dictionaries.closeAll();
            }
        }
    }

    /** FP16 values of a smooth signal plus noise, like real KV: compressible, so every codec gets picked. */
    private static byte[] page(SplittableRandom random, int tokens) {
        byte[] raw = new byte[2 * tokens * KV_HEADS * HEAD_SIZE * 2];
        for (int i = 0; i < raw.length; i += 2) {
            short h = Float.floatToFloat16((float) Math.sin(i * 0.01) + (float) random.nextGaussian() * 0.05f);
            raw[i] = (byte) h;
            raw[i + 1] = (byte) (h >> 8);
        }
        return raw;
    }

    /** One of: bit flips in K or V (1 to 64), a cut, the frames swapped, or a token count that is not the page's. */
    private static PageFrames damaged(PageFrames f, SplittableRandom random) {
        byte[] k = f.k().clone();
        byte[] v = f.v().clone();
        int tokens = f.tokens();
        switch (random.nextInt(4)) {
            case 0 -> {
                byte[] target = random.nextBoolean() ? k : v;
                for (int n = 1 + random.nextInt(64); n > 0; n--) target[random.nextInt(target.length)] ^= (byte) (1 << random.nextInt(8));
            }
            case 1 -> k = java.util.Arrays.copyOf(k, random.nextInt(k.length));
            case 2 -> {
                byte[] swap = k;
                k = v;
                v = swap;
                if (java.util.Arrays.equals(k, v)) k = java.util.Arrays.copyOf(k, k.length - 1);
            }
            default -> tokens = tokens == 1 ? 2 : tokens - 1;
        }
        return new PageFrames(k, v, f.version(), tokens, f.rawBytes(), f.key(), f.kLabel(), f.vLabel(), f.kDictionary(), f.vDictionary());
    }

    private static void assertDecodesExactlyOrFails(PageCodec codec, PageFrames frames, byte[] original) {
        byte[] out;
        try {
            out = codec.decode(frames);
        } catch (CorruptFrameException expected) {
            return;
        } catch (RuntimeException | Error e) {
            fail("decoding a damaged page threw " + e, e);
            return;
        }
        assertThat(out).as("a damaged page decoded without error, so it must be the original").isEqualTo(original);
    }
}
