package io.heavykv.lossless;

import io.heavykv.codec.Dictionaries;
import io.heavykv.eviction.schedule.Schedule;
import io.heavykv.eviction.H2oConfig;
import io.heavykv.eviction.TargetMode;
import io.heavykv.kvcache.KvDType;
import io.heavykv.kvcache.KvPage;
import io.heavykv.kvcache.PagedKvCache;
import io.heavykv.kvcache.PagedLayer;
import io.heavykv.runtime.Engine;
import io.heavykv.runtime.KvCacheConfig;
import io.heavykv.runtime.Session;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The lossless runtime on the real model: bit-identical logits, real page drops, failures handled. */
class LosslessRuntimeTest {
    private static final int STEPS = 24;
    private static Engine engine;
    private static int[] prompt;
    private static LogitTrace baseline;

    @BeforeAll
    static void baseline() throws Exception {
        engine = LogitTrace.stories260K();
        prompt = LogitTrace.prompt(engine, "prompt_512_1.txt");
        // The first run goes through the interpreter and C1, whose vector reductions add in another order
        // than C2's: logits differ in the last bits until the kernels are compiled. Compare warm runs only.
        for (int warmUp = 0; warmUp < 2; warmUp++) LogitTrace.run(engine, fp16(), prompt, STEPS, null, s -> { });
        baseline = LogitTrace.run(engine, fp16(), prompt, STEPS, null, s -> { });
    }

    @AfterAll
    static void unload() {
        engine.close();
    }

    private static KvCacheConfig fp16() {
        return KvCacheConfig.defaults().withDType(KvDType.FP16);
    }

    /** Every layer in scope, so most pages of the prompt are eligible. */
    private static LosslessConfig allLayers(LosslessMode mode, int threads) {
        return LosslessConfig.off().withMode(mode).withScope(LosslessScope.FRONT_N, 5).withAsync(threads, 64);
    }

    /** H2O keeping {@code ratio} of the tokens on every layer, re-planned every step, with FP16 KV. */
    private static KvCacheConfig h2o(double ratio) {
        return fp16().withPolicy(new H2oConfig(4, 0.3, 4, 32, Schedule.defaults().withTargetKeepRatio(ratio)));
    }

    /** Store mode on the pages H2O keeps, hot zones as small as H2O's own floors. */
    private static LosslessConfig keptPagesStore(int threads) {
        return LosslessConfig.off().withMode(LosslessMode.STORE).withScope(LosslessScope.H2O_KEPT, 0)
                .withHotZones(4, 32).withAsync(threads, 64);
    }

    private static void assertSameLogits(LogitTrace trace) {
        assertThat(trace.logitBits()).hasSameSizeAs(baseline.logitBits());
        for (int s = 0; s < trace.logitBits().size(); s++) {
            assertThat(trace.logitBits().get(s)).as("logit bits at step %d", s).isEqualTo(baseline.logitBits().get(s));
        }
    }

    private static LosslessStats stats(Session session) {
        return session.figures().lossless();
    }

    @ParameterizedTest(name = "{0} encode threads")
    @ValueSource(ints = {0, 2})
    void storeModeGivesBitIdenticalLogitsWhileHoldingPagesOnlyAsFrames(int threads) {
        AtomicLong maxReleased = new AtomicLong();
        AtomicLong lastRestores = new AtomicLong();
        LogitTrace trace = LogitTrace.run(engine, fp16().withLossless(allLayers(LosslessMode.STORE, threads)), prompt,
                STEPS, baseline.tokens(), session -> {
                    LosslessStats stats = stats(session);
                    maxReleased.accumulateAndGet(stats.releasedPages(), Math::max);
                    lastRestores.set(stats.restores());
                    assertThat(stats.decodeFailures()).isZero();
                });
        assertSameLogits(trace);
        assertThat(maxReleased.get()).as("pages held only as frames").isPositive();
        assertThat(lastRestores.get()).as("released pages restored for attention").isPositive();
    }

