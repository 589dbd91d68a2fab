package io.heavykv.lossless;

import io.heavykv.eviction.EvictionController;
import io.heavykv.runtime.KvCacheConfig;
import io.heavykv.eviction.SyntheticDriver;
import io.heavykv.kvcache.KvDType;
import io.heavykv.kvcache.KvGeometry;
import io.heavykv.kvcache.KvPage;
import io.heavykv.kvcache.PagedKvCache;
import io.heavykv.kvcache.PagedLayer;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.Tuple;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Store mode's own decode path under damage, end to end: a real cache fills, the runtime frames and releases its
 * pages, a held page's frames are damaged, and the runtime brings the page back, through a layer read (the
 * decode cache, then the parallel decoders) or a single-page restore, both through PageCodec's shape and
 * checksum checks. The page then holds exactly its bytes, or the runtime throws LosslessDecodeException: a
 * block that fails to decode is never served as KV.
 */
class RuntimePageCorruptionPropertiesTest {
    private static final KvGeometry GEOMETRY = SyntheticDriver.GEOMETRY;
    private static final int PAGE_TOKENS = 8;
    private static final int FILL_STEPS = 12;

    /** How the store codes its pages; codec "zstd" trains dictionaries, "context_model" context models. */
    record Store(KvDType dtype, String codec, int decodeCacheBlocks, long seed) {
        KvCacheConfig config() {
            LosslessConfig lossless = LosslessConfig.off().withMode(LosslessMode.STORE).withScope(LosslessScope.FRONT_N, GEOMETRY.layers())
                    .withHotZones(0, PAGE_TOKENS).withAsync(0, 64).withCodec(codec, 3, codec.equals("zstd"))
                    .withDecodeCache(decodeCacheBlocks, decodeCacheBlocks);
            return KvCacheConfig.defaults().withDType(dtype).withPageTokens(PAGE_TOKENS).withLossless(lossless);
        }
    }

    /** One kind of damage to a page's frames; {@code foreign} is another released page's frames. */
    sealed interface Damage {
        PageFrames apply(PageFrames frames, PageFrames foreign);
    }

    /** Bit flips in K or V, positions taken modulo the frame's bits; many more than the few a checksum surely catches. */
    record FlipBits(boolean inV, List<Integer> bits) implements Damage {
        public PageFrames apply(PageFrames f, PageFrames foreign) {
            byte[] frame = (inV ? f.v() : f.k()).clone();
            for (int bit : bits) frame[(bit / 8) % frame.length] ^= (byte) (1 << (bit % 8));
            return inV ? with(f, f.k(), frame) : with(f, frame, f.v());
        }
    }

    /** K or V cut to a fraction of its length (0: empty). */
    record Truncate(boolean inV, double kept) implements Damage {
        public PageFrames apply(PageFrames f, PageFrames foreign) {
            byte[] frame = inV ? f.v() : f.k();
            byte[] cut = Arrays.copyOf(frame, (int) Math.min(frame.length - 1, frame.length * kept));
            return inV ? with(f, f.k(), cut) : with(f, cut, f.v());
        }
    }

    /** The page's K and V frames exchanged: both valid frames, of the wrong stream. */
    record SwapKv() implements Damage {
        public PageFrames apply(PageFrames f, PageFrames foreign) { return with(f, f.v(), f.k()); }
    }

    /** K or V replaced by another page's valid frame of the same stream. */
    record Foreign(boolean inV) implements Damage {
        public PageFrames apply(PageFrames f, PageFrames foreign) {
            return inV ? with(f, f.k(), foreign.v()) : with(f, foreign.k(), f.v());
        }
    }

    /** The frames' token count off by {@code delta}: the shape check must catch frames of another shape. */
    record WrongTokens(int delta) implements Damage {
        public PageFrames apply(PageFrames f, PageFrames foreign) {
            return new PageFrames(f.k(), f.v(), f.version(), Math.max(1, f.tokens() + delta), f.rawBytes(), f.key(), f.kLabel(),
                    f.vLabel(), f.kDictionary(), f.vDictionary());
        }
    }

    private static PageFrames with(PageFrames f, byte[] k, byte[] v) {
        // The key stays the one made at encoding, as the runtime holds it: damage does not update it.
        return new PageFrames(k, v, f.version(), f.tokens(), f.rawBytes(), f.key(), f.kLabel(), f.vLabel(), f.kDictionary(), f.vDictionary());
    }

    @Provide
    Arbitrary<Store> stores() {
        // Edge cases of the seed add nothing a random seed does not: three parameters' edge cases would multiply.
        return Combinators.combine(Arbitraries.of(KvDType.values()), Arbitraries.of(LosslessConfig.AUTO, "zstd", "context_model"),
                Arbitraries.of(0, 64), Arbitraries.longs().withoutEdgeCases()).as(Store::new);
    }

