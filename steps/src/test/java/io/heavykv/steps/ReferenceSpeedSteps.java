package io.heavykv.steps;

import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;
import io.heavykv.bench.BenchConfig;
import io.heavykv.bench.BenchRunner;
import io.heavykv.bench.RandomPrompts;
import io.heavykv.bench.RecordWriter;
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

import static org.assertj.core.api.Assertions.assertThat;

/**
 * heavykv's speed against llama.cpp's on the same GGUF, measured as {@code heavykv bench --reference llama.cpp}
 * measures it (the same runner, the same records), so the scenario and the command agree.
 */
public final class ReferenceSpeedSteps {
    private final ScenarioContext context;
    private List<RunRecord> records;
    private EngineComparison comparison;
    private ReferenceFailedException refused;

    public ReferenceSpeedSteps(ScenarioContext context) {
        this.context = context;
    }

    @When("heavykv and llama.cpp each decode {int} tokens after the same {int}-token prompt, interleaved, {int} times")
    public void bothEnginesDecodeInterleaved(int generate, int promptTokens, int repeats) throws IOException {
        LlamaCppTool llamaCpp = LlamaCppReference.tool();
        SideBySide sideBySide = sideBySide(llamaCpp);
        RunMatrix matrix = new RunMatrix(List.of(promptTokens), List.of(generate), repeats);
        BenchConfig config = new BenchConfig("full", context.cacheConfig());
        // JIT warm-up, as bench's --warmup 1: heavykv's figures are of compiled code, llama.cpp's of a warmed context.
        runner().run(config, RandomPrompts.forModel(context.engine()).tokens(Math.min(64, promptTokens)), "warmup", null, 16, 0);
        records = sideBySide.run(List.of(config), matrix, r -> { }, done -> { });
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

    /** The records as bench writes them (JSON lines), the pairs as a table, and the goal's figure. */
    private void attach() throws IOException {
        Path jsonl = Files.createTempFile("heavykv-vs-llamacpp", ".jsonl");
        try (RecordWriter writer = RecordWriter.open(jsonl, false)) {
            records.forEach(writer::write);
        }
        Allure.addAttachment("runs (bench records, JSON lines)", "application/x-ndjson", Files.readString(jsonl), ".jsonl");
        Files.delete(jsonl);
        List<List<?>> rows = new ArrayList<>();
        for (RunRecord r : records) {
            rows.add(List.of(r.configId(), r.repeat(), r.status(), fixed(r.prefillTokS()), fixed(r.decodeTokS())));
        }
        Figures.table("runs (interleaved, in run order)", List.of("engine", "repeat", "status", "prefill tok/s", "decode tok/s"), rows);
        EngineComparison c = EngineComparison.of(records).stream().findFirst().orElse(null);
        if (c == null) return;
        RatioSpread decode = c.decode();
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("threads", Parallel.threads());
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
