package io.heavykv.steps;

import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;
import io.heavykv.bench.CacheVariant;
import io.heavykv.bench.chart.Charts;
import io.heavykv.bench.quality.EvalText;
import io.heavykv.bench.quality.PerplexityEvaluator;
import io.heavykv.bench.quality.PerplexityReport;
import io.heavykv.bench.quality.PerplexityResult;
import io.heavykv.bench.stress.StressReport;
import io.heavykv.bench.stress.StressRun;
import io.heavykv.bench.stress.StressRunner;
import io.heavykv.eviction.FullConfig;
import io.heavykv.eviction.H2oConfig;
import io.heavykv.lossless.LosslessConfig;
import io.heavykv.lossless.LosslessMode;
import io.heavykv.runtime.KvCacheConfig;
import io.qameta.allure.Allure;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Perplexity and KV memory: how much eviction costs in quality, and what it saves in memory. */
public final class QualitySteps {
    private static final int WINDOW = 512;
    private final ScenarioContext context;
    private PerplexityReport perplexity;
    private StressReport stress;

    public QualitySteps(ScenarioContext context) {
        this.context = context;
    }

    @When("I score {int} windows of the held-out text {word} with the full cache, StreamingLLM and H2O at a budget of {int} tokens")
    public void iScoreWindows(int windows, String text, int budget) {
        EvalText whole = context.bundledText(text);
        EvalText slice = new EvalText(text + " windows 1-" + windows, whole.slice(0, windows * (WINDOW - 1)));
        KvCacheConfig storage = KvCacheConfig.defaults();
        List<CacheVariant> variants = List.of(CacheVariant.streaming(storage, 4, budget),
                CacheVariant.capacity(storage, H2oConfig.defaults(), budget));
        perplexity = new PerplexityEvaluator(context.engine(), storage, WINDOW).evaluate(List.of(slice), variants);
        attachPerplexity();
    }

    /**
     * Long windows score their tail only (the prefix is fed as a prompt, see {@link PerplexityEvaluator}); the
     * budget is the window over the lossy ratio, rounded down, so the lossy ratio at the window's end is at least that.
     */
    @When("I score the last {int} tokens of {int} window(s) of {int} tokens of the held-out text {word} with the full cache, StreamingLLM and H2O at the budget for {double}x lossy")
    public void iScoreWindowTails(int tail, int windows, int window, String text, double lossy) {
        EvalText whole = context.bundledText(text);
        EvalText slice = new EvalText(text + " windows 1-" + windows, whole.slice(0, windows * (window - 1)));
        KvCacheConfig storage = context.cacheConfig().withPolicy(new FullConfig());
        int budget = (int) Math.floor(window / lossy);
        List<CacheVariant> variants = List.of(CacheVariant.streaming(storage, 4, budget),
                CacheVariant.capacity(storage, H2oConfig.defaults(), budget));
        perplexity = new PerplexityEvaluator(context.engine(), storage, window, tail).evaluate(List.of(slice), variants);
        attachPerplexity();
    }

    private void attachPerplexity() {
        List<List<?>> rows = new ArrayList<>();
        for (PerplexityResult r : perplexity.rows()) {
            rows.add(List.of(r.label(), round(r.perplexity()), round(100 * r.perplexityRelative()), round(r.meanKl()),
                    round(r.keepRatio()), round(r.evictingLossyRatio())));
        }
        Figures.table("perplexity and KL against the full cache", List.of("configuration", "perplexity", "delta %", "mean KL (nats)",
                "keep ratio", "lossy ratio"), rows);
        Figures.json("perplexity report", perplexity);
        png("perplexity vs KV budget", Charts.perplexityVsBudget(perplexity));
        Map<String, Object> against = new LinkedHashMap<>();
        against.put("H2O / StreamingLLM perplexity loss", round(row("h2o").perplexityDelta() / row("streaming").perplexityDelta()));
        against.put("H2O / StreamingLLM mean KL", round(row("h2o").meanKl() / row("streaming").meanKl()));
        against.put("H2O perplexity over the full cache %", round(100 * row("h2o").perplexityRelative()));
        Figures.keyValues("H2O against StreamingLLM", against);
    }

