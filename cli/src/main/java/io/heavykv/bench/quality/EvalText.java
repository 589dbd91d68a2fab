package io.heavykv.bench.quality;

/** A named text as the model sees it: token ids without BOS (each window adds its own). */
public record EvalText(String name, int[] tokens) {

    public EvalText {
        if (tokens.length < 2) throw new IllegalArgumentException("text " + name + " has " + tokens.length + " tokens; at least 2 are needed to score one");
        tokens = tokens.clone();
    }

    @Override
    public int[] tokens() { return tokens.clone(); }

    public int length() { return tokens.length; }

    /** A copy of {@code [from, to)} of the tokens. */
    public int[] slice(int from, int to) { return java.util.Arrays.copyOfRange(tokens, from, to); }
}
