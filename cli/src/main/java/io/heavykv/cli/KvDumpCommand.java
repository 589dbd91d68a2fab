package io.heavykv.cli;

import io.heavykv.codec.eval.KvCapture;
import io.heavykv.codec.eval.KvDump;
import io.heavykv.codec.eval.KvDumpHeader;
import io.heavykv.codec.eval.KvDumpWriter;
import io.heavykv.files.InputFiles;
import io.heavykv.files.OutputFile;
import io.heavykv.kvcache.KvDType;
import io.heavykv.kvcache.PositionMode;
import io.heavykv.runtime.Engine;
import io.heavykv.runtime.KvCacheConfig;
import io.heavykv.runtime.Session;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code heavykv kvdump}: runs a prompt (and optionally greedy decode steps) and writes the KV cache as a dump. */
@Command(name = "kvdump", mixinStandardHelpOptions = true,
        description = "Run a prompt through the model and write its KV cache as a dump for lossless-eval.")
final class KvDumpCommand implements Callable<Integer> {

    @Mixin
    ModelOptions modelOptions = new ModelOptions();

    @Option(names = {"-p", "--prompt"}, paramLabel = "TEXT", defaultValue = "", description = "Prompt text.")
    String prompt;

    @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "Read the prompt from a UTF-8 file instead.")
    Path promptFile;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", required = true, description = "Dump file to write.")
    Path output;

    @Option(names = "--kv-dtype", paramLabel = "TYPE", defaultValue = "FP16", description = "KV storage type: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    KvDType dtype;

    @Option(names = "--kv-positions", paramLabel = "MODE", defaultValue = "absolute", converter = CacheOptions.Positions.class,
            description = CacheOptions.Positions.DESCRIPTION)
    PositionMode positions;

    @Option(names = {"-n", "--n-predict"}, paramLabel = "N", defaultValue = "0", description = "Greedy decode steps after the prompt (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = {"-c", "--ctx"}, paramLabel = "N", defaultValue = "0",
            description = "Context length; 0 = enough for the prompt and the decode steps (default: ${DEFAULT-VALUE}).")
    int context;

    @Option(names = {"-b", "--batch"}, paramLabel = "N", defaultValue = "64", description = "Prompt tokens per prefill step (default: ${DEFAULT-VALUE}).")
    int batch;

    @Override
    public Integer call() throws Exception {
        if (steps < 0) throw new IllegalArgumentException("-n/--n-predict must be >= 0, got " + steps);
        if (context < 0) throw new IllegalArgumentException("-c/--ctx must be positive, or 0 for enough, got " + context);
        OutputFile.refuseInputs(output, modelOptions.modelPath(), modelOptions.tokenizer, promptFile);
        String text = promptFile != null ? InputFiles.readText(promptFile, "prompt file") : prompt;
        try (Engine engine = modelOptions.load()) {
            int[] tokens = engine.tokenizer().encode(text, true, false);
            int ctx = context > 0 ? context : Math.toIntExact(Math.max(engine.defaultContext(), (long) tokens.length + steps));
            try (Session session = engine.openSession(KvCacheConfig.defaults().withDType(dtype)
                    .withPositionMode(positions), ctx, batch)) {
                float[] logits = session.prefill(tokens);
                for (int s = 0; s < steps; s++) logits = session.decode(argmax(logits));
                KvDump dump = KvCapture.capture(session.cache(), modelOptions.modelPath().getFileName().toString());
                KvDumpWriter.write(output, dump);
                KvDumpHeader header = dump.header();
                System.err.println(String.format(Locale.ROOT, "wrote %s: %d layers x %d tokens x %d channels, %s",
                        output, header.layers(), header.tokens(), header.channels(), header.dtype()));
            }
        }
        return 0;
    }

    private static int argmax(float[] logits) {
        int best = 0;
        for (int i = 1; i < logits.length; i++) if (logits[i] > logits[best]) best = i;
        return best;
    }
}
