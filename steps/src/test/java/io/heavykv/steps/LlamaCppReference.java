package io.heavykv.steps;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.heavykv.bench.quality.TokenScore;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * llama.cpp as the reference engine: runs {@code tools/llamacpp-ref/ref.mjs} (node-llama-cpp's prebuilt
 * CPU build) on a GGUF file and reads the one JSON object it prints. {@code ci/llamacpp.sh} installs the
 * tool on first use (once per machine and lockfile); a machine without node, npm or the registry cannot
 * run it, which is an environment problem, not a verdict on heavykv.
 */
final class LlamaCppReference {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long INSTALL_TIMEOUT_SECONDS = 600;
    private static final long RUN_TIMEOUT_SECONDS = 300;
    // One thread: its results do not depend on how a loaded machine schedules llama.cpp's spinning workers.
    private static final int THREADS = 1;
    private static Path modules;
    // A failed install is not retried by every scenario: each would wait for the registry again.
    private static EnvironmentUnavailableException installFailure;

    private final Path repository;
    private final Path model;

    private LlamaCppReference(Path repository, Path model) {
        this.repository = repository;
        this.model = model;
    }

    /** The reference on {@code model}, installing the tool first if this JVM has not yet. */
    static LlamaCppReference on(Path model) {
        Path repository = repository();
        synchronized (LlamaCppReference.class) {
            if (installFailure != null) throw installFailure;
            if (modules == null) {
                try {
                    modules = install(repository);
                } catch (EnvironmentUnavailableException e) {
                    installFailure = e;
                    throw e;
                }
            }
        }
        return new LlamaCppReference(repository, model);
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
        List<String> commandLine = new ArrayList<>(List.of("node", repository.resolve("tools/llamacpp-ref/ref.mjs").toString(), command,
                "--model", model.toString(), "--threads", String.valueOf(THREADS)));
        commandLine.addAll(args);
        Result result = execute(commandLine, RUN_TIMEOUT_SECONDS, "llama.cpp reference " + command);
        if (result.exit != 0) {
            throw new IllegalStateException("llama.cpp reference " + command + " on " + model + " failed (exit " + result.exit + "): " + result.stderr.strip());
        }
        try {
            return JSON.readTree(result.stdout);
        } catch (IOException e) {
            throw new IllegalStateException("llama.cpp reference " + command + " printed no JSON object: " + result.stdout.strip(), e);
        }
    }

    private static Path install(Path repository) {
        Result result = execute(List.of("bash", repository.resolve("ci/llamacpp.sh").toString()), INSTALL_TIMEOUT_SECONDS, "ci/llamacpp.sh");
        String[] lines = result.stdout.strip().split("\n");
        if (result.exit != 0 || lines[lines.length - 1].isBlank()) {
            throw new EnvironmentUnavailableException("the llama.cpp reference tool is not available: " + result.stderr.strip());
        }
        return Path.of(lines[lines.length - 1]);
    }

    private record Result(int exit, String stdout, String stderr) {
    }

    private static Result execute(List<String> commandLine, long timeoutSeconds, String what) {
        Path out = null;
        Path err = null;
        Process process = null;
        try {
            out = Files.createTempFile("heavykv-ref", ".out");
            err = Files.createTempFile("heavykv-ref", ".err");
            ProcessBuilder builder = new ProcessBuilder(commandLine).redirectOutput(out.toFile()).redirectError(err.toFile());
            if (modules != null) builder.environment().put("LLAMACPP_REF_MODULES", modules.toString());
            process = builder.start();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                throw new IllegalStateException(what + " did not finish within " + timeoutSeconds + " s");
            }
            return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new EnvironmentUnavailableException("cannot run " + what + " (" + commandLine.getFirst() + "): " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(what + " was interrupted", e);
        } finally {
            if (process != null && process.isAlive()) process.destroyForcibly();
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    private static void deleteQuietly(Path file) {
        if (file == null) return;
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a leftover temporary file is harmless
        }
    }

    /** The checkout: the first folder up from the working directory (Surefire's is the module) that holds the tool. */
    private static Path repository() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("tools/llamacpp-ref/ref.mjs"))) return dir;
        }
        throw new IllegalStateException("tools/llamacpp-ref/ref.mjs not found above " + Path.of("").toAbsolutePath());
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
