package io.heavykv.bench.quality;

/**
 * How a model scored one position of a token sequence: the log-probability it gave the token that
 * came next, and its own first choice there with that choice's log-probability (natural logs).
 */
public record TokenScore(int position, int token, double logProb, int top, double topLogProb) {

    /** The score at {@code position} from the next-token distribution {@code logProbs}; the lowest id wins ties, as in greedy sampling. */
    public static TokenScore of(int position, int token, double[] logProbs) {
        int top = 0;
        for (int i = 1; i < logProbs.length; i++) {
            if (logProbs[i] > logProbs[top]) top = i;
        }
        return new TokenScore(position, token, logProbs[token], top, logProbs[top]);
    }

    /** Whether the model's first choice was the token that came next. */
    public boolean topMatches() {
        return top == token;
    }
}
