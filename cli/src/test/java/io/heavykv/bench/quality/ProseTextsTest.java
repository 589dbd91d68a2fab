package io.heavykv.bench.quality;

import com.fasterxml.jackson.databind.JsonNode;
import io.heavykv.cli.DefaultModel;
import io.heavykv.runtime.Engine;
import io.heavykv.tokenizer.Tokenizer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The prose prompts and held-out prose (heavykv/prose) must keep the SmolLM2 token counts their manifest
 * records, sit in their buckets, and the held-out text must share nothing with the prompts.
 */
class ProseTextsTest {
    private static final int CONTEXT = 8192;
    private static final int GENERATED = 16;
    private static Tokenizer smolLm2;

    @BeforeAll
    static void tokenizer() throws IOException {
        Assumptions.assumeTrue(Files.isRegularFile(DefaultModel.smolLm2File()), "SmolLM2 is not in the model cache (ci/models.sh)");
        smolLm2 = Engine.loadTokenizer(DefaultModel.smolLm2File(), Optional.empty());
    }

    @Test
    void promptsKeepTheirCountsAndBuckets() throws IOException {
        Map<String, Integer> perBucket = new HashMap<>();
        Map<String, Set<String>> sourcesPerBucket = new HashMap<>();
        for (JsonNode entry : manifest()) {
            String bucket = entry.get("bucket").asText();
            if (bucket.equals("heldout")) continue;
            String file = entry.get("file").asText();
            int target = Integer.parseInt(bucket);
            int tokens = count(file);
            assertThat(tokens).as(file).isEqualTo(entry.get("tokens").asInt())
                    .isBetween((int) (0.9 * target), (int) (0.98 * target));
            // BOS, the prompt and the generated tokens fit the model's context.
            assertThat(1 + tokens + GENERATED).as(file).isLessThanOrEqualTo(CONTEXT);
            assertThat(file).startsWith("prose_" + bucket + "_");
            perBucket.merge(bucket, 1, Integer::sum);
            sourcesPerBucket.computeIfAbsent(bucket, b -> new HashSet<>()).add(entry.get("source").asText());
        }
        assertThat(perBucket).containsOnlyKeys("128", "512", "2048", "8192").allSatisfy((b, n) -> assertThat(n).as(b).isEqualTo(3));
        // Stratified by novel: the three prompts of a bucket come from three novels.
        assertThat(sourcesPerBucket).allSatisfy((b, sources) -> assertThat(sources).as(b).hasSize(3));
    }

    @Test
    void heldOutProseKeepsItsCountAndSharesNoParagraphWithThePrompts() throws IOException {
        JsonNode heldOut = manifest().stream().filter(e -> e.get("bucket").asText().equals("heldout")).findFirst().orElseThrow();
        String file = heldOut.get("file").asText();
        // Two 8192-token windows (BOS plus 8191 text tokens each) fit in it.
        assertThat(count(file)).as(file).isEqualTo(heldOut.get("tokens").asInt()).isGreaterThanOrEqualTo(2 * (CONTEXT - 1));
        Set<String> heldOutParagraphs = new HashSet<>(List.of(read(file).split("\n\n")));
        for (JsonNode entry : manifest()) {
            if (entry.get("file").asText().equals(file)) continue;
            assertThat(entry.get("source").asText()).isNotEqualTo(heldOut.get("source").asText());
            for (String paragraph : read(entry.get("file").asText()).split("\n\n")) {
                if (paragraph.length() > 40) assertThat(heldOutParagraphs).as(entry.get("file").asText()).doesNotContain(paragraph);
            }
        }
    }

    private static int count(String file) throws IOException {
        return smolLm2.encode(read(file), false, false).length;
    }

    private static List<JsonNode> manifest() throws IOException {
        return BundledTextsTest.manifest("prose");
    }

    private static String read(String file) throws IOException {
        return BundledTextsTest.read("prose/" + file);
    }
}