    @Test
    void storeModeReallyShrinksTheResidentCache() {
        try (Session plain = engine.openSession(fp16(), LogitTrace.CONTEXT, 64);
             Session store = engine.openSession(fp16().withLossless(allLayers(LosslessMode.STORE, 0)), LogitTrace.CONTEXT, 64)) {
            plain.prefill(prompt);
            store.prefill(prompt);
            store.decode(baseline.tokens()[0]);
            plain.decode(baseline.tokens()[0]);
            assertThat(store.cache().residentBytes()).isLessThan(plain.cache().residentBytes());
            LosslessStats stats = stats(store);
            assertThat(stats.releasedPages()).isPositive();
            assertThat(stats.storedBytes()).isPositive().isLessThan(stats.rawBytes());
        }
    }

    /**
     * Every byte store mode keeps counts: a decode cache, which holds decoded pages between steps, makes the
     * ratio on all kept KV and the memory held worse by what it holds. (Whether store mode holds less than H2O
     * alone depends on the model's size against its codec models': SmolLM2's scenarios judge it.)
     */
    @Test
    void storeModeCountsEveryByteItHolds() {
        LosslessConfig noCache = keptPagesStore(0).withDecodeCache(0, 0);
        try (Session lean = engine.openSession(h2o(0.5).withLossless(noCache), LogitTrace.CONTEXT, 64);
             Session cached = engine.openSession(h2o(0.5).withLossless(noCache.withDecodeCache(64, 64)), LogitTrace.CONTEXT, 64)) {
            for (Session s : new Session[] {lean, cached}) {
                s.prefill(prompt);
                for (int t = 0; t < 4; t++) s.decode(baseline.tokens()[t]);
            }
            LosslessStats leanStats = stats(lean);
            LosslessStats cachedStats = stats(cached);
            assertThat(leanStats.residentBytes()).isEqualTo(lean.cache().residentBytes());
            assertThat(leanStats.releasedPages()).isPositive();
            assertThat(cachedStats.releasedPages()).isEqualTo(leanStats.releasedPages());
            assertThat(cachedStats.overheadBytes()).as("the decode cache's pages count")
                    .isGreaterThan(leanStats.overheadBytes());
            assertThat(cachedStats.keptRatio()).isLessThan(leanStats.keptRatio());
            assertThat(cachedStats.heldBytes()).isGreaterThan(leanStats.heldBytes());
        }
    }

