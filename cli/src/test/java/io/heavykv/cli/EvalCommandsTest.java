package io.heavykv.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.heavykv.bench.BenchJson;
import io.heavykv.testing.SharedModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** ppl, stress and throughput end to end on stories260K at tiny sizes: exit codes, records, charts. */
class EvalCommandsTest {
    private static final String MODEL = SharedModels.defaultModel().resolve("stories260K.bin").toString();

    @Test
    void pplWritesEveryWindowThenTheSummaryAndAChart(@TempDir Path dir) throws Exception {
        Path text = story(dir);
        Path out = dir.resolve("out");
        int code = Main.run("ppl", "-m", MODEL, "-f", text.toString(), "--ctx", "24", "--budgets", "20", "--h2o-recent-tokens", "4",
                "--h2o-block-tokens", "1", "--out", out.toString(), "-q", "--json");
        assertThat(code).isZero();
        List<String> lines = Files.readAllLines(out.resolve("ppl.jsonl"));
        assertThat(lines.size()).isGreaterThanOrEqualTo(3);
        List<String> kinds = lines.stream().map(EvalCommandsTest::kind).toList();
        assertThat(kinds.getLast()).isEqualTo("summary");
        assertThat(kinds.subList(0, kinds.size() - 1)).containsOnly("window");
        JsonNode summary = BenchJson.MAPPER.readTree(lines.getLast()).get("data");
        assertThat(summary.get("rows")).extracting(r -> r.get("label").asText())
                .containsExactly("full", "streaming_4_16", "h2o_4_4_20", "h2o_4_4_r0.333");
        assertThat(Files.readAllBytes(out.resolve("perplexity_vs_budget.png"))).startsWith(0x89, 'P', 'N', 'G');
    }

    @Test
    void pplBudgetsFromLossyRatiosScoreTheTailOfTheFirstWindowsOnly(@TempDir Path dir) throws Exception {
        Path text = story(dir);
        Path out = dir.resolve("out");
        int code = Main.run("ppl", "-m", MODEL, "-f", text.toString(), "--ctx", "24", "--lossy", "2,2.4", "--tail", "5", "--windows", "1",
                "--h2o-recent-tokens", "4", "--h2o-block-tokens", "1", "--no-ratio-row", "--out", out.toString(), "-q", "--json");
        assertThat(code).isZero();
        JsonNode summary = BenchJson.MAPPER.readTree(Files.readAllLines(out.resolve("ppl.jsonl")).getLast()).get("data");
        // 24 / 2 = 12 and 24 / 2.4 = 10 tokens; one window, its last 5 predictions scored.
        assertThat(summary.get("rows")).extracting(r -> r.get("label").asText())
                .containsExactly("full", "streaming_4_8", "h2o_4_4_12", "streaming_4_6", "h2o_4_4_10");
        assertThat(summary.get("rows")).extracting(r -> r.get("tokens_scored").asInt()).containsOnly(5);
        assertThat(Main.run("ppl", "-m", MODEL, "-f", text.toString(), "--ctx", "24", "--lossy", "0.5", "-q")).isNotZero();
    }

    private static Path story(Path dir) throws java.io.IOException {
        return Files.writeString(dir.resolve("text.txt"), "Once upon a time, there was a little cat named Tom. Tom liked to sleep in the sun. "
                + "One day, Tom saw a bird on the fence. He wanted to play with the bird, but the bird flew away. Tom was sad.");
    }

    @Test
    void stressReportsTheBudgetStopInItsRecords(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("out");
        Path prompt = Files.writeString(dir.resolve("prompt.txt"), "Once upon a time");
        int code = Main.run("stress", "-m", MODEL, "-f", prompt.toString(), "--lengths", "64,128", "--budget", "48", "--kv-page-tokens", "16",
                "--kv-budget-mb", "0.05", "--out", out.toString(), "-q");
        assertThat(code).isZero();
        List<String> lines = Files.readAllLines(out.resolve("stress.jsonl"));
        assertThat(lines).hasSize(3);
        JsonNode full = BenchJson.MAPPER.readTree(lines.get(2));
        assertThat(full.get("label").asText()).isEqualTo("full");
        // 50,000 bytes at 640 per token in 16-token pages of 10,240 bytes: the 5th page (token 65) is the first over.
        assertThat(full.get("exceeded_at").asInt()).isEqualTo(65);
        assertThat(BenchJson.MAPPER.readTree(lines.get(0)).get("exceeded_at").asInt()).isZero();
        assertThat(out.resolve("kv_memory_vs_length.png")).exists();
        assertThat(out.resolve("tpot_vs_length.png")).exists();
    }

    @Test
    void throughputAdmitsMoreSequencesWithEviction(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("out");
        int code = Main.run("throughput", "-m", MODEL, "-n", "64", "--kv-budget-mb", "0.3", "--budget", "48",
                "--kv-page-tokens", "16", "--h2o-recent-tokens", "8", "--max-sequences", "40", "--out", out.toString(), "-q");
        assertThat(code).isZero();
        List<JsonNode> records = Files.readAllLines(out.resolve("throughput.jsonl")).stream().map(EvalCommandsTest::parse).toList();
        assertThat(records).extracting(r -> r.get("label").asText()).containsExactly("full", "streaming_4_44", "h2o_4_8_48");
        int full = records.get(0).get("sequences").asInt();
        assertThat(full).isPositive();
        assertThat(records.get(1).get("sequences").asInt()).isGreaterThan(full);
        assertThat(records.get(2).get("sequences").asInt()).isGreaterThan(full);
    }

    private static String kind(String line) {
        return parse(line).get("kind").asText();
    }

    private static JsonNode parse(String line) {
        try {
            return BenchJson.MAPPER.readTree(line);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + line, e);
        }
    }
}
