package io.heavykv.steps;

import io.cucumber.java.After;
import io.cucumber.java.Scenario;
import io.cucumber.java.en.Given;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;
import io.heavykv.bench.quality.TokenScore;
import io.heavykv.bench.quality.TokenScorer;
import io.heavykv.chat.ChatFormat;
import io.heavykv.chat.ChatMessage;
import io.heavykv.chat.ChatTemplates;
import io.heavykv.cli.DefaultModel;
import io.heavykv.runtime.Engine;
import io.heavykv.runtime.Generator;
import io.heavykv.runtime.Session;
import io.heavykv.sampling.GreedySampler;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * heavykv against llama.cpp on the same GGUF file. Where tokenization is not what a step tests, both
 * engines are fed the same token ids, from the tokenizer the scenario names (llama.cpp's unless it says
 * otherwise), so a tokenizer difference cannot hide or fake a difference in the arithmetic.
 */
public final class ParitySteps {
    private static final int PREFILL_CHUNK = 64;
    private final ScenarioContext context;
    private LlamaCppReference reference;
    private int[] heavykvPrompt;
    private String chatPrompt;
    private int[] referencePrompt;
    private int[] heavykvContinuation;
    private int[] referenceContinuation;
    private Comparison comparison;
    private String promptVerdict = "not compared";
    private String continuationVerdict = "not compared";

    public ParitySteps(ScenarioContext context) {
        this.context = context;
    }

    @Given("the stories260K GGUF that llama.cpp's own converter made, read with the tokenizer {word}")
    public void theStories260KGgufMadeByLlamaCpp(String tokenizer) {
        context.useModel("stories260K");
        Path gguf = context.sharedFile("models/stories260K/stories260K-llamacpp.gguf");
        // The file's "▁"-spaced vocabulary needs heavykv's GGUF tokenizer work; the llama2.c file holds the same 512 pieces.
        context.useEngine(load(gguf, Optional.of(context.modelFile(tokenizer))), gguf);
    }

    @Given("the stories260K GGUF that llama.cpp's own converter made, with its own vocabulary")
    public void theStories260KGgufWithItsOwnVocabulary() {
        Path gguf = context.sharedFile("models/stories260K/stories260K-llamacpp.gguf");
        context.useEngine(load(gguf, Optional.empty()), gguf);
    }

    @Given("the SmolLM2-135M-Instruct Q4_1 model")
    public void theSmolLm2Model() {
        Path file = DefaultModel.smolLm2File();
        if (!Files.isRegularFile(file)) {
            throw new EnvironmentUnavailableException("SmolLM2 is not in the model cache (" + file + "): ci/models.sh fetches it");
        }
        // The report's goals page groups figures by this parameter.
        Figures.parameter("model", "smollm2");
        context.useEngine(load(file, Optional.empty()), file);
    }

    /** llama.cpp loads these files: heavykv refusing one is a verdict on heavykv, not a broken test. */
    private static Engine load(Path gguf, Optional<Path> tokenizer) {
        try {
            return Engine.load(gguf, tokenizer);
        } catch (IOException | RuntimeException e) {
            throw new AssertionError("heavykv cannot load " + gguf.getFileName() + ", which llama.cpp loads: " + e.getMessage(), e);
        }
    }

    @When("both engines tokenize {string}")
    public void bothEnginesTokenize(String text) {
        referencePrompt = reference().tokens(text, true);
        try {
            heavykvPrompt = context.engine().tokenizer().encode(text, true, false);
        } catch (RuntimeException e) {
            throw new AssertionError("heavykv cannot tokenize with the vocabulary of " + context.engineFile().getFileName() + ": " + e.getMessage(), e);
        }
        promptVerdict = verdict(heavykvPrompt, referencePrompt);
        Figures.table("prompt tokens", List.of("engine", "tokens"), List.of(
                List.of("heavykv", Arrays.toString(heavykvPrompt)), List.of("llama.cpp", Arrays.toString(referencePrompt))));
    }