    @Test
    void fullModeKeepsRawPagesAndReportsARatioAboveOne() {
        try (Session session = engine.openSession(fp16().withLossless(allLayers(LosslessMode.FULL, 0)), LogitTrace.CONTEXT, 64)) {
            session.prefill(prompt);
            for (int s = 0; s < 4; s++) session.decode(baseline.tokens()[s]);
            LosslessStats stats = stats(session);
            assertThat(stats.framedPages()).isPositive();
            assertThat(stats.releasedPages()).isZero();
            assertThat(stats.losslessRatio()).isGreaterThan(1.0);
            assertThat(stats.totalRatio()).isEqualTo(stats.losslessRatio() * stats.lossyRatio());
            assertThat(stats.fallbacks()).isZero();
            assertThat(stats.decodeCacheHits() + stats.decodeCacheMisses()).isPositive();
            assertThat(stats.codecWins().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(2 * stats.pagesEncoded());
            // Every codec is a candidate, so each stream trains a context model, whose memory is reported.
            assertThat(stats.modelBytes()).isPositive();
            assertThat(LosslessStats.off(1.0).modelBytes()).isZero();
            assertThat(stats.hookMicros()).as("time in the runtime's hooks").isPositive();
            assertThat(stats.overheadBytes()).as("frames plus decode cache").isGreaterThanOrEqualTo(stats.storedBytes());
        }
    }

    @Test
    void probeModeFramesOnlyASampleOfThePages() {
        try (Session full = engine.openSession(fp16().withLossless(allLayers(LosslessMode.FULL, 0)), LogitTrace.CONTEXT, 64);
             Session probe = engine.openSession(fp16().withLossless(allLayers(LosslessMode.PROBE, 0)), LogitTrace.CONTEXT, 64)) {
            full.prefill(prompt);
            probe.prefill(prompt);
            full.decode(baseline.tokens()[0]);
            probe.decode(baseline.tokens()[0]);
            assertThat(stats(probe).framedPages()).isPositive().isLessThan(stats(full).framedPages());
            assertThat(stats(probe).losslessRatio()).isGreaterThan(1.0);
        }
    }

    /** A released page of some layer, and its frames. */
    private record Framed(int layer, KvPage page, PageFrames frames) { }

    private static Framed someFramedPage(Session session, boolean released) {
        PagedKvCache<?> cache = session.cache();
        LosslessRuntime runtime = (LosslessRuntime) cache.store();
        for (int l = 0; l < cache.layers(); l++) {
            PagedLayer layer = cache.layer(l);
            for (int p = 0; p < layer.pageCount(); p++) {
                KvPage page = layer.page(p);
                PageFrames frames = runtime.framesOf(l, page);
                if (frames != null && page.resident() != released) return new Framed(l, page, frames);
            }
        }
        throw new AssertionError("no " + (released ? "released" : "resident") + " framed page");
    }

    /** The raw page is gone: its sequence ends with a clear error, while the engine and other sequences go on. */
    @Test
    void aCorruptFrameInStoreModeEndsTheSequenceNamingLayerAndPage() {
        LosslessConfig noCache = allLayers(LosslessMode.STORE, 0).withDecodeCache(0, 0);
        try (Session session = engine.openSession(fp16().withLossless(noCache), LogitTrace.CONTEXT, 64)) {
            session.prefill(prompt);
            Framed victim = someFramedPage(session, true);
            victim.frames().v()[victim.frames().v().length / 2] ^= 0x5A;
            assertThatThrownBy(() -> session.decode(baseline.tokens()[0]))
                    .isInstanceOf(LosslessDecodeException.class)
                    .hasMessageContaining("layer " + victim.layer() + " page ")
                    .hasMessageContaining("positions " + victim.page().position(0) + "..")
                    .hasMessageContaining("does not decode");
            assertThat(stats(session).decodeFailures()).isEqualTo(1);
            assertThatThrownBy(() -> session.decode(baseline.tokens()[0]))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("this sequence ended at position " + prompt.length)
                    .hasMessageContaining("does not decode")
                    .hasMessageNotContaining("beginStep");
            assertSameLogits(LogitTrace.run(engine, fp16().withLossless(noCache), prompt, STEPS, baseline.tokens(), s -> { }));
            session.reset();
            float[] logits = session.prefill(prompt);
            assertThat(Float.floatToIntBits(logits[0])).isEqualTo(baseline.logitBits().getFirst()[0]);
        }
    }

    /** With recomputation on, a frame that does not decode costs a rebuild of the cache, not the sequence. */
    @Test
    void aCorruptFrameInStoreModeIsRecomputedWhenAsked() {
        LosslessConfig noCache = allLayers(LosslessMode.STORE, 0).withDecodeCache(0, 0);
        assertRecomputes(fp16(), fp16().withLossless(noCache));
    }

    /** Under H2O the rebuild replays every step with its own size, so the same plans make the same cache. */
    @Test
    void aCorruptFrameUnderH2oIsRecomputedIntoTheSameCache() {
        KvCacheConfig h2o = h2o(0.5);
        assertRecomputes(h2o, h2o.withLossless(keptPagesStore(0).withDecodeCache(0, 0)));
    }

    private void assertRecomputes(KvCacheConfig plain, KvCacheConfig compressed) {
        LogitTrace expected = LogitTrace.run(engine, plain, prompt, STEPS, baseline.tokens(), s -> { });
        AtomicLong recoveries = new AtomicLong();
        int[] corruptAt = {STEPS / 2};
        LogitTrace trace = LogitTrace.run(engine, compressed, prompt, STEPS, baseline.tokens(), session -> {
            session.recomputeLostPages(true);
            if (corruptAt[0]-- == 0) {
                Framed victim = someFramedPage(session, true);
                victim.frames().v()[victim.frames().v().length / 2] ^= 0x5A;
            }
            recoveries.set(session.recoveries());
        });
        for (int s = 0; s < expected.logitBits().size(); s++) {
            assertThat(trace.logitBits().get(s)).as("logit bits at step %d", s).isEqualTo(expected.logitBits().get(s));
        }
        assertThat(recoveries.get()).as("cache rebuilds").isEqualTo(1);
    }

    @Test
    void aCorruptFrameInFullModeIsServedRawAndCounted() {
        LosslessConfig noCache = allLayers(LosslessMode.FULL, 0).withDecodeCache(0, 0);
        AtomicLong fallbacks = new AtomicLong();
        boolean[] corrupted = {false};
        LogitTrace trace = LogitTrace.run(engine, fp16().withLossless(noCache), prompt, STEPS, baseline.tokens(), session -> {
            if (!corrupted[0]) {
                Framed victim = someFramedPage(session, false);
                victim.frames().k()[victim.frames().k().length - 3] ^= 0x11;
                corrupted[0] = true;
            }
            fallbacks.set(stats(session).fallbacks());
        });
        assertSameLogits(trace);
        assertThat(fallbacks.get()).isEqualTo(1);
    }

    @Test
    void evictionAndStoreModeComposeOnOneCache() {
        KvCacheConfig h2o = h2o(0.5);
        LogitTrace evicting = LogitTrace.run(engine, h2o, prompt, STEPS, baseline.tokens(), s -> { });
        LosslessConfig kept = keptPagesStore(0);
        AtomicLong maxReleased = new AtomicLong();
        LogitTrace both = LogitTrace.run(engine, h2o.withLossless(kept), prompt, STEPS, baseline.tokens(),
                s -> maxReleased.accumulateAndGet(stats(s).releasedPages(), Math::max));
        for (int s = 0; s < evicting.logitBits().size(); s++) {
            assertThat(both.logitBits().get(s)).as("logit bits at step %d", s).isEqualTo(evicting.logitBits().get(s));
        }
        assertThat(maxReleased.get()).isPositive();
    }

    /**
     * H2O compacts the pages it evicts from, which leaves most kept pages under-full: they must still be
     * compressed, or store mode under H2O holds almost nothing as frames. With encoding at the step boundary,
     * every settled page outside the hot zones (all but the page being appended to) is held as frames after
     * each step but the few whose page H2O has just changed.
     */
    @Test
    void storeModeUnderH2oHoldsTheCompactedKeptPagesAsFrames() {
        KvCacheConfig h2o = h2o(0.3333);
        LosslessConfig kept = keptPagesStore(0);
        try (Session session = engine.openSession(h2o.withLossless(kept), LogitTrace.CONTEXT, 64)) {
            session.prefill(prompt);
            int settled = 0;
            int released = 0;
            int underfullReleased = 0;
            for (int step = 0; step < STEPS; step++) {
                session.decode(baseline.tokens()[step]);
                PagedKvCache<?> cache = session.cache();
                for (int l = 0; l < cache.layers(); l++) {
                    PagedLayer layer = cache.layer(l);
                    int slot = 0;
                    for (int p = 0; p < layer.pageCount(); p++) {
                        KvPage page = layer.page(p);
                        boolean outsideHotZones = slot >= 4 && slot + page.count() <= layer.length() - 32;
                        slot += page.count();
                        if (!outsideHotZones || p == layer.pageCount() - 1) continue;
                        settled++;
                        if (!page.resident()) {
                            released++;
                            if (!page.isFull()) underfullReleased++;
                        }
                    }
                }
            }
            assertThat(settled).isPositive();
            assertThat(underfullReleased).as("pages H2O compacted, held as frames").isPositive();
            assertThat((double) released / settled).as("share of settled pages held as frames").isGreaterThan(0.8);
        }
    }

    /**
     * Each stream snapshots its context model as it learns; a superseded one goes once no held frame names it
     * (under H2O, pages change and their frames are made again with the newer model), and the frames that
     * remain keep theirs.
     */
    @ParameterizedTest(name = "{0} encode threads")
    @ValueSource(ints = {0, 2})
    void supersededContextModelsAreRetiredWhileEveryHeldFrameKeepsItsModel(int threads) {
        KvCacheConfig h2o = h2o(0.3333);
        LosslessConfig store = keptPagesStore(threads);
        try (Session session = engine.openSession(h2o.withLossless(store), LogitTrace.CONTEXT, 64)) {
            session.prefill(prompt);
            int steps = 3 * StreamModels.RETIRE_INTERVAL;
            for (int step = 0; step < steps; step++) session.decode(step < STEPS ? baseline.tokens()[step] : 1);
            LosslessRuntime runtime = (LosslessRuntime) session.cache().store();
            Dictionaries dictionaries = runtime.dictionaries();
            PagedKvCache<?> cache = session.cache();
            int framesNamingAModel = 0;
            for (int l = 0; l < cache.layers(); l++) {
                for (int p = 0; p < cache.layer(l).pageCount(); p++) {
                    PageFrames frames = runtime.framesOf(l, cache.layer(l).page(p));
                    if (frames == null) continue;
                    for (int id : new int[] {frames.kDictionary(), frames.vDictionary()}) {
                        if (id == 0) continue;
                        framesNamingAModel++;
                        assertThat(dictionaries.get(id)).as("model %d of a held frame", id).isNotNull();
                    }
                }
            }
            assertThat(framesNamingAModel).isPositive();
            assertThat(dictionaries.size()).as("models left of %d made", dictionaries.issued()).isLessThan(dictionaries.issued());
            assertThat(stats(session).decodeFailures()).isZero();
        }
    }

    /**
     * A decode budget no restore can meet keeps every page raw (and without frames beside it), so the
     * cost of restoring stays bounded; one that never binds releases as many pages as no budget. Attention
     * reads exactly the same KV either way.
     */
    @ParameterizedTest(name = "budget {0}")
    @ValueSource(doubles = {1e-6, 0.99})
    void aDecodeBudgetBoundsHowManyPagesStoreModeReleases(double budget) {
        LosslessConfig store = allLayers(LosslessMode.STORE, 0).withDecodeBudget(budget);
        AtomicLong released = new AtomicLong();
        AtomicLong framed = new AtomicLong();
        LogitTrace trace = LogitTrace.run(engine, fp16().withLossless(store), prompt, STEPS, baseline.tokens(), session -> {
            released.set(stats(session).releasedPages());
            framed.set(stats(session).framedPages());
        });
        assertSameLogits(trace);
        if (budget < 0.5) {
            assertThat(released.get()).as("pages released at the end").isLessThanOrEqualTo(1);
            assertThat(framed.get()).as("pages holding frames at the end").isLessThanOrEqualTo(2);
        } else {
            assertThat(released.get()).as("pages released at the end").isGreaterThan(10).isEqualTo(framed.get());
        }
    }

    @Test
    void closingSessionsStopsEveryEncodeWorker() {
        LosslessConfig async = allLayers(LosslessMode.STORE, 2);
        int[] shortPrompt = java.util.Arrays.copyOf(prompt, 160);
        for (int i = 0; i < 25; i++) {
            try (Session session = engine.openSession(fp16().withLossless(async), LogitTrace.CONTEXT, 64)) {
                session.prefill(shortPrompt);
                session.decode(baseline.tokens()[0]);
            }
        }
        assertThat(Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("heavykv-lossless-") && t.isAlive())).isEmpty();
    }

    @Test
    void resetStartsTheFiguresOver() {
        try (Session session = engine.openSession(fp16().withLossless(allLayers(LosslessMode.STORE, 0)), LogitTrace.CONTEXT, 64)) {
            session.prefill(prompt);
            session.decode(baseline.tokens()[0]);
            assertThat(stats(session).framedPages()).isPositive();
            session.reset();
            LosslessStats stats = stats(session);
            assertThat(stats.framedPages()).isZero();
            assertThat(stats.pagesEncoded()).isZero();
            assertThat(session.prefill(prompt)).isNotNull();
            assertThat(LogitTrace.bitsOf(session.decode(baseline.tokens()[0]))).isEqualTo(baseline.logitBits().get(1));
        }
    }
}
