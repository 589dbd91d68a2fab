package io.heavykv.bench.gate;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/** All gate results of one evaluation; it passes when none failed. */
public record GateVerdict(List<GateResult> results) {

    public GateVerdict {
        results = List.copyOf(results);
    }

    public boolean passed() {
        return results.stream().noneMatch(GateResult::failed);
    }

    public List<GateResult> failures() {
        return results.stream().filter(GateResult::failed).toList();
    }

    public void print(PrintStream out) {
        for (GateResult r : results) {
            out.println(String.format(Locale.ROOT, "%-7s %-20s %-34s figure %-12s threshold %-10s %s", r.status(), r.gate(),
                    r.subject(), Double.isNaN(r.figure()) ? "-" : String.format(Locale.ROOT, "%.4f", r.figure()),
                    String.format(Locale.ROOT, "%.4f", r.threshold()), r.detail()));
        }
        out.println("gates: " + (passed() ? "PASS" : "FAIL (" + failures().size() + " of " + results.size() + " failed)"));
    }
}
