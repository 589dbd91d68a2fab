package io.heavykv.bench.quality;

import io.heavykv.runtime.Session;

import java.util.ArrayList;
import java.util.List;

/**
 * Scores a given token sequence position by position: each token is fed as one decode step on top of
 * everything before it, and the next-token distribution after token {@code i} is read against token
 * {@code i + 1}. Decode steps, not a prefill, because that is how tokens are produced when generating,
 * and a reference engine scored the same way is compared step for step.
 */
public final class TokenScorer {

    /** Sees each position's full next-token distribution; {@code logProbs} is reused after the call returns. */
    @FunctionalInterface
    public interface Visitor {
        void position(int position, int nextToken, double[] logProbs);
    }

    private TokenScorer() {
    }

    /** Per-position scores of {@code tokens} (length - 1 of them), fed into {@code session} from where it stands. */
    public static List<TokenScore> score(Session session, int[] tokens) {
        List<TokenScore> scores = new ArrayList<>(Math.max(0, tokens.length - 1));
        score(session, tokens, (position, next, logProbs) -> scores.add(TokenScore.of(position, next, logProbs)));
        return scores;
    }

    /** As {@link #score(Session, int[])}, handing {@code visitor} each whole distribution instead. */
    public static void score(Session session, int[] tokens, Visitor visitor) {
        if (tokens.length < 2) throw new IllegalArgumentException("scoring needs at least 2 tokens, got " + tokens.length);
        double[] logProbs = null;
        for (int i = 0; i + 1 < tokens.length; i++) {
            float[] logits = session.decode(tokens[i]);
            if (logProbs == null) logProbs = new double[logits.length];
            if (tokens[i + 1] < 0 || tokens[i + 1] >= logProbs.length) {
                throw new IllegalArgumentException("token " + tokens[i + 1] + " at position " + (i + 1) + " is not in the model's vocabulary of " + logProbs.length);
            }
            LogProbs.logSoftmax(logits, logProbs);
            visitor.position(i, tokens[i + 1], logProbs);
        }
    }

    /** exp of the mean negative log-likelihood of the scored tokens. */
    public static double perplexity(List<TokenScore> scores) {
        if (scores.isEmpty()) throw new IllegalArgumentException("no scored positions");
        double nll = 0;
        for (TokenScore s : scores) nll -= s.logProb();
        return Math.exp(nll / scores.size());
    }
}
