package io.heavykv.bench.quality;

import com.fasterxml.jackson.databind.JsonNode;
import io.heavykv.bench.BenchJson;
import io.heavykv.tokenizer.Tok512;
import io.heavykv.tokenizer.Tokenizer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The evaluation texts and prompts must keep the token counts their manifests and buckets promise. */
class BundledTextsTest {
    private static final int TRAINED_CONTEXT = 512;
    private final Tokenizer tok = Tok512.tokenizer();

    @Test
    void promptsMatchTheirManifestAndBucket() throws IOException {
        List<JsonNode> manifest = manifest("prompts");
        Map<String, Integer> perBucket = new HashMap<>();
        for (JsonNode entry : manifest) {
            String file = entry.get("file").asText();
            String bucket = entry.get("bucket").asText();
            int tokens = count("prompts/" + file);
            assertThat(tokens).as(file).isEqualTo(entry.get("tokens").asInt());
            assertThat(file).startsWith("prompt_" + bucket + "_");
            if (bucket.equals("long")) {
                assertThat(tokens).as(file).isGreaterThanOrEqualTo(4000);
            } else {
                int target = Integer.parseInt(bucket);
                assertThat(entry.get("target_tokens").asInt()).isEqualTo(target);
                assertThat(tokens).as(file).isBetween((int) (target * 0.9), (int) (target * 1.1));
            }
            perBucket.merge(bucket, 1, Integer::sum);
        }
        assertThat(perBucket).containsEntry("128", 3).containsEntry("512", 3).containsEntry("2048", 3)
                .containsEntry("long", 2);
    }

    @Test
    void evaluationTextsExceedTheTrainedContextAndMatchTheirManifest() throws IOException {
        List<JsonNode> manifest = manifest("eval");
        assertThat(manifest).hasSizeGreaterThanOrEqualTo(3);
        for (JsonNode entry : manifest) {
            String file = entry.get("file").asText();
            int tokens = count("eval/" + file);
            assertThat(tokens).as(file).isEqualTo(entry.get("tokens").asInt()).isGreaterThan(TRAINED_CONTEXT);
        }
    }

    @Test
    void everyTextIsADifferentStory() throws IOException {
        // Distinct openings are a cheap guard against a file being duplicated under another name.
        var openings = new HashSet<String>();
        for (String dir : List.of("eval", "prompts")) {
            for (JsonNode entry : manifest(dir)) {
                String text = read(dir + "/" + entry.get("file").asText());
                assertThat(openings.add(text.substring(0, 60))).as(entry.get("file").asText()).isTrue();
                assertThat(tok.decode(tok.encode(text, true, false))).isEqualTo(text);
            }
        }
    }

    private int count(String resource) throws IOException {
        return tok.encode(read(resource), false, false).length;
    }

    /** The entries of a bundled folder's manifest.jsonl (prompts, eval, prose), one per file. */
    static List<JsonNode> manifest(String dir) throws IOException {
        List<JsonNode> entries = new ArrayList<>();
        for (String line : read(dir + "/manifest.jsonl").split("\n")) {
            if (!line.isBlank()) entries.add(BenchJson.MAPPER.readTree(line));
        }
        return entries;
    }

    /** A bundled resource under heavykv/, as UTF-8 text. */
    static String read(String resource) throws IOException {
        try (InputStream in = BundledTextsTest.class.getResourceAsStream("/heavykv/" + resource)) {
            assertThat(in).as(resource).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
