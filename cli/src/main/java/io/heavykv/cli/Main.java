package io.heavykv.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code heavykv} command line. */
@Command(
        name = "heavykv",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "A Llama inference engine whose KV cache keeps the heavy hitters and compresses the rest.",
        subcommands = {
                GenerateCommand.class,
                TokenizeCommand.class,
                InfoCommand.class,
                ConvertCommand.class,
                KvDumpCommand.class,
                LosslessEvalCommand.class,
                PplCommand.class,
                PoliciesCommand.class,
                StressCommand.class,
                ResultsCommand.class,
                ThroughputCommand.class,
                BenchCommand.class,
                SweepCommand.class,
                PromptsCommand.class,
                GateCommand.class,
                CommandLine.HelpCommand.class
        })
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the CLI and returns its exit code (tests call this instead of main). */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler(new ErrorReporter());
        int code;
        try {
            code = cli.execute(args);
        } catch (Error e) {
            // picocli hands only Exceptions to the handler; an OutOfMemoryError or a fault on a mapped file
            // would otherwise leave as a raw stack trace.
            code = ErrorReporter.report(e, cli.getErr());
        }
        if (System.out.checkError()) {
            // PrintStream swallows write failures (a full disk, a closed pipe): the output is lost, so say so.
            cli.getErr().println("heavykv: could not write the output to stdout (disk full or pipe closed?)");
            cli.getErr().flush();
            return code == 0 ? 1 : code;
        }
        return code;
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