    @Then("H2O loses at most {int}% as much perplexity as StreamingLLM")
    public void h2oLosesAtMostAsMuchPerplexity(int percent) {
        assertThat(row("h2o").perplexityDelta()).as("H2O perplexity increase over the full cache")
                .isLessThanOrEqualTo(percent / 100.0 * row("streaming").perplexityDelta());
    }

    @Then("H2O's mean KL divergence is at most {int}% of StreamingLLM's")
    public void h2oKlIsAtMost(int percent) {
        assertThat(row("h2o").meanKl()).as("H2O mean KL against the full cache")
                .isLessThanOrEqualTo(percent / 100.0 * row("streaming").meanKl());
    }

    @Then("H2O's perplexity is within {double}% of the full cache")
    public void h2oIsWithinOfTheFullCache(double percent) {
        assertThat(100 * row("h2o").perplexityRelative()).as("H2O perplexity over the full cache, in %").isLessThanOrEqualTo(percent);
    }

    @Then("both evicting caches keep at most a third: lossy ratio at least {double}")
    public void bothKeepAtMostAThird(double ratio) {
        assertThat(row("h2o").evictingLossyRatio()).as("H2O lossy ratio").isGreaterThanOrEqualTo(ratio);
        assertThat(row("streaming").evictingLossyRatio()).as("StreamingLLM lossy ratio").isGreaterThanOrEqualTo(ratio);
    }

    @When("I decode to {int} tokens with the full cache, StreamingLLM and H2O at a budget of {int} tokens")
    public void iDecodeToWithEachCache(int tokens, int budget) {
        int[] prompt = context.engine().tokenizer().encode("Once upon a time", true, false);
        List<Integer> checkpoints = new ArrayList<>();
        for (int t = tokens / 4; t <= tokens; t += tokens / 4) checkpoints.add(t);
        KvCacheConfig storage = KvCacheConfig.defaults().withPageTokens(16);
        stress = new StressRunner(context.engine(), prompt, checkpoints, 0, 16).runAll(List.of(
                CacheVariant.full(storage), CacheVariant.streaming(storage, 4, budget),
                CacheVariant.capacity(storage, H2oConfig.defaults(), budget)), (label, done, total) -> { }, run -> { });
        List<List<?>> rows = new ArrayList<>();
        for (StressRun run : stress.runs()) {
            run.points().forEach(p -> rows.add(List.of(run.label(), p.tokens(), p.kvBytes(), p.heldTokens(), round(p.tpotMillis()))));
        }
        Figures.table("KV memory by length", List.of("configuration", "tokens", "KV bytes", "tokens held", "TPOT ms"), rows);
        png("KV memory vs length", Charts.kvMemoryVsLength(stress));
        png("TPOT vs length", Charts.tpotVsLength(stress));
    }

    /**
     * The long-context run at a length CI can afford: each configuration prefills the prompt, then decodes greedily,
     * a point every {@code every} generated tokens; the four are charted on one image against position.
     */
    @When("I generate {int} tokens after the bundled prompt {word} with the full cache, StreamingLLM, H2O and H2O with store mode at a budget of {int} tokens, recording every {int}")
    public void iGenerateWithEveryLongContextCache(int generate, String prompt, int budget, int every) {
        int[] tokens = context.bundledPrompt(prompt);
        List<Integer> checkpoints = new ArrayList<>();
        for (int generated = 0; generated <= generate; generated += every) checkpoints.add(tokens.length + generated);
        KvCacheConfig storage = context.cacheConfig().withPolicy(new FullConfig());
        CacheVariant h2o = CacheVariant.capacity(storage, H2oConfig.defaults(), budget);
        stress = new StressRunner(context.engine(), tokens, checkpoints, 0, 64).runAll(List.of(
                CacheVariant.streaming(storage, 4, budget), h2o, h2o.withLossless(LosslessConfig.off().withMode(LosslessMode.STORE)),
                CacheVariant.full(storage)), (label, done, total) -> { }, run -> { });
        List<List<?>> rows = new ArrayList<>();
        for (StressRun run : stress.runs()) {
            run.points().forEach(p -> rows.add(List.of(run.label(), p.tokens(), p.kvBytes(), p.processRssBytes(), round(p.tpotMillis()))));
        }
        Figures.table("Long context by position", List.of("configuration", "position", "KV bytes", "process RSS bytes", "TPOT ms"), rows);
        png("Long context: KV bytes, process memory and TPOT vs position", Charts.longContext(stress));
    }

