package io.heavykv.cli;

import io.heavykv.testing.SharedModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Commands that write files never destroy a file the user had, an input least of all. */
@Timeout(120)
class OutputSafetyTest {
    @TempDir
    Path dir;

    private Path modelCopy() throws Exception {
        Path model = dir.resolve("model.bin");
        Files.copy(SharedModels.defaultModel().resolve("stories260K.bin"), model);
        Files.copy(SharedModels.defaultModel().resolve("tok512.bin"), dir.resolve("tokenizer.bin"));
        return model;
    }

    @Test
    void convertRefusesToWriteOverItsInputModel() throws Exception {
        Path model = modelCopy();
        byte[] before = Files.readAllBytes(model);
        String err = stderrOf(() -> Main.run("convert", "-m", model.toString(), "-o", model.toString()));
        assertThat(Files.readAllBytes(model)).as("the input model after convert -o onto it").isEqualTo(before);
        assertThat(err).contains("is the input").doesNotContain("\tat ");
    }

    @Test
    void convertRefusesToWriteOverItsInputModelThroughASymlink() throws Exception {
        Path model = modelCopy();
        byte[] before = Files.readAllBytes(model);
        Path link = Files.createSymbolicLink(dir.resolve("link.gguf"), model);
        assertThat(Main.run("convert", "-m", model.toString(), "-o", link.toString())).isEqualTo(1);
        assertThat(Files.readAllBytes(model)).isEqualTo(before);
        Path gguf = dir.resolve("model.gguf");
        assertThat(Main.run("convert", "-m", model.toString(), "-o", gguf.toString())).isZero();
        Path ggufLink = Files.createSymbolicLink(dir.resolve("gguf-link"), gguf);
        assertThat(Main.run("convert", "-m", gguf.toString(), "-o", ggufLink.toString(), "-t", "Q8_0")).as("GGUF onto itself via a link")
                .isEqualTo(1);
        assertThat(Main.run("info", "-m", gguf.toString())).isZero();
    }

    @Test
    void benchRefusesARecordFileThatIsItsModel() throws Exception {
        Path model = modelCopy();
        byte[] before = Files.readAllBytes(model);
        String err = stderrOf(() -> Main.run("bench", "-m", model.toString(), "-p", "8", "-n", "1", "-q", "--jsonl", model.toString()));
        assertThat(err).contains("is the input");
        assertThat(Files.readAllBytes(model)).isEqualTo(before);
    }

    @Test
    void aFailedConvertLeavesAnExistingTargetInPlace() throws Exception {
        Path model = modelCopy();
        Path emptyDir = Files.createDirectory(dir.resolve("out.gguf"));
        String err = stderrOf(() -> Main.run("convert", "-m", model.toString(), "-o", emptyDir.toString()));
        assertThat(emptyDir).as("the empty folder named as output").isDirectory();
        assertThat(err).contains("not a regular file: " + emptyDir);
        assertThat(dir.toFile().list()).as("no temporary file left behind").containsExactlyInAnyOrder("model.bin", "tokenizer.bin", "out.gguf");
    }

    @Test
    void aMissingOutputFolderIsNamed() throws Exception {
        Path model = modelCopy();
        Path out = dir.resolve("no-such-dir").resolve("m.gguf");
        String err = stderrOf(() -> Main.run("convert", "-m", model.toString(), "-o", out.toString()));
        assertThat(err).contains("no such folder: " + dir.resolve("no-such-dir"));
    }

    /** Runs {@code run}, asserts it exited 1, and returns what it printed on stderr. */
    static String stderrOf(IntCall run) throws Exception {
        PrintStream saved = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = run.call();
        } finally {
            System.setErr(saved);
        }
        String err = captured.toString(StandardCharsets.UTF_8);
        assertThat(code).as("exit code; stderr: " + err).isEqualTo(1);
        return err;
    }

    @FunctionalInterface
    interface IntCall {
        int call() throws Exception;
    }
}
