package io.heavykv.bench.stress;

import io.heavykv.bench.BenchJson;

import java.io.IOException;
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
        List<StressRun> runs = BenchJson.readLines(file, StressRun.class, "a stress run");
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
