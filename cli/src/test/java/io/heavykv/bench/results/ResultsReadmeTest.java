package io.heavykv.bench.results;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.heavykv.bench.BenchJson;
import io.heavykv.bench.RunRecord;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The README's results table is exactly what the committed records of the runs render to. */
class ResultsReadmeTest {
    private static final List<ResultsSetup> MODELS = List.of(ResultsSetup.STORIES260K, ResultsSetup.SMOLLM2);

    @Test
    void readmeTableIsWhatTheCommittedRecordsRender() throws IOException {
        Path root = checkout();
        List<ResultsRow> rows = new ArrayList<>();
        for (ResultsSetup setup : MODELS) rows.add(ResultsRow.of(ResultsFiles.read(root.resolve("results"), setup)));
        String readme = Files.readString(root.resolve("README.md"), StandardCharsets.UTF_8);
        assertThat(ResultsTable.section(readme))
                .as("README results table against results/*.jsonl (regenerate with ./heavykv results, or --render after editing records)")
                .isEqualTo(ResultsTable.render(rows));
    }

    @Test
    void everyRepeatOfTheCommittedRunsGaveTheSameDeterministicFigures() throws IOException {
        for (ResultsSetup setup : MODELS) {
            ModelResults results = ResultsFiles.read(checkout().resolve("results"), setup);
            ResultsRow row = ResultsRow.of(results);
            assertThat(row.repeats()).as(setup.model() + " repeats paired with the full cache").isEqualTo(setup.repeats());
            assertThat(row.lossyRatio()).as(setup.model() + " lossy ratio").isGreaterThan(1.0);
            assertThat(row.heldBytes()).as(setup.model() + " KV held by the candidate").isLessThan(row.fullHeldBytes());
        }
    }

    @Test
    void aRepeatWithAnotherLossyRatioIsRefused() throws IOException {
        ModelResults results = ResultsFiles.read(checkout().resolve("results"), ResultsSetup.STORIES260K);
        List<RunRecord> bench = new ArrayList<>(results.bench());
        int last = bench.size() - 1;
        ObjectNode changed = BenchJson.MAPPER.valueToTree(bench.get(last));
        changed.put("lossy_ratio", bench.get(last).lossyRatio() * 1.01);
        bench.set(last, BenchJson.MAPPER.treeToValue(changed, RunRecord.class));
        ModelResults tampered = new ModelResults(results.model(), bench, results.quality());

        assertThatThrownBy(() -> ResultsRow.of(tampered)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must be deterministic");
    }

    @Test
    void recordsWithoutTheFullCacheAreRefused() throws IOException {
        ModelResults results = ResultsFiles.read(checkout().resolve("results"), ResultsSetup.STORIES260K);
        List<RunRecord> candidateOnly = results.bench().stream().filter(r -> !r.configId().equals(ResultsRun.FULL)).toList();

        assertThatThrownBy(() -> ResultsRow.of(new ModelResults(results.model(), candidateOnly, results.quality())))
                .hasMessageContaining("needs bench runs of 'full'");
    }

    @Test
    void replacingTheTableKeepsTheRestOfTheReadme() {
        String readme = "intro\n" + ResultsTable.BEGIN + "\n| old |\n" + ResultsTable.END + "\nrest\n";

        String updated = ResultsTable.replace(readme, "| new |\n");

        assertThat(updated).isEqualTo("intro\n" + ResultsTable.BEGIN + "\n| new |\n" + ResultsTable.END + "\nrest\n");
        assertThat(ResultsTable.section(updated)).isEqualTo("| new |\n");
    }

    @Test
    void aReadmeWithoutMarkersIsNamedAsSuch() {
        assertThatThrownBy(() -> ResultsTable.section("no table here\n")).hasMessageContaining("no results table");
    }

    /** The checkout's root: the first folder up from the working directory with README.md and results/. */
    private static Path checkout() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("README.md")) && Files.isDirectory(dir.resolve("results"))) return dir;
        }
        throw new IllegalStateException("no README.md with a results/ folder above " + Path.of("").toAbsolutePath());
    }
}
