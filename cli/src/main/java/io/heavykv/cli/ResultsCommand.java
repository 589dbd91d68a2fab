package io.heavykv.cli;

import io.heavykv.bench.results.ModelResults;
import io.heavykv.bench.results.ResultsFiles;
import io.heavykv.bench.results.ResultsRow;
import io.heavykv.bench.results.ResultsRun;
import io.heavykv.bench.results.ResultsSetup;
import io.heavykv.bench.results.ResultsTable;
import io.heavykv.files.OutputFile;
import io.heavykv.runtime.Engine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code heavykv results}: runs the README's results table afresh on stories260K and SmolLM2, keeps the runs'
 * records in results/ and writes the table rendered from them into the README; {@code --check} runs them and
 * only compares the figures that must come out the same with the committed records.
 */
@Command(name = "results", mixinStandardHelpOptions = true,
        description = {"Regenerates the README's results table: per model, the full cache against H2O with store mode",
                "(bench paired by repeat, then a held-out perplexity window); records go to results/, the table to the README."})
final class ResultsCommand implements Callable<Integer> {
    /** Exit code when --check finds a deterministic figure that differs (as the gate command's failures). */
    static final int DIFFERS = 3;

    @Option(names = "--models", paramLabel = "M", split = ",", defaultValue = "stories260K,smollm2",
            description = "Models to run: stories260K, smollm2 (default: ${DEFAULT-VALUE}); the others' committed records stay.")
    List<String> models;

    @Option(names = "--render", description = "Run nothing: only write the table rendered from the committed records into the README.")
    boolean renderOnly;

    @Option(names = "--check", description = "Run, write nothing, and exit " + DIFFERS + " when a figure other than decode speed differs from the committed records.")
    boolean check;

    @Option(names = "--dir", paramLabel = "DIR", description = "Records folder (default: results/ of the checkout).")
    Path dir;

    @Option(names = "--readme", paramLabel = "FILE", description = "README holding the table (default: README.md of the checkout).")
    Path readme;

    @Override
    public Integer call() throws Exception {
        Path home = Path.of(System.getProperty("heavykv.home", "."));
        Path records = dir != null ? dir : home.resolve("results");
        Path readmeFile = readme != null ? readme : home.resolve("README.md");
        if (renderOnly && check) throw new IllegalArgumentException("--render and --check exclude each other");
        boolean differs = false;
        if (!renderOnly) {
            for (String name : models) {
                ResultsSetup setup = setup(name);
                Path modelFile = setup.modelArg() == null ? DefaultModel.stories260K()
                        : DefaultModel.resolve(Path.of(setup.modelArg()), DefaultModel.smolLm2File());
                System.err.println("results: " + setup.model() + " (" + modelFile + ")");
                ModelResults fresh;
                try (Engine engine = Engine.load(modelFile, Optional.empty())) {
                    fresh = ResultsRun.run(engine, modelFile, setup, r -> System.err.println(MarkdownTable.f("results: %s repeat %d: %s, decode %.1f tok/s",
                            r.configId(), r.repeat(), r.status(), r.decodeTokS())));
                }
                if (check) differs |= !reproduces(ResultsFiles.read(records, setup), fresh);
                else ResultsFiles.write(records, setup, fresh);
            }
        }
        if (check) return differs ? DIFFERS : 0;
        List<ResultsRow> rows = new ArrayList<>();
        for (ResultsSetup setup : List.of(ResultsSetup.STORIES260K, ResultsSetup.SMOLLM2)) {
            if (Files.exists(ResultsFiles.bench(records, setup))) rows.add(ResultsRow.of(ResultsFiles.read(records, setup)));
        }
        String table = ResultsTable.render(rows);
        String text = Files.readString(readmeFile, StandardCharsets.UTF_8);
        OutputFile.write(readmeFile, temporary -> Files.writeString(temporary, ResultsTable.replace(text, table), StandardCharsets.UTF_8));
        System.out.print(table);
        System.err.println("results: table written to " + readmeFile);
        return 0;
    }

    private static ResultsSetup setup(String name) {
        if (name.equalsIgnoreCase("stories260K")) return ResultsSetup.STORIES260K;
        if (name.equalsIgnoreCase(DefaultModel.SMOLLM2)) return ResultsSetup.SMOLLM2;
        throw new IllegalArgumentException("--models: unknown model '" + name + "' (known: stories260K, smollm2)");
    }

    /** Whether every column but decode speed of the fresh run equals the committed one; prints those that do not. */
    private static boolean reproduces(ModelResults committed, ModelResults fresh) {
        List<String> was = ResultsTable.cells(ResultsRow.of(committed));
        List<String> now = ResultsTable.cells(ResultsRow.of(fresh));
        boolean same = true;
        for (int i = 0; i < was.size(); i++) {
            if (i == ResultsTable.DECODE_COLUMN || was.get(i).equals(now.get(i))) continue;
            System.err.println("results: " + fresh.model() + " column " + (i + 1) + ": committed '" + was.get(i) + "', now '" + now.get(i) + "'");
            same = false;
        }
        System.out.println(fresh.model() + (same ? ": every deterministic figure reproduced" : ": differs from the committed records"));
        return same;
    }
}
