package io.heavykv.cli;

import io.heavykv.bench.RecordFiles;
import io.heavykv.bench.RunRecord;
import io.heavykv.bench.gate.GateSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code heavykv gate}: judge record files written by bench, sweep or prompts. */
@Command(name = "gate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Judge run records (JSON lines or CSV) against gates; exit code 3 when any enabled gate fails.",
                "Examples:",
                "  heavykv gate runs.jsonl --min-lossy 3.0 --max-decode-drop 0.05 --baseline same_batch --baseline-config baseline",
                "  heavykv gate runs.jsonl --max-decode-drop 0.05 --history hist.jsonl --record-history",
                "  heavykv gate runs.csv --max-decode-drop 0.05 --baseline-decode 6.6"})
final class GateCommand implements Callable<Integer> {

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "Record files (.jsonl or .csv).")
    List<Path> files;

    @Mixin
    GateOptions gates = new GateOptions();

    @Override
    public Integer call() throws Exception {
        List<RunRecord> records = new ArrayList<>();
        for (Path file : files) records.addAll(RecordFiles.read(file));
        if (records.isEmpty()) throw new IllegalArgumentException("no run records in " + files);
        GateSpec spec = gates.spec();
        if (!gates.any()) {
            System.err.println("heavykv gate: no gate flags given; judging only that every run passed");
        }
        return gates.judge(spec, records, System.out);
    }
}