    @Then("StreamingLLM and H2O hold less than {double} of the full cache's KV at the last point")
    public void evictingCachesHoldAShare(double share) {
        long full = run("full").points().getLast().kvBytes();
        for (String family : List.of("streaming", "h2o")) {
            assertThat((double) run(family).points().getLast().kvBytes()).as(family + " KV bytes at the last point over the full cache's")
                    .isLessThan(share * full);
        }
    }

    /** H2O with a fixed capacity, grown token by token from the prompt through every checkpoint. */
    @When("I decode after the bundled prompt {word} under H2O holding at most {int} tokens, checking the KV at {int}, {int} and {int} tokens")
    public void iDecodeUnderH2oHoldingAtMost(String prompt, int capacity, int first, int second, int third) {
        KvCacheConfig storage = context.cacheConfig().withPolicy(new FullConfig());
        stress = new StressRunner(context.engine(), context.bundledPrompt(prompt), List.of(first, second, third), 0, 64)
                .runAll(List.of(CacheVariant.capacity(storage, H2oConfig.defaults(), capacity)), (label, done, total) -> { }, run -> { });
        List<List<?>> rows = new ArrayList<>();
        stress.runs().getFirst().points().forEach(p -> rows.add(List.of(p.tokens(), p.kvBytes(), p.heldTokens(), round(p.tpotMillis()))));
        Figures.table("H2O KV memory by length", List.of("tokens", "KV bytes", "tokens held", "TPOT ms"), rows);
    }

    /**
     * Flat means bounded by what the held tokens need: pages left partly filled by scattered evictions are repacked
     * once a layer holds an eighth more pages than its tokens need, so the bytes swing within that slack and
     * never grow with the sequence.
     */
    @Then("H2O's KV bytes stay within an eighth and one page per layer of what the tokens it holds need, at every checkpoint")
    public void h2osKvBytesAreFlat() {
        StressRun run = run("h2o");
        var config = context.engine().model().config();
        var cache = context.cacheConfig();
        long bytesPerTokenAndLayer = 2L * config.kvDim() * cache.dtype().bytes();
        long page = cache.pageTokens() * bytesPerTokenAndLayer * config.layers();
        assertThat(run.points()).as("H2O KV bytes by length").hasSize(3).allSatisfy(p -> {
            long tight = Math.round(p.heldTokens() * bytesPerTokenAndLayer * config.layers());
            assertThat(p.kvBytes()).as("KV bytes at %d tokens holding %.0f a layer", p.tokens(), p.heldTokens())
                    .isBetween(tight, tight + tight / 8 + page);
        });
    }

    @Then("the full cache's KV memory grows with every checkpoint")
    public void theFullCacheGrows() {
        List<Long> bytes = run("full").points().stream().map(p -> p.kvBytes()).toList();
        assertThat(bytes).as("full cache KV bytes by length").isSorted().doesNotHaveDuplicates();
    }

    @Then("StreamingLLM's and H2O's KV memory stay within one page per layer of their first checkpoint")
    public void evictingCachesStayFlat() {
        for (String family : List.of("streaming", "h2o")) {
            StressRun run = run(family);
            long first = run.points().getFirst().kvBytes();
            long page = 16L * 2 * context.engine().model().config().kvDim() * 2 * context.engine().model().config().layers();
            assertThat(run.points()).as(family + " KV bytes by length")
                    .allSatisfy(p -> assertThat(p.kvBytes()).isBetween(first - page, first + page));
            assertThat(run.peakKvBytes()).as(family + " peak KV bytes vs full").isLessThan(run("full").peakKvBytes() / 3);
        }
    }

    private static void png(String name, byte[] image) {
        Allure.addAttachment(name, "image/png", new ByteArrayInputStream(image), ".png");
    }

    private PerplexityResult row(String family) {
        return perplexity.rows().stream().filter(r -> r.family().equals(family)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no " + family + " row in the perplexity report"));
    }

    private StressRun run(String family) {
        return stress.runs().stream().filter(r -> r.family().equals(family)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no " + family + " run in the stress report"));
    }

    private static double round(double value) {
        return Math.round(value * 10_000) / 10_000.0;
    }
}
