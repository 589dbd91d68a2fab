package io.heavykv.steps;

import com.fasterxml.jackson.databind.JsonNode;
import io.heavykv.bench.quality.TokenScore;
import io.heavykv.bench.reference.LlamaCppTool;
import io.heavykv.bench.reference.ReferenceFailedException;
import io.heavykv.bench.reference.ReferenceUnavailableException;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * llama.cpp as the reference engine of the parity scenarios: {@link LlamaCppTool} on one GGUF file, with one
 * thread. {@code ci/llamacpp.sh} installs the tool on first use (once per machine and lockfile); a machine
 * without node, npm or the registry cannot run it, which is an environment problem, not a verdict on heavykv.
 */
final class LlamaCppReference {
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(5);
    // One thread: its results do not depend on how a loaded machine schedules llama.cpp's spinning workers.
    private static final List<String> THREADS = List.of("--threads", "1");
    private static LlamaCppTool tool;
    // A failed install is not retried by every scenario: each would wait for the registry again.
    private static EnvironmentUnavailableException installFailure;

    private final LlamaCppTool llamaCpp;
    private final Path model;

    private LlamaCppReference(LlamaCppTool llamaCpp, Path model) {
        this.llamaCpp = llamaCpp;
        this.model = model;
    }

    /** The reference on {@code model}, installing the tool first if this JVM has not yet. */
    static LlamaCppReference on(Path model) {
        return new LlamaCppReference(tool(), model);
    }

    /** The tool, installed once per JVM; a machine that cannot run it is an environment problem. */
    static synchronized LlamaCppTool tool() {
        if (installFailure != null) throw installFailure;
        if (tool == null) {
            try {
                tool = LlamaCppTool.installing(LlamaCppTool.repository());
            } catch (ReferenceUnavailableException e) {
                installFailure = new EnvironmentUnavailableException(e.getMessage());
                throw installFailure;
            }
        }
        return tool;
    }

    /** {@code text} tokenized by llama.cpp with the model's own vocabulary, BOS first when {@code bos}. */
    int[] tokens(String text, boolean bos) {
        return tokens(text, bos, false);
    }

    /** The same, with text that spells a special piece (a chat marker) read as that token when {@code special}. */
    int[] tokens(String text, boolean bos, boolean special) {
        List<String> args = new ArrayList<>(List.of("--text", text));
        if (bos) args.add("--bos");
        if (special) args.add("--special");
        return ints(run("tokens", args).get("tokens"));
    }

    /** The {@code n} tokens llama.cpp generates greedily after {@code prompt}, never stopping early. */
    int[] greedy(int[] prompt, int n) {
        return ints(run("greedy", List.of("--ids", ids(prompt), "--n", String.valueOf(n), "--ctx", String.valueOf(prompt.length + n))).get("tokens"));
    }

    /** Position by position, the log-probability llama.cpp gives each next token of {@code tokens}, and its top-1. */
    List<TokenScore> score(int[] tokens) {
        List<TokenScore> scores = new ArrayList<>();
        for (JsonNode p : run("logprobs", List.of("--ids", ids(tokens), "--ctx", String.valueOf(tokens.length))).get("positions")) {
            scores.add(new TokenScore(p.get("position").asInt(), p.get("token").asInt(), number(p, "logprob"),
                    p.get("top").asInt(), number(p, "top_logprob")));
        }
        return scores;
    }

    private JsonNode run(String command, List<String> args) {
        List<String> all = new ArrayList<>(THREADS);
        all.addAll(args);
        try {
            return llamaCpp.run(command, model, all, RUN_TIMEOUT);
        } catch (ReferenceUnavailableException e) {
            throw new EnvironmentUnavailableException(e.getMessage());
        } catch (ReferenceFailedException e) {
            // The reference failing is no verdict on heavykv: reported from here, it files as a test defect.
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private static String ids(int[] tokens) {
        return Arrays.stream(tokens).mapToObj(String::valueOf).collect(Collectors.joining(","));
    }

    private static int[] ints(JsonNode array) {
        int[] values = new int[array.size()];
        for (int i = 0; i < values.length; i++) values[i] = array.get(i).asInt();
        return values;
    }

    /** JSON has no -Infinity: the tool writes null for a token llama.cpp gave probability 0. */
    private static double number(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? Double.NEGATIVE_INFINITY : value.asDouble();
    }
}
