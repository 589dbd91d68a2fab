package io.heavykv.bench.reference;

import com.fasterxml.jackson.databind.JsonNode;
import io.heavykv.bench.BenchJson;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * llama.cpp as heavykv's reference engine: {@code tools/llamacpp-ref/ref.mjs} (node-llama-cpp's prebuilt CPU
 * build) run as a child process, one command per process, answering one JSON object on stdout. The script lives
 * in the checkout; its node modules live outside it, where {@code ci/llamacpp.sh} installs them once per
 * lockfile (or where {@code LLAMACPP_REF_MODULES} says).
 */
public final class LlamaCppTool {
    /** The configuration id llama.cpp's runs carry in bench records. */
    public static final String CONFIG_ID = "llama.cpp";
    static final String SCRIPT = "tools/llamacpp-ref/ref.mjs";
    static final String INSTALLER = "ci/llamacpp.sh";
    private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(10);

    private final Path script;
    private final Path modules;
    private final String node;

    /**
     * @param script  ref.mjs
     * @param modules the node_modules folder holding node-llama-cpp
     * @param node    the program that runs the script
     */
    LlamaCppTool(Path script, Path modules, String node) {
        this.script = script;
        this.modules = modules;
        this.node = node;
    }

    /** The tool as already installed: {@code LLAMACPP_REF_MODULES}, else what {@code ci/llamacpp.sh --check} finds. Installs nothing. */
    public static LlamaCppTool installed(Path repository) {
        String given = System.getenv("LLAMACPP_REF_MODULES");
        if (given != null && !given.isBlank()) return new LlamaCppTool(script(repository), Path.of(given), "node");
        return new LlamaCppTool(script(repository), modules(repository, true), "node");
    }

    /** The tool, installing it first with {@code ci/llamacpp.sh} (once per machine and lockfile; contacts npm then). */
    public static LlamaCppTool installing(Path repository) {
        return new LlamaCppTool(script(repository), modules(repository, false), "node");
    }

    /**
     * The heavykv checkout holding the tool: {@code heavykv.home} (the launcher sets it), else the first folder
     * up from the working directory (a test's is its module) that holds {@code tools/llamacpp-ref/ref.mjs}.
     */
    public static Path repository() {
        String home = System.getProperty("heavykv.home");
        if (home != null && Files.isRegularFile(Path.of(home).resolve(SCRIPT))) return Path.of(home).toAbsolutePath();
        Path start = Path.of("").toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve(SCRIPT))) return dir;
        }
        throw new ReferenceUnavailableException("llama.cpp reference tool " + SCRIPT + " not found in heavykv.home or above " + start
                + ": run heavykv from its checkout (./heavykv)");
    }

    private static Path script(Path repository) {
        Path script = repository.resolve(SCRIPT);
        if (!Files.isRegularFile(script)) {
            throw new ReferenceUnavailableException("llama.cpp reference tool " + script + " not found: run heavykv from its checkout (./heavykv)");
        }
        return script;
    }

    static Path modules(Path repository, boolean checkOnly) {
        Path installer = repository.resolve(INSTALLER);
        List<String> command = new ArrayList<>(List.of("bash", installer.toString()));
        if (checkOnly) command.add("--check");
        Output out = execute(command, null, INSTALL_TIMEOUT, INSTALLER);
        String[] lines = out.stdout.strip().split("\n");
        String last = lines[lines.length - 1].strip();
        if (out.exit != 0 || last.isEmpty()) {
            String why = diagnosis(out.stderr, "heavykv: ");
            throw new ReferenceUnavailableException("llama.cpp reference tool unavailable (" + (why.isEmpty() ? INSTALLER + " exit " + out.exit : why)
                    + "): run " + INSTALLER + " once, with node 20+ and npm on PATH");
        }
        return Path.of(last);
    }

    /** Runs {@code command} (tokens, greedy, logprobs, ppl, speed) on {@code model} and returns the tool's answer. */
    public JsonNode run(String command, Path model, List<String> args, Duration timeout) {
        List<String> commandLine = new ArrayList<>(List.of(node, script.toString(), command, "--model", model.toString()));
        commandLine.addAll(args);
        String what = "llama.cpp reference " + command;
        Output out = execute(commandLine, modules, timeout, what);
        if (out.exit != 0) {
            String why = diagnosis(out.stderr, "llamacpp-ref: ");
            throw new ReferenceFailedException(what + " on " + model + " failed (exit " + out.exit + "): "
                    + (why.isEmpty() ? "no message" : why));
        }
        try {
            JsonNode answer = BenchJson.MAPPER.readTree(out.stdout);
            if (answer == null || !answer.isObject()) throw new IOException("not one JSON object");
            return answer;
        } catch (IOException e) {
            throw new ReferenceFailedException(what + " on " + model + " printed no JSON object: " + diagnosis(out.stdout, ""));
        }
    }

    /**
     * llama.cpp's prefill of {@code prompt} and {@code generate} single-token decode steps after it, with
     * {@code threads} threads and the KV cache in {@code kvType} (f16 or f32).
     */
    public ReferenceSpeed speed(Path model, int[] prompt, int generate, int threads, String kvType, Duration timeout) {
        String ids = Arrays.stream(prompt).mapToObj(String::valueOf).collect(Collectors.joining(","));
        return ReferenceSpeed.fromJson(run("speed", model, List.of("--ids", ids, "--n", String.valueOf(generate),
                "--threads", String.valueOf(threads), "--kv-type", kvType.toLowerCase(Locale.ROOT)), timeout));
    }

    private record Output(int exit, String stdout, String stderr) {
    }

    private static Output execute(List<String> commandLine, Path modules, Duration timeout, String what) {
        Path out = null;
        Path err = null;
        Process process = null;
        try {
            out = Files.createTempFile("heavykv-ref", ".out");
            err = Files.createTempFile("heavykv-ref", ".err");
            ProcessBuilder builder = new ProcessBuilder(commandLine).redirectOutput(out.toFile()).redirectError(err.toFile());
            if (modules != null) builder.environment().put("LLAMACPP_REF_MODULES", modules.toString());
            process = builder.start();
            if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                throw new ReferenceFailedException(what + " did not finish within " + timeout.toSeconds() + " s");
            }
            return new Output(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new ReferenceUnavailableException("cannot run " + what + " (" + commandLine.getFirst() + ": " + e.getMessage()
                    + "): node 20+ must be on PATH, then run " + INSTALLER);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ReferenceFailedException(what + " was interrupted");
        } finally {
            if (process != null && process.isAlive()) process.destroyForcibly();
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    /**
     * The tool's own one-line diagnosis: the first line starting with {@code prefix} (npm's output may come
     * before it), without the prefix, else the first non-blank line.
     */
    static String diagnosis(String text, String prefix) {
        List<String> lines = text.lines().map(String::strip).filter(s -> !s.isEmpty()).toList();
        for (String line : lines) if (line.startsWith(prefix)) return line.substring(prefix.length()).strip();
        return lines.isEmpty() ? "" : lines.getFirst();
    }

    private static void deleteQuietly(Path file) {
        if (file == null) return;
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a leftover temporary file is harmless
        }
    }
}
