package io.heavykv.bench.stress;

import java.util.List;

/**
 * A stress run over several configurations.
 *
 * @param kvBudgetBytes K/V bytes a configuration may hold before it is stopped, 0 for no limit
 * @param checkpoints   sequence lengths at which points were taken
 */
public record StressReport(String positions, long kvBudgetBytes, List<Integer> checkpoints, List<StressRun> runs) {
    public StressReport {
        checkpoints = List.copyOf(checkpoints);
        runs = List.copyOf(runs);
    }
}
