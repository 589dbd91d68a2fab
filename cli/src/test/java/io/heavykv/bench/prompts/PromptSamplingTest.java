package io.heavykv.bench.prompts;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PromptSamplingTest {
    @TempDir
    Path dir;

    private static PromptFile p(String name, String bucket) {
        return new PromptFile(name, bucket, "/nowhere/" + name);
    }

    private final List<PromptFile> all = List.of(p("a1", "128"), p("a2", "128"), p("a3", "128"), p("b1", "512"), p("b2", "512"),
            p("c1", "2048"), p("d1", "long"), p("d2", "long"));

    private static List<String> names(List<PromptFile> files) {
        return files.stream().map(PromptFile::name).toList();
    }

    @Test
    void stratifiedTakesOneFromEachBucketInTurn() {
        assertThat(names(PromptSampler.select(all, List.of(), PromptSampler.Mode.STRATIFIED, 0, 5)))
                .containsExactly("a1", "b1", "c1", "d1", "a2");
        assertThat(names(PromptSampler.select(all, List.of(), PromptSampler.Mode.STRATIFIED, 0, 0)))
                .containsExactly("a1", "b1", "c1", "d1", "a2", "b2", "d2", "a3");
    }

    @Test
    void sequentialKeepsListingOrder() {
        assertThat(names(PromptSampler.select(all, List.of(), PromptSampler.Mode.SEQUENTIAL, 0, 4))).containsExactly("a1", "a2", "a3", "b1");
    }

    @Test
    void capsPerBucketAndOverallAndBucketChoiceApplyInBothModes() {
        assertThat(names(PromptSampler.select(all, List.of(), PromptSampler.Mode.SEQUENTIAL, 1, 0))).containsExactly("a1", "b1", "c1", "d1");
        assertThat(names(PromptSampler.select(all, List.of("long", "128"), PromptSampler.Mode.STRATIFIED, 2, 0)))
                .containsExactly("d1", "a1", "d2", "a2");
        assertThat(names(PromptSampler.select(all, List.of("512"), PromptSampler.Mode.SEQUENTIAL, 0, 0))).containsExactly("b1", "b2");
        assertThatThrownBy(() -> PromptSampler.select(all, List.of("256"), PromptSampler.Mode.SEQUENTIAL, 0, 0)).hasMessageContaining("unknown bucket '256'");
    }

    @Test
    void bundledPromptsCoverEveryBucketAndReadTheirText() throws IOException {
        List<PromptFile> bundled = PromptSet.bundled();
        assertThat(bundled).extracting(PromptFile::bucket).contains("128", "512", "2048", "long");
        assertThat(bundled.get(0).text()).isNotBlank();
    }

    @Test
    void directoriesAreBucketedByNameOrTokenCountAndGlobsFilter() throws IOException {
        Files.writeString(dir.resolve("prompt_512_1.txt"), "x");
        Files.writeString(dir.resolve("short.txt"), "one two three");
        Files.writeString(dir.resolve("notes.md"), "ignored");
        // A counter that says "3000 tokens" for everything shows which buckets came from the counter.
        List<PromptFile> found = PromptSet.find(dir.toString(), text -> 3000);
        assertThat(found).extracting(PromptFile::name).containsExactly("prompt_512_1.txt", "short.txt");
        assertThat(found).extracting(PromptFile::bucket).containsExactly("512", "long");
        assertThat(PromptSet.find(dir.resolve("prompt_???_*.txt").toString(), text -> 3000)).extracting(PromptFile::name)
                .containsExactly("prompt_512_1.txt");
        assertThat(PromptSet.find(dir.toString(), text -> text.split(" ").length).get(1).bucket()).isEqualTo("128");
    }

    @Test
    void manifestsAreCheckedStrictly() throws IOException {
        Path manifest = dir.resolve("m.jsonl");
        Files.writeString(manifest, "{\"file\": \"a.txt\", \"bucket\": \"2048\"}\n{\"file\": \"b.txt\", \"tokens\": 600}\n");
        assertThat(PromptSet.manifest(manifest, null)).extracting(PromptFile::bucket).containsExactly("2048", "512");
        Files.writeString(manifest, "{\"file\": \"a.txt\", \"bucket\": \"huge\"}\n");
        assertThatThrownBy(() -> PromptSet.manifest(manifest, null)).hasMessageContaining("line 1").hasMessageContaining("'bucket'");
        Files.writeString(manifest, "{\"file\": \"a.txt\", \"bucket\": \"128\", \"size\": 3}\n");
        assertThatThrownBy(() -> PromptSet.manifest(manifest, null)).hasMessageContaining("unknown key 'size'");
        Files.writeString(manifest, "{\"bucket\": \"128\"}\n");
        assertThatThrownBy(() -> PromptSet.manifest(manifest, null)).hasMessageContaining("'file' is missing");
    }
}
