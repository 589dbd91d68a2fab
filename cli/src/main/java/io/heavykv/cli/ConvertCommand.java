package io.heavykv.cli;

import io.heavykv.files.OutputFile;
import io.heavykv.model.ModelConverter;
import io.heavykv.runtime.Engine;
import io.heavykv.tensor.TensorType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code heavykv convert}: write any model the engine reads as GGUF, its matrices in any {@link TensorType}. */
@Command(name = "convert", mixinStandardHelpOptions = true,
        description = "Convert a model (llama2.c checkpoint or GGUF) to GGUF, with its tokenizer in the metadata.")
final class ConvertCommand implements Callable<Integer> {

    @Mixin
    ModelOptions modelOptions = new ModelOptions();

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE", description = "GGUF file to write.")
    Path output;

    @Option(names = {"-t", "--type"}, paramLabel = "TYPE", defaultValue = "F32",
            description = "Matrix type: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}); matrices whose rows do not fit whole blocks stay F32.")
    TensorType type;

    @Override
    public Integer call() throws Exception {
        // Checked before loading: the input is mapped while the output is written.
        OutputFile.refuseInputs(output, modelOptions.modelPath(), modelOptions.tokenizer);
        try (Engine engine = modelOptions.load()) {
            ModelConverter.convert(engine.model(), engine.tokenizer().vocabulary(), type, output);
        }
        System.err.println("heavykv: wrote " + output + " (" + type + ")");
        return 0;
    }
}
