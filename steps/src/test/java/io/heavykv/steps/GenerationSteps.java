package io.heavykv.steps;

import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;
import io.heavykv.eviction.EvictionStats;
import io.heavykv.runtime.Engine;
import io.heavykv.runtime.GenerationResult;
import io.heavykv.runtime.Generator;
import io.heavykv.runtime.RunFigures;
import io.heavykv.runtime.Session;
import io.heavykv.sampling.Sampler;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Steps that run generation through the real engine and check what it produced and measured. */
public final class GenerationSteps {
    private final ScenarioContext context;
    private String text;
    private RunFigures figures;
    private int[] lastPrompt;
    private int lastTokens;

    public GenerationSteps(ScenarioContext context) {
        this.context = context;
    }

    @When("I generate {int} tokens greedily from {string}")
    public void iGenerateGreedilyFrom(int tokens, String prompt) {
        generate(context.engine().tokenizer().encode(prompt, true, false), tokens);
    }

    @When("I generate {int} tokens greedily after the bundled prompt {word}")
    public void iGenerateAfterTheBundledPrompt(int tokens, String name) {
        generate(context.bundledPrompt(name), tokens);
    }

    @Then("the text starts with {string}")
    public void theTextStartsWith(String expected) {
        assertThat(text).as("generated text").startsWith(expected);
    }

    @Then("generating again gives the same text")
    public void generatingAgainGivesTheSameText() {
        String first = text;
        generate(lastPrompt, lastTokens);
        assertThat(text).as("second generation").isEqualTo(first);
    }

    @Then("the lossy ratio on the evicting layers is at least {double}")
    public void theLossyRatioOnTheEvictingLayersIsAtLeast(double bound) {
        assertThat(figures.eviction().evictingLossyRatio()).as("lossy ratio on evicting layers").isGreaterThanOrEqualTo(bound);
    }

    @Then("the cache kept every token")
    public void theCacheKeptEveryToken() {
        EvictionStats e = figures.eviction();
        assertThat(e.keepRatio()).as("keep ratio").isEqualTo(1.0);
        assertThat(e.plansApplied()).as("plans applied").isZero();
    }

    @Then("no reserve plan was rejected")
    public void noReservePlanWasRejected() {
        assertThat(figures.eviction().plansRejected()).as("plans rejected (" + figures.eviction().lastRejection() + ")").isZero();
    }

    private void generate(int[] promptTokens, int tokens) {
        lastPrompt = promptTokens;
        lastTokens = tokens;
        Engine engine = context.engine();
        try (Session session = engine.openSession(context.cacheConfig(), context.contextLength(), 64)) {
            GenerationResult result = new Generator(session, Sampler.of(0f, 1f, 1), engine::endsSequence)
                    .generate(promptTokens, tokens, (previous, token) -> { });
            text = engine.tokenizer().decode(result.tokens());
            figures = session.figures();
        }
        attach();
    }

    private void attach() {
        EvictionStats e = figures.eviction();
        Map<String, Object> shown = new LinkedHashMap<>();
        shown.put("tokens seen", e.tokensSeen());
        shown.put("keep ratio", round(e.keepRatio()));
        shown.put("lossy ratio", round(e.lossyRatio()));
        shown.put("lossy ratio (evicting layers)", round(e.evictingLossyRatio()));
        shown.put("plans applied", e.plansApplied());
        shown.put("plans rejected", e.plansRejected());
        shown.put("KV peak bytes", e.peakResidentBytes());
        shown.put("decode tok/s", round(figures.timings().decodeTokensPerSecond()));
        Figures.keyValues("run figures", shown);
        Figures.json("all figures", figures);
        io.qameta.allure.Allure.addAttachment("generated text", "text/plain", text, ".txt");
    }

    private static double round(double value) {
        return Math.round(value * 10_000) / 10_000.0;
    }

}
