package io.heavykv.cli;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/** Where a measuring command writes its records and charts, and how it talks to the terminal. */
final class MeasureOutput {

    @Option(names = "--out", paramLabel = "DIR",
            description = "Write the records (JSON lines, one per finished run or window, flushed as they finish) and charts here.")
    Path out;

    @Option(names = "--json", description = "Print the results as JSON instead of tables.")
    boolean json;

    @Option(names = {"-q", "--quiet"}, description = "No progress bar.")
    boolean quiet;

    /** Progress bars only for a person reading tables. */
    boolean silent() {
        return quiet || json;
    }
}
