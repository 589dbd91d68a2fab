package io.heavykv.bench.gate;

/**
 * One gate's verdict.
 *
 * @param gate      gate name, e.g. {@code min_lossy_ratio}
 * @param subject   what was judged (all candidates, or one configuration and setting)
 * @param figure    the measured figure (NaN when there was none)
 * @param threshold the limit it was held to (for decode drop: the allowed drop; the baseline is in {@code detail})
 * @param detail    how the figure was obtained, in words
 */
public record GateResult(String gate, String subject, Status status, double figure, double threshold, String detail) {

    public enum Status { PASS, FAIL, SKIPPED }

    public boolean failed() { return status == Status.FAIL; }
}
