package io.heavykv.steps;

import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;
import io.heavykv.bench.BenchConfig;
import io.heavykv.bench.BenchRunner;
import io.heavykv.bench.RandomPrompts;
import io.heavykv.bench.RecordFiles;
import io.heavykv.bench.RunMatrix;
import io.heavykv.bench.RunRecord;
import io.heavykv.bench.reference.EngineComparison;
import io.heavykv.bench.reference.LlamaCppTool;
import io.heavykv.bench.reference.RatioSpread;
import io.heavykv.bench.reference.ReferenceFailedException;
import io.heavykv.bench.reference.SideBySide;
import io.heavykv.runtime.Engine;
import io.heavykv.tensor.Parallel;
import io.qameta.allure.Allure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * heavykv's speed against llama.cpp's on the same GGUF, measured by {@code heavykv bench --reference llama.cpp}
 * (the command itself, or its runner), so the scenario and the command agree.
 */
public final class ReferenceSpeedSteps {
    private static final long BENCH_TIMEOUT_MINUTES = 20;
    private final ScenarioContext context;
    private List<RunRecord> records;
    private EngineComparison comparison;
    private ReferenceFailedException refused;

    public ReferenceSpeedSteps(ScenarioContext context) {
        this.context = context;
    }

    /**
     * Runs {@code heavykv bench --reference llama.cpp} itself, in a JVM that sees one core, so both engines get one
     * thread: with two, llama.cpp's workers spin-wait on each other and on a busy machine its decode collapses
     * (seconds per token), which would make this scenario slow and say nothing about either engine.
     */
    @When("heavykv and llama.cpp each decode {int} tokens after the same {int}-token prompt on one thread, interleaved, {int} times")
    public void bothEnginesDecodeInterleaved(int generate, int promptTokens, int repeats) throws IOException, InterruptedException {
        LlamaCppReference.tool();   // installs the tool once; the command finds it installed
        Path jsonl = Files.createTempFile("heavykv-vs-llamacpp", ".jsonl");
        Path log = Files.createTempFile("heavykv-vs-llamacpp", ".log");
        try {
            String java = ProcessHandle.current().info().command().orElse("java");
            List<String> command = List.of(java, "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                    "-XX:ActiveProcessorCount=1", "-Dheavykv.home=" + LlamaCppTool.repository(), "-cp", System.getProperty("java.class.path"),
                    "io.heavykv.cli.Main", "bench", "-m", context.engineFile().toString(), "--reference", LlamaCppTool.CONFIG_ID,
                    "--prompt-source", "random", "-p", String.valueOf(promptTokens), "-n", String.valueOf(generate),
                    "-r", String.valueOf(repeats), "-q", "--jsonl", jsonl.toString());
            Process bench = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!bench.waitFor(BENCH_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                bench.destroyForcibly();
                throw new IllegalStateException("heavykv bench --reference llama.cpp did not finish within " + BENCH_TIMEOUT_MINUTES + " minutes");
            }
            assertThat(bench.exitValue()).as("exit code of heavykv bench --reference llama.cpp; its output:%n%s", Files.readString(log)).isZero();
            records = RecordFiles.readJsonLines(jsonl);
            Allure.addAttachment("runs (bench records, JSON lines)", "application/x-ndjson", Files.readString(jsonl), ".jsonl");
        } finally {
            Files.deleteIfExists(jsonl);
            Files.deleteIfExists(log);
        }
        attach();
        List<EngineComparison> comparisons = EngineComparison.of(records);
        assertThat(comparisons).as("heavykv runs paired with llama.cpp's").hasSize(1);
        comparison = comparisons.getFirst();
    }

    @When("I compare its speed with llama.cpp's")
    public void iCompareWithLlamaCpp() {
        try {
            sideBySide(LlamaCppReference.tool()).run(List.of(new BenchConfig("full", context.cacheConfig())),
                    new RunMatrix(List.of(8), List.of(4), 1), r -> { }, done -> { });
        } catch (ReferenceFailedException e) {
            refused = e;
        }
    }

    @Then("heavykv decodes at least {double} times as fast as llama.cpp, by the median of the paired ratios")
    public void heavykvDecodesAtLeast(double bound) {
        assertThat(comparison.decode().median()).as("heavykv / llama.cpp decode tok/s, median of the per-repeat ratios %s",
                comparison.decode().ratios()).isGreaterThanOrEqualTo(bound);
    }

    @Then("the comparison ends with one line naming the file and llama.cpp's reason")
    public void theComparisonEndsWithOneLine() {
        assertThat(refused).as("llama.cpp refusing " + context.engineFile()).isNotNull();
        Figures.keyValues("refusal", Map.of("message", refused.getMessage()));
        assertThat(refused.getMessage()).doesNotContain("\n").contains(context.engineFile().toString()).contains("llama.cpp cannot load");
    }

    private BenchRunner runner() {
        return new BenchRunner(context.engine(), context.engineFile(), "scenario", 0, 64);
    }

    private SideBySide sideBySide(LlamaCppTool llamaCpp) {
        Engine engine = context.engine();
        return new SideBySide(runner(), RandomPrompts.forModel(engine), llamaCpp, context.engineFile(), Parallel.threads());
    }

    /** The runs as a table and the goal's figure (the records themselves are attached as the command wrote them). */
    private void attach() {
        List<List<?>> rows = new ArrayList<>();
        for (RunRecord r : records) {
            rows.add(List.of(r.configId(), r.repeat(), r.status(), fixed(r.prefillTokS()), fixed(r.decodeTokS())));
        }
        Figures.table("runs (interleaved, in run order)", List.of("engine", "repeat", "status", "prefill tok/s", "decode tok/s"), rows);
        EngineComparison c = EngineComparison.of(records).stream().findFirst().orElse(null);
        if (c == null) return;
        RatioSpread decode = c.decode();
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("threads", 1);
        summary.put("heavykv decode tok/s (median)", fixed(c.heavykvTokS(false)));
        summary.put("llama.cpp decode tok/s (median)", fixed(c.llamaCppTokS(false)));
        summary.put("decode speed / llama.cpp", fixed(decode.median()));
        summary.put("decode ratio range", fixed(decode.min()) + ".." + fixed(decode.max()));
        summary.put("prefill speed / llama.cpp", fixed(c.prefill().median()));
        summary.put("pairs", decode.ratios().size());
        Figures.keyValues("heavykv against llama.cpp", summary);
    }

    private static String fixed(double value) {
        return String.format(Locale.ROOT, "%.4f", value);
    }
}