    @Provide
    Arbitrary<Damage> damages() {
        Arbitrary<Damage> flips = Combinators.combine(Arbitraries.of(false, true),
                Arbitraries.integers().between(0, 1 << 20).list().ofMinSize(1).ofMaxSize(256)).as(FlipBits::new);
        Arbitrary<Damage> truncate = Combinators.combine(Arbitraries.of(false, true), Arbitraries.doubles().between(0, 1)).as(Truncate::new);
        Arbitrary<Damage> swap = Arbitraries.just(new SwapKv());
        Arbitrary<Damage> foreign = Arbitraries.of(false, true).map(Foreign::new);
        Arbitrary<Damage> tokens = Arbitraries.integers().between(-7, 7).filter(d -> d != 0).map(WrongTokens::new);
        return Arbitraries.frequencyOf(Tuple.of(4, flips), Tuple.of(2, truncate), Tuple.of(1, swap),
                Tuple.of(1, foreign), Tuple.of(1, tokens));
    }

    @Property(tries = 100)
    void aDamagedPageIsServedExactlyOrFailsClearly(@ForAll("stores") Store store, @ForAll("damages") Damage damage,
                                                    @ForAll boolean layerRead) {
        // Proof that the runs reach what the property is about (jqwik checks these over all tries).
        Statistics.label("frame codec").coverage(c -> c.check("dictionary").count(n -> n >= 5));
        Statistics.label("bit flips").coverage(c -> c.check("more than 4").count(n -> n >= 10));
        Statistics.label("outcome").coverage(c -> {
            c.check("clear error").count(n -> n >= 10);
            c.check("served from the decode cache").count(n -> n >= 3);
        });
        PagedKvCache<EvictionController> cache = store.config().open(GEOMETRY);
        try {
            LosslessRuntime runtime = (LosslessRuntime) cache.store();
            SplittableRandom random = new SplittableRandom(store.seed());
            for (int s = 0; s < FILL_STEPS; s++) step(cache, random);
            List<Held> held = released(cache, runtime);
            assertThat(held).as("released framed pages").hasSizeGreaterThanOrEqualTo(2);
            Held victim = held.get(random.nextInt(held.size()));
            Held other = held.get((held.indexOf(victim) + 1) % held.size());
            // Its bytes, brought back once through the runtime from intact frames; the next step releases it again.
            runtime.restore(victim.layer(), victim.page());
            byte[] original = victim.page().rawBytes();
            step(cache, random);
            PageFrames frames = runtime.framesOf(victim.layer(), victim.page());
            assertThat(victim.page().resident()).as("the victim is released again").isFalse();
            assertThat(frames).isNotNull();
            Statistics.label("damage").collect(damage.getClass().getSimpleName());
            Statistics.label("frame codec").collect(frames.kLabel().contains("+dict") || frames.vLabel().contains("+dict") ? "dictionary" : "plain");
            if (damage instanceof FlipBits flips) Statistics.label("bit flips").collect(flips.bits().size() > 4 ? "more than 4" : "1 to 4");
            runtime.replaceFrames(victim.layer(), victim.page(), damage.apply(frames, runtime.framesOf(other.layer(), other.page())));

            long hitsBefore = runtime.stats(1.0).decodeCacheHits();
            try {
                if (layerRead) runtime.beforeRead(victim.layer(), cache.layer(victim.layer()));
                else runtime.restore(victim.layer(), victim.page());
            } catch (LosslessDecodeException clear) {
                Statistics.label("outcome").collect("clear error");
                assertThat(clear.getMessage()).contains("layer " + victim.layer());
                return;
            } catch (RuntimeException | Error e) {
                fail("restoring a damaged page threw " + e, e);
            }
            Statistics.label("outcome").collect(runtime.stats(1.0).decodeCacheHits() > hitsBefore ? "served from the decode cache" : "decoded exactly");
            assertThat(victim.page().resident()).isTrue();
            assertThat(victim.page().rawBytes()).as("a damaged page served without error must hold its own bytes").isEqualTo(original);
        } finally {
            cache.close();
        }
    }

    /** A released page holding frames of its current version. */
    private record Held(int layer, KvPage page) { }

    private static List<Held> released(PagedKvCache<?> cache, LosslessRuntime runtime) {
        List<Held> held = new ArrayList<>();
        for (int l = 0; l < cache.layers(); l++) {
            PagedLayer layer = cache.layer(l);
            for (int p = 0; p < layer.pageCount(); p++) {
                KvPage page = layer.page(p);
                if (!page.resident() && runtime.framesOf(l, page) != null) held.add(new Held(l, page));
            }
        }
        return held;
    }

    /** One step of {@link #PAGE_TOKENS} tokens: a smooth signal per channel plus noise, like real KV, so every codec gets picked. */
    private static void step(PagedKvCache<?> cache, SplittableRandom random) {
        int position = cache.tokensSeen();
        int kvDim = GEOMETRY.kvDim();
        cache.beginStep(position, PAGE_TOKENS);
        for (int l = 0; l < cache.layers(); l++) {
            float[] k = new float[PAGE_TOKENS * kvDim];
            float[] v = new float[PAGE_TOKENS * kvDim];
            for (int i = 0; i < k.length; i++) {
                int channel = i % kvDim;
                double t = position + i / kvDim;
                k[i] = (float) (Math.sin(0.05 * t * (channel + 1) + l) + 0.05 * random.nextGaussian());
                v[i] = (float) (Math.cos(0.03 * t + channel) + 0.05 * random.nextGaussian());
            }
            cache.append(l, k, v);
        }
        cache.endStep();
    }
}
