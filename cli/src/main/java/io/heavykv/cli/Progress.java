package io.heavykv.cli;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A progress bar on stderr for long runs, shown only to a person at a terminal: in pipes, CI logs and
 * JSON mode it would only be noise.
 */
final class Progress implements AutoCloseable {
    private final ProgressBar bar;
    private boolean closed;

    private Progress(ProgressBar bar) {
        this.bar = bar;
    }

    static Progress start(String task, long total, boolean silent) {
        if (silent || System.console() == null || total < 256) {
            return new Progress(null);
        }
        return new Progress(new ProgressBarBuilder().setTaskName(task).setInitialMax(total)
                .setStyle(ProgressBarStyle.ASCII).setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(System.err))
                .build());
    }

    void update(int done) {
        if (bar != null && !closed) bar.stepTo(done);
    }

    /** Ends the bar; later calls do nothing, so callers may close as soon as the task is over. */
    @Override
    public void close() {
        if (bar != null && !closed) bar.close();
        closed = true;
    }
}