    /**
     * The question rendered in the model's own chat format, as {@code generate --chat} renders it, tokenized with its
     * chat markers read as special tokens; BOS is left out on both sides, since engines differ only in the policy
     * that adds it, which the continuation then shares.
     */
    @When("both engines tokenize the chat question {string} in the model's chat template")
    public void bothEnginesTokenizeTheChatQuestion(String question) throws IOException {
        ChatFormat format = ChatTemplates.formatOf(context.engineFile(), Optional.empty());
        chatPrompt = format.render(List.of(ChatMessage.user(question)), true);
        referencePrompt = reference().tokens(chatPrompt, false, true);
        heavykvPrompt = context.engine().tokenizer().tokenize(chatPrompt, false, true);
        promptVerdict = verdict(heavykvPrompt, referencePrompt);
        Figures.keyValues("chat prompt", figures("format", format.label(), "prompt", chatPrompt));
    }

    /** Both engines are fed the ids {@code generate --chat} feeds heavykv: the chat prompt with BOS as the model asks. */
    @When("both engines answer it greedily for {int} tokens")
    public void bothEnginesAnswerItGreedily(int tokens) {
        continueGreedily(context.engine().tokenizer().tokenize(chatPrompt, true, true), tokens);
    }

    @Then("heavykv's answer starts with {string}")
    public void heavykvsAnswerStartsWith(String start) {
        assertThat(context.engine().tokenizer().decode(heavykvContinuation)).as("heavykv's answer").startsWith(start);
    }

    @Then("the prompt tokens are identical")
    public void thePromptTokensAreIdentical() {
        assertThat(heavykvPrompt).as("heavykv's tokens (llama.cpp's are %s)", Arrays.toString(referencePrompt)).containsExactly(referencePrompt);
    }

    @When("both engines continue {string} greedily for {int} tokens")
    public void bothEnginesContinueGreedily(String prompt, int tokens) {
        continueGreedily(tokens(prompt), tokens);
    }

    private void continueGreedily(int[] ids, int tokens) {
        referenceContinuation = reference().greedy(ids, tokens);
        try (Session session = session(ids.length + tokens)) {
            // Never stopping at EOS: llama.cpp's side generates exactly as many tokens.
            heavykvContinuation = new Generator(session, new GreedySampler(), token -> false)
                    .generate(ids, tokens, (previous, token) -> { }).generated();
        }
        int diverges = firstDifference(heavykvContinuation, referenceContinuation);
        continuationVerdict = verdict(heavykvContinuation, referenceContinuation);
        Figures.keyValues("greedy continuation", figures(
                "prompt tokens", Arrays.toString(ids),
                "first differing generated token", diverges < 0 ? "none" : String.valueOf(diverges)));
        Figures.table("greedy continuations", List.of("engine", "tokens"), List.of(
                List.of("heavykv", Arrays.toString(heavykvContinuation)), List.of("llama.cpp", Arrays.toString(referenceContinuation))));
    }

    @Then("the continuations are identical")
    public void theContinuationsAreIdentical() {
        assertThat(heavykvContinuation).as("heavykv's greedy continuation (first difference at generated token %d)",
                firstDifference(heavykvContinuation, referenceContinuation)).containsExactly(referenceContinuation);
    }

    /** Where a type's rounding makes the engines' greedy paths part (the scenario's comment gives the measured token). */
    @Then("the continuations agree on the first {int} generated tokens or more")
    public void theContinuationsAgreeOnTheFirstTokens(int tokens) {
        int diverges = firstDifference(heavykvContinuation, referenceContinuation);
        assertThat(diverges < 0 ? heavykvContinuation.length : diverges).as("generated tokens before the engines' first difference")
                .isGreaterThanOrEqualTo(tokens);
    }

