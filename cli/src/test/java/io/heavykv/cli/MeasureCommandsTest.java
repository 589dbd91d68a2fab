package io.heavykv.cli;

import io.heavykv.bench.RecordFiles;
import io.heavykv.bench.RunRecord;
import io.heavykv.testing.SharedModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The measuring commands end to end on stories260K with tiny lengths: files written, gates turned into exit codes. */
class MeasureCommandsTest {
    @TempDir
    Path dir;

    private static String model() {
        return SharedModels.defaultModel().resolve("stories260K.bin").toString();
    }

    @Test
    void benchWritesOneRecordPerRunAndGateJudgesThem() throws IOException {
        Path jsonl = dir.resolve("runs.jsonl");
        Path csv = dir.resolve("runs.csv");
        int exit = Main.run("bench", "-m", model(), "-p", "24", "-n", "4,6", "-r", "2", "--kv-policy", "h2o", "--h2o-keep-ratio", "0.5",
                "--with-baseline", "--warmup", "0", "-q", "--jsonl", jsonl.toString(), "--csv", csv.toString());
        assertThat(exit).isZero();
        List<RunRecord> records = RecordFiles.read(jsonl);
        assertThat(records).hasSize(2 * 2 * 2);
        assertThat(records).extracting(RunRecord::configId).containsOnly("baseline", "h2o");
        assertThat(RecordFiles.read(csv)).isEqualTo(records);

        assertThat(Main.run("gate", jsonl.toString(), "--min-lossy", "1.0")).isZero();
        assertThat(Main.run("gate", jsonl.toString(), "--min-lossy", "50")).isEqualTo(3);
        assertThat(Main.run("gate", jsonl.toString(), "--max-decode-drop", "0.5", "--baseline-config", "nope")).isEqualTo(3);

        Path history = dir.resolve("history.jsonl");
        assertThat(Main.run("gate", jsonl.toString(), "--max-decode-drop", "0.05", "--history", history.toString(), "--record-history")).isZero();
        assertThat(RecordFiles.read(history)).hasSize(8);
    }

    @Test
    void sweepRunsAPresetFileAndFailsItsGates() throws IOException {
        Path preset = dir.resolve("p.json");
        Files.writeString(preset, "{\"name\": \"tiny\", \"matrix\": {\"prompt_tokens\": [20], \"generate_tokens\": [4]},"
                + " \"baseline\": {\"name\": \"baseline\"}, \"configs\": [{\"name\": \"s\", \"policy\": \"streaming\", \"sink\": 2, \"window\": 8}],"
                + " \"gates\": {\"min_lossy_ratio\": 100}}");
        Path jsonl = dir.resolve("sweep.jsonl");
        assertThat(Main.run("sweep", "--preset", preset.toString(), "-m", model(), "--warmup", "0", "-q", "--jsonl", jsonl.toString())).isEqualTo(3);
        assertThat(RecordFiles.read(jsonl)).extracting(RunRecord::configId).containsExactly("baseline", "s");
        assertThat(Main.run("sweep", "--preset", preset.toString(), "-m", model(), "--warmup", "0", "-q", "--no-gates")).isZero();
        assertThat(Main.run("sweep", "--preset", "no-such-preset", "-m", model())).isEqualTo(1);
    }

    @Test
    void promptsRecordsEachPromptAndWritesASummary() throws IOException {
        Files.writeString(dir.resolve("prompt_128_1.txt"), "Once upon a time there was a little dog.");
        Files.writeString(dir.resolve("prompt_128_2.txt"), "Lily went to the park with her mom.");
        Path jsonl = dir.resolve("p.jsonl");
        Path summary = dir.resolve("summary.json");
        int exit = Main.run("prompts", "-m", model(), "--prompts", dir.resolve("prompt_*.txt").toString(), "-n", "4",
                "--with-baseline", "-q", "--jsonl", jsonl.toString(), "--summary", summary.toString(), "--max-decode-drop", "0.99");
        assertThat(exit).isZero();
        List<RunRecord> records = RecordFiles.read(jsonl);
        assertThat(records).extracting(RunRecord::promptId).containsExactly("prompt_128_1.txt", "prompt_128_1.txt", "prompt_128_2.txt", "prompt_128_2.txt");
        assertThat(records).extracting(RunRecord::bucket).containsOnly("128");
        assertThat(Files.readString(summary)).contains("\"config_id\" : \"baseline\"", "\"passes\" : 2", "\"gates\"");
    }
}
