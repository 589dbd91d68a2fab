package io.heavykv.bench.stress;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.heavykv.bench.BenchJson;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Stress runs read back from the JSON lines {@code heavykv stress} writes (one run a line), so runs made apart, for
 * example one configuration per process so each has the process memory to itself, can be charted together.
 */
public final class StressRecords {
    private StressRecords() {
    }

    public static List<StressRun> read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<StressRun> runs = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) continue;
            try {
                runs.add(BenchJson.MAPPER.readValue(lines.get(i), StressRun.class));
            } catch (JsonProcessingException e) {
                throw new IOException(file + " line " + (i + 1) + " is not a stress run: " + e.getOriginalMessage(), e);
            }
        }
        if (runs.isEmpty()) throw new IOException(file + " holds no stress run");
        return runs;
    }

    /** One report of runs read from several files; its checkpoints are every length any run recorded. */
    public static StressReport report(List<Path> files) throws IOException {
        List<StressRun> runs = new ArrayList<>();
        for (Path file : files) runs.addAll(read(file));
        TreeSet<Integer> checkpoints = new TreeSet<>();
        for (StressRun run : runs) run.points().forEach(p -> checkpoints.add(p.tokens()));
        return new StressReport("as recorded", 0, List.copyOf(checkpoints), runs);
    }
}
