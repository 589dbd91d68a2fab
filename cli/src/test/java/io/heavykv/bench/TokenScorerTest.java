package io.heavykv.bench;

import io.heavykv.bench.quality.EvalText;
import io.heavykv.bench.quality.PerplexityEvaluator;
import io.heavykv.bench.quality.TokenScore;
import io.heavykv.bench.quality.TokenScorer;
import io.heavykv.runtime.Engine;
import io.heavykv.runtime.GenerationResult;
import io.heavykv.runtime.Generator;
import io.heavykv.runtime.KvCacheConfig;
import io.heavykv.runtime.Session;
import io.heavykv.sampling.GreedySampler;
import io.heavykv.testing.SharedModels;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

@Timeout(60)
class TokenScorerTest {
    private static Engine engine;

    @BeforeAll
    static void load() throws Exception {
        engine = Engine.load(SharedModels.defaultModel().resolve("stories260K.bin"), Optional.empty());
    }

    @AfterAll
    static void close() {
        engine.close();
    }

    private static Session session(int context) {
        return engine.openSession(KvCacheConfig.defaults(), context, 1);
    }

    @Test
    void aGreedyContinuationIsTheTopChoiceAtEveryGeneratedPosition() {
        int[] prompt = engine.tokenizer().encode("Once upon a time", true, false);
        GenerationResult greedy;
        try (Session session = session(128)) {
            greedy = new Generator(session, new GreedySampler(), token -> false).generate(prompt, 40, (previous, token) -> { });
        }
        List<TokenScore> scores;
        try (Session session = session(128)) {
            scores = TokenScorer.score(session, greedy.tokens());
        }
        assertThat(scores).hasSize(greedy.tokens().length - 1);
        for (TokenScore s : scores.subList(prompt.length - 1, scores.size())) {
            assertThat(s.topMatches()).as("generated token at position %d is the top choice", s.position() + 1).isTrue();
            assertThat(s.logProb()).isEqualTo(s.topLogProb()).isNegative();
        }
    }

    @Test
    void perplexityOfTheScoresMatchesThePerplexityEvaluatorsFullCache() {
        int[] text = engine.tokenizer().encode("One day, Max saw a big red ball. He ran to the ball and pushed it with his nose.", false, false);
        double evaluator = new PerplexityEvaluator(engine, KvCacheConfig.defaults(), 0)
                .evaluate(List.of(new EvalText("t", text)), List.of()).rows().getFirst().perplexity();
        int[] tokens = new int[text.length + 1];
        tokens[0] = engine.tokenizer().bosId();
        System.arraycopy(text, 0, tokens, 1, text.length);
        List<TokenScore> scores;
        try (Session session = session(tokens.length)) {
            scores = TokenScorer.score(session, tokens);
        }
        assertThat(TokenScorer.perplexity(scores)).isCloseTo(evaluator, within(1e-9));
        // The top choice is never less likely than the token that came, and it is not always that token.
        assertThat(scores).allSatisfy(s -> assertThat(s.topLogProb()).isGreaterThanOrEqualTo(s.logProb()));
        assertThat(scores).anySatisfy(s -> assertThat(s.topMatches()).isFalse());
    }

    @Test
    void theVisitorSeesNormalisedDistributions() {
        int[] tokens = engine.tokenizer().encode("The cat sat on the mat.", true, false);
        try (Session session = session(64)) {
            TokenScorer.score(session, tokens, (position, next, logProbs) ->
                    assertThat(Arrays.stream(logProbs).map(Math::exp).sum()).as("probabilities at %d sum to 1", position).isCloseTo(1.0, within(1e-9)));
        }
    }

    @Test
    void rejectsSequencesThatCannotBeScored() {
        try (Session session = session(8)) {
            assertThatThrownBy(() -> TokenScorer.score(session, new int[]{1})).hasMessageContaining("at least 2 tokens");
            assertThatThrownBy(() -> TokenScorer.score(session, new int[]{1, 512})).hasMessageContaining("token 512 at position 1");
            assertThatThrownBy(() -> TokenScorer.perplexity(List.of())).hasMessageContaining("no scored positions");
        }
    }
}