    /**
     * The answer a user reads ends at the first end-of-generation token (generate stops there); what either engine
     * would go on to generate after it is not part of the answer.
     */
    @Then("the answers are identical up to and including the end of generation")
    public void theAnswersAreIdenticalUpToTheEndOfGeneration() {
        int[] reference = untilEndOfGeneration(referenceContinuation);
        int[] ours = untilEndOfGeneration(heavykvContinuation);
        continuationVerdict = Arrays.equals(ours, reference) ? "answer identical up to its end (" + reference.length + " tokens)"
                : "answer differs from token " + firstDifference(ours, reference);
        assertThat(reference.length).as("llama.cpp's answer ends within the tokens generated").isLessThan(referenceContinuation.length);
        assertThat(ours).as("heavykv's answer (first difference at generated token %d)",
                firstDifference(heavykvContinuation, referenceContinuation)).containsExactly(reference);
    }

    private int[] untilEndOfGeneration(int[] tokens) {
        for (int i = 0; i < tokens.length; i++) {
            if (context.engine().tokenizer().endsGeneration(tokens[i])) return Arrays.copyOf(tokens, i + 1);
        }
        return tokens;
    }

    @When("both engines score the first {int} tokens of the held-out text {word} token by token")
    public void bothEnginesScore(int count, String text) {
        int[] all = tokens(heldOut(text));
        if (all.length < count) throw new IllegalStateException(text + " holds only " + all.length + " tokens for this model, fewer than " + count);
        int[] tokens = Arrays.copyOf(all, count);
        List<TokenScore> ref = reference().score(tokens);
        List<TokenScore> ours = new ArrayList<>();
        double[] ourLogProbOfRefTop = new double[ref.size()];
        try (Session session = session(tokens.length)) {
            TokenScorer.score(session, tokens, (position, next, logProbs) -> {
                ours.add(TokenScore.of(position, next, logProbs));
                ourLogProbOfRefTop[position] = logProbs[ref.get(position).top()];
            });
        }
        comparison = Comparison.of(ours, ref, ourLogProbOfRefTop);
        Figures.keyValues("parity with llama.cpp", comparison.figures(context.engineFile(), count));
        Figures.table("per-position scores", List.of("position", "next token", "heavykv log p", "llama.cpp log p",
                "heavykv top", "llama.cpp top", "|d log p(llama.cpp top)|"), comparison.rows());
    }

    @Then("the engines' top-1 tokens agree at {double}% of the positions or more")
    public void topOneAgreement(double percent) {
        assertThat(100 * comparison.topAgreement()).as("top-1 agreement with llama.cpp, in %").isGreaterThanOrEqualTo(percent);
    }

    @Then("the log-probability of llama.cpp's top token differs by at most {double} at every position")
    public void logProbabilityOfTheTopTokenDiffersByAtMost(double bound) {
        assertThat(comparison.maxTopDifference()).as("largest |difference| in the log-probability of llama.cpp's top token (at position %d)",
                comparison.maxTopPosition()).isLessThanOrEqualTo(bound);
    }

    @Then("the perplexities differ by at most {double}%")
    public void thePerplexitiesDifferByAtMost(double percent) {
        assertThat(100 * Math.abs(comparison.perplexityRelative())).as("|heavykv perplexity / llama.cpp's - 1|, in %").isLessThanOrEqualTo(percent);
    }

    /** Every parity scenario leaves its row in the parity table, whatever its verdict: a failing row is the one to read. */
    @After
    public void recordParityRow(Scenario scenario) {
        if (reference == null) return;
        String weights = context.engine().model().weights().matrices().stream()
                .map(m -> m.type().name()).distinct().sorted().collect(Collectors.joining("+"));
        List<String> figures = comparison == null ? Collections.nCopies(5, "-") : comparison.tableCells();
        List<String> row = new ArrayList<>(List.of(scenario.getName(), context.engineFile().getFileName().toString(), weights,
                promptVerdict, continuationVerdict));
        row.addAll(figures);
        ParityTable.add(row);
    }

    @Then("the report shows the parity table of the scenarios above")
    public void theReportShowsTheParityTable() {
        List<List<String>> rows = ParityTable.rows();
        Figures.table("parity with llama.cpp, every model and type", ParityTable.COLUMNS, rows);
        assertThat(rows).as("parity rows of the scenarios run before this one (run the whole feature)").isNotEmpty();
    }

