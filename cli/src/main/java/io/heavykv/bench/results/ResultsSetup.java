package io.heavykv.bench.results;

/**
 * What the README's results table runs on one model: a bench of the full cache against H2O with store mode,
 * paired by repeat, and a perplexity window on held-out text.
 *
 * @param model        the model's name in the table and in its record files
 * @param modelArg     the model as {@code -m} names it ({@code null}: the default, stories260K)
 * @param promptTokens bench prompt length (from the bundled eval texts)
 * @param generate     tokens generated per bench run
 * @param repeats      bench repeats, each running both configurations
 * @param qualityText  bundled text the perplexity window is cut from
 * @param window       tokens of that window, BOS included
 * @param scoredTail   tokens scored one decode step each at the window's end
 */
public record ResultsSetup(String model, String modelArg, int promptTokens, int generate, int repeats,
                           String qualityText, int window, int scoredTail) {

    /** Sized so a run of both models fits a few minutes of a loaded 2-core machine. */
    public static final ResultsSetup STORIES260K = new ResultsSetup("stories260K", null, 512, 256, 5, "eval_1.txt", 512, 256);
    public static final ResultsSetup SMOLLM2 = new ResultsSetup("SmolLM2-135M-Instruct Q4_1", "smollm2", 512, 32, 3,
            "heldout_persuasion.txt", 1024, 128);

    /** The name of the model's record files, e.g. {@code smollm2-135m-instruct-q4_1}. */
    public String fileKey() {
        return model.toLowerCase(java.util.Locale.ROOT).replace(' ', '-');
    }
}
