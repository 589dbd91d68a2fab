package io.heavykv.bench.jmh;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;

import java.util.Collection;

/**
 * Runs {@link MatvecBenchmark} and {@link MemoryStreamBenchmark} in one go and prints GB/s of weights read
 * per type and shape next to the streaming bandwidth measured in the same run (the ratio is what to
 * compare when the machine is shared).
 */
public final class MatvecReport {
    private MatvecReport() {
    }

    public static void main(String[] args) throws RunnerException {
        Collection<RunResult> stream = new Runner(new OptionsBuilder()
                .include(MemoryStreamBenchmark.class.getName()).build()).run();
        double streamGbs = gbs(MatvecBenchmark.WORKING_SET, stream.iterator().next().getPrimaryResult().getScore());
        OptionsBuilder matvec = new OptionsBuilder();
        matvec.include(MatvecBenchmark.class.getName());
        if (args.length > 0) matvec.param("type", args);
        Collection<RunResult> results = new Runner(matvec.build()).run();
        System.out.printf("%nstream read: %.2f GB/s%n", streamGbs);
        System.out.printf("%-6s %-10s %10s %8s %9s%n", "type", "shape", "us/op", "GB/s", "of stream");
        for (RunResult r : results) {
            String type = r.getParams().getParam("type");
            String shape = r.getParams().getParam("shape");
            double us = r.getPrimaryResult().getScore();
            double g = gbs(MatvecBenchmark.bytesPerOp(type, shape), us);
            System.out.printf("%-6s %-10s %10.1f %8.2f %8.0f%%%n", type, shape, us, g, 100 * g / streamGbs);
        }
    }

    private static double gbs(long bytes, double microseconds) {
        return bytes / (microseconds * 1e3);
    }
}
