package io.heavykv.bench.gate;

import io.heavykv.bench.RunPair;
import io.heavykv.bench.RunRecord;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Decode speed of one configuration on one setting against the baseline configuration of the same run, paired
 * by repeat. Configurations run interleaved inside a repeat, so the two runs of a pair share whatever else the
 * machine was doing then; the median of the pair ratios shrugs off a repeat that a burst of load hit on one
 * side, which a best-of or mean comparison on a shared machine does not.
 *
 * @param ratios             candidate / baseline decode tok/s, one per repeat in which both runs passed
 * @param candidates         the candidate's passing runs that have a pair, in run order
 * @param baselineMedianTokS median decode tok/s of the paired baseline runs
 */
public record PairedDecode(String configId, String promptId, int generatedTokens, List<Double> ratios,
                           List<RunRecord> candidates, double baselineMedianTokS) {

    public PairedDecode {
        ratios = List.copyOf(ratios);
        candidates = List.copyOf(candidates);
    }

    /** How a result names what it judges: {@code config @ prompt/gen}. */
    public String subject() { return configId + " @ " + promptId + "/" + generatedTokens; }

    public boolean paired() { return !ratios.isEmpty(); }

    /** Median of the pair ratios; NaN when there is no pair. */
    public double medianRatio() {
        return median(ratios.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /** 1 - median ratio: the share of decode speed the configuration costs (negative when it is faster). */
    public double drop() { return 1 - medianRatio(); }

    public double candidateMedianTokS() {
        return median(candidates.stream().mapToDouble(RunRecord::decodeTokS).toArray());
    }

    /**
     * One comparison per configuration other than the baseline and per setting (prompt, generation length), in
     * first-run order. A candidate whose repeats have no passing baseline run beside them gets no ratios.
     */
    public static List<PairedDecode> of(String baselineId, List<RunRecord> records) {
        List<PairedDecode> result = new ArrayList<>();
        for (List<RunPair> group : RunPair.groups(baselineId, records)) {
            RunRecord first = group.get(0).candidate();
            List<Double> ratios = new ArrayList<>();
            List<RunRecord> paired = new ArrayList<>();
            List<Double> bases = new ArrayList<>();
            for (RunPair pair : group) {
                if (!pair.paired() || !(pair.baseline().decodeTokS() > 0)) continue;
                ratios.add(pair.candidate().decodeTokS() / pair.baseline().decodeTokS());
                bases.add(pair.baseline().decodeTokS());
                paired.add(pair.candidate());
            }
            double baseMedian = median(bases.stream().mapToDouble(Double::doubleValue).toArray());
            result.add(new PairedDecode(first.configId(), first.promptId(), first.generatedTokens(), ratios, paired, baseMedian));
        }
        return result;
    }

    /** Median of {@code values}; NaN when there are none. */
    public static double median(double[] values) {
        if (values.length == 0) return Double.NaN;
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