    private static String verdict(int[] heavykv, int[] reference) {
        return Arrays.equals(heavykv, reference) ? "identical" : "differ from token " + firstDifference(heavykv, reference);
    }

    /** The ids both engines are fed for {@code text}, BOS first. */
    private int[] tokens(String text) {
        return reference().tokens(text, true);
    }

    private LlamaCppReference reference() {
        if (reference == null) reference = LlamaCppReference.on(context.engineFile());
        return reference;
    }

    private Session session(int tokens) {
        return context.engine().openSession(context.cacheConfig(), tokens, PREFILL_CHUNK);
    }

    private static String heldOut(String name) {
        try (InputStream in = ParitySteps.class.getResourceAsStream("/heavykv/eval/" + name)) {
            if (in == null) throw new IllegalArgumentException("no bundled held-out text " + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Index of the first token where the two differ, -1 when they are identical. */
    private static int firstDifference(int[] a, int[] b) {
        return Arrays.mismatch(a, b);
    }

    private static Map<String, Object> figures(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        return map;
    }

    /** heavykv's and llama.cpp's scores of the same positions, and the figures that compare them. */
    private record Comparison(List<TokenScore> ours, List<TokenScore> ref, double[] topDifference) {

        static Comparison of(List<TokenScore> ours, List<TokenScore> ref, double[] ourLogProbOfRefTop) {
            if (ours.size() != ref.size()) {
                throw new IllegalStateException("heavykv scored " + ours.size() + " positions, llama.cpp " + ref.size());
            }
            double[] difference = new double[ref.size()];
            for (int i = 0; i < difference.length; i++) difference[i] = Math.abs(ourLogProbOfRefTop[i] - ref.get(i).topLogProb());
            return new Comparison(ours, ref, difference);
        }

        double topAgreement() {
            int same = 0;
            for (int i = 0; i < ref.size(); i++) if (ours.get(i).top() == ref.get(i).top()) same++;
            return (double) same / ref.size();
        }

        int maxTopPosition() {
            int worst = 0;
            for (int i = 1; i < topDifference.length; i++) if (topDifference[i] > topDifference[worst]) worst = i;
            return worst;
        }

        double maxTopDifference() { return topDifference[maxTopPosition()]; }

        double perplexityRelative() {
            return TokenScorer.perplexity(ours) / TokenScorer.perplexity(ref) - 1;
        }

        Map<String, Object> figures(Path model, int tokens) {
            return ParitySteps.figures(
                    "model", model.getFileName(),
                    "tokens (BOS first)", tokens,
                    "positions scored", ref.size(),
                    "top-1 agreement %", round(100 * topAgreement()),
                    "max |d log p(llama.cpp top)|", String.format("%.3g", maxTopDifference()),
                    "at position", maxTopPosition(),
                    "mean |d log p(llama.cpp top)|", String.format("%.3g", Arrays.stream(topDifference).average().orElse(0)),
                    "heavykv perplexity", round(TokenScorer.perplexity(ours)),
                    "llama.cpp perplexity", round(TokenScorer.perplexity(ref)),
                    "perplexity difference %", String.format("%.4f", 100 * perplexityRelative()));
        }

        /** The table's figure cells: top-1 %, max delta, both perplexities and their gap. */
        List<String> tableCells() {
            return List.of(String.format("%.2f", 100 * topAgreement()), String.format("%.2g", maxTopDifference()),
                    String.format("%.4f", TokenScorer.perplexity(ours)), String.format("%.4f", TokenScorer.perplexity(ref)),
                    String.format("%.4f", 100 * perplexityRelative()));
        }

        List<List<?>> rows() {
            List<List<?>> rows = new ArrayList<>();
            for (int i = 0; i < ref.size(); i++) {
                TokenScore o = ours.get(i);
                TokenScore r = ref.get(i);
                rows.add(List.of(i, r.token(), o.logProb(), r.logProb(), o.top(), r.top(), topDifference[i]));
            }
            return rows;
        }

        private static double round(double value) {
            return Math.round(value * 10000) / 10000.0;
        }
    }
}
