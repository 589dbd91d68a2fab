package io.heavykv.bench.reference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The ways the reference tool fails, each one clear line saying what to do. Stand-ins replace node and the
 * installer (sh running a script that behaves as they do when things go wrong), so these need neither.
 */
@Timeout(60)
class LlamaCppToolTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private Path script(String relative, String body) throws IOException {
        Path file = dir.resolve(relative);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, body);
    }

    @Test
    void aFolderWithoutTheToolSaysToRunFromTheCheckout() {
        assertThatThrownBy(() -> LlamaCppTool.installed(dir))
                .isInstanceOf(ReferenceUnavailableException.class)
                .hasMessageContaining(dir.resolve(LlamaCppTool.SCRIPT).toString())
                .hasMessageContaining("run heavykv from its checkout");
    }

    @Test
    void aToolNotInstalledNamesTheInstallerToRun() throws IOException {
        script(LlamaCppTool.INSTALLER, """
                echo "npm notice noise" >&2
                echo "heavykv: llama.cpp reference tool: not installed in /cache/llamacpp-ref/abc: run ci/llamacpp.sh once" >&2
                exit 1
                """);
        assertThatThrownBy(() -> LlamaCppTool.modules(dir, true))
                .isInstanceOf(ReferenceUnavailableException.class)
                .hasMessage("llama.cpp reference tool unavailable (llama.cpp reference tool: not installed in /cache/llamacpp-ref/abc: "
                        + "run ci/llamacpp.sh once): run ci/llamacpp.sh once, with node 20+ and npm on PATH");
    }

    @Test
    void theInstallersLastLineIsWhereTheModulesAre() throws IOException {
        script(LlamaCppTool.INSTALLER, "echo installing >&2\necho /cache/llamacpp-ref/abc/node_modules\n");
        assertThat(LlamaCppTool.modules(dir, true)).isEqualTo(Path.of("/cache/llamacpp-ref/abc/node_modules"));
    }

    @Test
    void noNodeSaysNodeIsNeeded() throws IOException {
        Path ref = script(LlamaCppTool.SCRIPT, "");
        LlamaCppTool tool = new LlamaCppTool(ref, dir, dir.resolve("no-such-node").toString());
        assertThatThrownBy(() -> tool.speed(dir.resolve("m.gguf"), new int[] {1, 2}, 4, 2, "f16", TIMEOUT))
                .isInstanceOf(ReferenceUnavailableException.class)
                .hasMessageContaining("node 20+ must be on PATH, then run ci/llamacpp.sh");
    }

    @Test
    void aModelLlamaCppCannotReadGivesItsOwnReasonOnOneLine() throws IOException {
        // What ref.mjs does with a file that is not GGUF: one "llamacpp-ref:" line (the magic it read may hold a newline), exit 2.
        Path ref = script(LlamaCppTool.SCRIPT, """
                printf 'llamacpp-ref: llama.cpp cannot load %s: Invalid GGUF magic. Expected "GGUF" but got "vm\\n "\\n' "$3" >&2
                exit 2
                """);
        LlamaCppTool tool = new LlamaCppTool(ref, dir, "sh");
        Path model = dir.resolve("stories260K.bin");
        assertThatThrownBy(() -> tool.speed(model, new int[] {1, 2}, 4, 2, "f16", TIMEOUT))
                .isInstanceOf(ReferenceFailedException.class)
                .hasMessage("llama.cpp reference speed on " + model + " failed (exit 2): llama.cpp cannot load " + model
                        + ": Invalid GGUF magic. Expected \"GGUF\" but got \"vm");
    }

    @Test
    void anAnswerThatIsNotJsonIsAToolFault() throws IOException {
        Path ref = script(LlamaCppTool.SCRIPT, "echo 'Segmentation fault'\n");
        LlamaCppTool tool = new LlamaCppTool(ref, dir, "sh");
        assertThatThrownBy(() -> tool.run("speed", dir.resolve("m.gguf"), List.of(), TIMEOUT))
                .isInstanceOf(ReferenceFailedException.class)
                .hasMessageContaining("printed no JSON object: Segmentation fault");
    }

    @Test
    void theToolIsGivenTheSamePromptIdsThreadsAndKvType() throws IOException {
        // A stand-in that keeps its arguments and answers a 3-token prompt in 1 s and 5 steps in 2 s.
        Path ref = script(LlamaCppTool.SCRIPT, """
                echo "$*" > "$(dirname "$0")/args"
                echo '{"prompt_tokens":3,"generated":5,"prefill_seconds":1,"decode_seconds":2}'
                """);
        LlamaCppTool tool = new LlamaCppTool(ref, dir, "sh");
        Path model = dir.resolve("m.gguf");
        ReferenceSpeed speed = tool.speed(model, new int[] {1, 7, 9}, 5, 2, "F16", TIMEOUT);
        assertThat(Files.readString(ref.resolveSibling("args")).strip())
                .isEqualTo("speed --model " + model + " --ids 1,7,9 --n 5 --threads 2 --kv-type f16");
        assertThat(speed.prefillTokS()).isEqualTo(3);
        assertThat(speed.decodeTokS()).isEqualTo(2.5);
    }
}
