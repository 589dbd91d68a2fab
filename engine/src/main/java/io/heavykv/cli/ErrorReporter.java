package io.heavykv.cli;

import picocli.CommandLine;

/**
 * Turns exceptions into one clear line on stderr and exit code 1. Users get the message that names the
 * problem (a corrupt file, a context overflow); the stack trace only with HEAVYKV_DEBUG set, because
 * for bad input it is noise.
 */
final class ErrorReporter implements CommandLine.IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(Exception e, CommandLine cli, CommandLine.ParseResult parsed) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        cli.getErr().println("heavykv: " + message);
        if (System.getenv("HEAVYKV_DEBUG") != null) {
            e.printStackTrace(cli.getErr());
        }
        return 1;
    }
}
