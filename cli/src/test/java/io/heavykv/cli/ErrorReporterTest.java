package io.heavykv.cli;

import io.heavykv.runtime.Engine;
import io.heavykv.runtime.KvCacheConfig;
import io.heavykv.runtime.Session;
import io.heavykv.testing.SharedModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.concurrent.ExecutionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** The one-line messages for failures whose own message names no file or remedy. */
@Timeout(60)
class ErrorReporterTest {

    @Test
    void aModelFileTruncatedWhileMappedIsNamed(@TempDir Path dir) throws Exception {
        Path model = Files.copy(SharedModels.defaultModel().resolve("stories260K.bin"), dir.resolve("m.bin"));
        Files.copy(SharedModels.defaultModel().resolve("tok512.bin"), dir.resolve("tokenizer.bin"));
        Throwable failure;
        try (Engine engine = Engine.load(model, Optional.empty());
             Session session = engine.openSession(KvCacheConfig.defaults(), 64, 16)) {
            try (FileChannel channel = FileChannel.open(model, StandardOpenOption.WRITE)) {
                channel.truncate(4096);
            }
            failure = catchThrowable(() -> session.prefill(new int[] {1, 2, 3}));
        }
        assertThat(failure).isInstanceOf(InternalError.class);
        assertThat(ErrorReporter.message(failure)).contains(model.toString()).contains("now 4096");
    }

    @Test
    void outOfMemoryInsideAWorkerSaysWhatRanOut() {
        String message = ErrorReporter.message(new ExecutionException(new OutOfMemoryError("Java heap space")));
        assertThat(message).startsWith("out of memory (Java heap space").contains("-Xmx");
    }

    @Test
    void anExceptionThatExplainsItsOutOfMemoryErrorKeepsItsMessage() {
        String own = "full ran out of memory (Java heap space) at 9000 tokens; raise the heap";
        assertThat(ErrorReporter.message(new IllegalStateException(own, new OutOfMemoryError("Java heap space")))).isEqualTo(own);
    }

    @Test
    void aMissingFileIsNamedAsMissing() {
        assertThat(ErrorReporter.message(new NoSuchFileException("/x/prompt.txt"))).isEqualTo("no such file: /x/prompt.txt");
        assertThat(ErrorReporter.message(new java.nio.file.FileSystemException("/x/dir", null, "Is a directory")))
                .isEqualTo("/x/dir: Is a directory");
    }

    @Test
    void anErrorFromACommandIsOneLineAndExitOne() throws Exception {
        // 2^31 prompt tokens cannot be held; whatever gives out first, the user gets one heavykv: line.
        String err = OutputSafetyTest.stderrOf(() -> Main.run("bench", "-m", SharedModels.defaultModel().resolve("stories260K.bin").toString(),
                "-p", "2000000000", "-n", "1", "-q"));
        assertThat(err.lines().toList()).hasSize(1);
        assertThat(err).startsWith("heavykv: ");
    }

    @Test
    void outputLostToAFullDiskIsAFailure() throws Exception {
        java.io.PrintStream saved = System.out;
        System.setOut(new java.io.PrintStream(new java.io.OutputStream() {
            @Override
            public void write(int b) throws java.io.IOException {
                throw new java.io.IOException("No space left on device");
            }
        }, true));
        String err;
        try {
            err = OutputSafetyTest.stderrOf(() -> Main.run("info", "-m", SharedModels.defaultModel().resolve("stories260K.bin").toString()));
        } finally {
            System.setOut(saved);
        }
        assertThat(err).contains("heavykv: could not write the output to stdout");
    }
}
