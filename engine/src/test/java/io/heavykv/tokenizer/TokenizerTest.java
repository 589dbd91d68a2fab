package io.heavykv.tokenizer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TokenizerTest {
    private final Tokenizer tok = Tok512.tokenizer();

    /**
     * Derived by hand from tok512's pieces and scores: every word of "Once upon a time" (with its leading space)
     * is a piece reachable by merges that exist in the file: " O"+"n" -> " On", "c"+"e" -> "ce", " On"+"ce" ->
     * " Once" (403); " u"+"p" -> " up", "o"+"n" -> "on", " up"+"on" -> " upon" (407); " "+"a" -> " a" (261);
     * " "+"t" -> " t", "i"+"m" -> "im", "im"+"e" -> "ime", " t"+"ime" -> " time" (378). No piece spans a word
     * boundary, so BPE must end at exactly these four pieces after BOS (1).
     */
    @Test
    void onceUponATimeHasTheHandDerivedIds() {
        assertThat(tok.encode("Once upon a time", true, false)).containsExactly(1, 403, 407, 261, 378);
        assertThat(tok.decode(new int[] {1, 403, 407, 261, 378})).isEqualTo("Once upon a time");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "Once upon a time, there was a little girl named Lily.",
            "Mia said, \"Look at the boat!\"\nThe dog ran to the park.\n\nThe end.",
            "  two leading spaces, trailing space ",
            "Tabs\tand\r\nCRLF lines",
            "Emoji: 🐶🚤 and a rocket 🚀!",
            "中文：小狗在公园里玩。日本語も。",
            "Café naïve façade ÿ ñ — “quotes” … ‘single’ €5",
            "x",
            "\n",
    })
    void roundTripsWithBos(String text) {
        int[] ids = tok.encode(text, true, false);
        assertThat(ids[0]).isEqualTo(tok.bosId());
        assertThat(java.util.Arrays.stream(ids)).allSatisfy(id -> assertThat(id).isBetween(0, tok.size() - 1));
        assertThat(tok.decode(ids)).isEqualTo(text);
        // Without BOS the dummy-prefix space stays, as in llama2.c.
        assertThat(tok.decode(tok.encode(text, false, false))).isEqualTo(" " + text);
    }

    @Test
    void charactersMissingFromTheVocabularyFallBackToTheirUtf8Bytes() {
        // 日 is U+65E5, UTF-8 E6 97 A5; tok512 has no CJK pieces, and byte pieces <0xXX> are ids 3 + XX.
        assertThat(tok.idOf("日")).isEqualTo(-1);
        assertThat(tok.encode("日", false, false)).containsExactly(tok.idOf(" "), 3 + 0xE6, 3 + 0x97, 3 + 0xA5);
        // A character that is a piece does not fall back: é is in tok512.
        assertThat(tok.encode("é", false, false)).containsExactly(tok.idOf(" "), tok.idOf("é"));
    }

    @Test
    void mergingShortensCommonWords() {
        String text = "The little dog and the happy girl played in the park with her friend.";
        int[] ids = tok.encode(text, false, false);
        assertThat(ids.length).isLessThan(text.length() / 2);
        assertThat(tok.encode(" the", false, false)).hasSize(2); // dummy " " + " the"
    }

    @Test
    void bosAndEosAreOptional() {
        assertThat(tok.encode("", false, false)).isEmpty();
        assertThat(tok.encode("", true, true)).containsExactly(1, 2);
        int[] plain = tok.encode("Hi", false, false);
        int[] both = tok.encode("Hi", true, true);
        assertThat(both).hasSize(plain.length + 2);
        assertThat(both[0]).isEqualTo(1);
        assertThat(both[both.length - 1]).isEqualTo(2);
        assertThat(tok.decode(both)).isEqualTo("Hi");
    }

    @Test
    void onlyTheFirstPieceAfterBosLosesItsSpace() {
        int the = tok.idOf(" the");
        assertThat(tok.decode(new int[] {1, the, the})).isEqualTo("the the");
        assertThat(tok.decode(new int[] {the, 1, the})).isEqualTo(" thethe");
        // A space spelled as a byte piece is data, not sentencepiece's word marker, and survives BOS.
        assertThat(tok.decode(new int[] {1, 3 + 0x20, the})).isEqualTo("  the");
    }

    @Test
    void streamingDecoderHoldsBackSplitCharacters() {
        // 🐶 is U+1F436, UTF-8 F0 9F 90 B6; 日 is E6 97 A5.
        int[] ids = {1, 3 + 0xF0, 3 + 0x9F, 3 + 0x90, 3 + 0xB6, 3 + 0xE6, 3 + 0x97, 3 + 0xA5, tok.idOf("a")};
        StreamingDecoder decoder = tok.newStreamingDecoder();
        List<String> out = new ArrayList<>();
        for (int id : ids) out.add(decoder.next(id));
        assertThat(out).containsExactly("", "", "", "", "🐶", "", "", "日", "a");
        assertThat(decoder.finish()).isEmpty();
    }

    @Test
    void streamingDecoderReplacesBrokenBytesInsteadOfStalling() {
        StreamingDecoder decoder = tok.newStreamingDecoder();
        assertThat(decoder.next(3 + 0xE6)).isEmpty();
        // A lead byte followed by ASCII is malformed: the lead becomes U+FFFD and the ASCII still comes out.
        assertThat(decoder.next(tok.idOf("a"))).isEqualTo("\uFFFDa");
        assertThat(decoder.next(3 + 0xF0)).isEmpty();
        assertThat(decoder.finish()).isEqualTo("\uFFFD");
    }

    @Test
    void streamingMatchesWholeDecodeOnRealText() {
        String text = "Mia saw a 🐢 and said \"日本\"! The end.\n";
        int[] ids = tok.encode(text, true, true);
        StreamingDecoder decoder = tok.newStreamingDecoder();
        StringBuilder sb = new StringBuilder();
        for (int id : ids) sb.append(decoder.next(id));
        sb.append(decoder.finish());
        assertThat(sb.toString()).isEqualTo(text).isEqualTo(tok.decode(ids));
    }

    @Test
    void matchesAStraightforwardLlama2cStyleEncoderOnRandomText() {
        Random random = new Random(42);
        String[] words = {"the", "The", "Lily", "dog", "park", "little", "upon", "boat", "happy", "Mia", ",", ".",
                "\n", "\"", "é", "日", "🚀", "  ", "ing", "sh", "xyz", "Tim", "Timmy", "q"};
        for (int round = 0; round < 200; round++) {
            StringBuilder sb = new StringBuilder();
            int n = random.nextInt(60);
            for (int i = 0; i < n; i++) {
                if (random.nextInt(3) > 0) sb.append(' ');
                sb.append(words[random.nextInt(words.length)]);
            }
            String text = sb.toString();
            assertThat(tok.encode(text, false, false)).as(text).containsExactly(referenceEncode(text));
        }
    }

    @Test
    void longTextEncodesAndRoundTrips() {
        String sentence = "One day, Mia and her dog Max went to the park to sail a little boat on the pond. ";
        String text = sentence.repeat(10_000 / sentence.length() + 1);
        int[] ids = tok.encode(text, true, false);
        assertThat(tok.decode(ids)).isEqualTo(text);
        assertThat(ids.length).isLessThan(text.length() / 2);
    }

    @Test
    void leftmostPairWinsTiesAndHigherScoreWins() {
        List<String> pieces = List.of("<unk>", "<s>", "</s>", " ", "a", "b", "ab", "ba");
        Tokenizer tie = new Tokenizer(new Vocabulary(pieces, new float[] {0, 0, 0, -5, -5, -5, -1, -1}, 1, 2));
        assertThat(tie.encode("aba", false, false)).containsExactly(3, 6, 4);
        Tokenizer baWins = new Tokenizer(new Vocabulary(pieces, new float[] {0, 0, 0, -5, -5, -5, -2, -1}, 1, 2));
        assertThat(baWins.encode("aba", false, false)).containsExactly(3, 4, 7);
    }

    @Test
    void missingByteFallbackIsAClearError() {
        Tokenizer small = new Tokenizer(new Vocabulary(List.of("<unk>", "<s>", "</s>", " ", "a"),
                new float[5], 1, 2));
        assertThatThrownBy(() -> small.encode("ab", false, false))
                .isInstanceOf(InvalidTokenizerException.class)
                .hasMessageContaining("U+0062")
                .hasMessageContaining("<0x62>");
    }

    @Test
    void vocabularySizeMustMatchTheModel() {
        tok.requireVocabularySize(512);
        assertThatThrownBy(() -> tok.requireVocabularySize(32000))
                .isInstanceOf(InvalidTokenizerException.class)
                .hasMessage("tokenizer has 512 pieces but the model expects 32000");
    }

    @Test
    void outOfRangeIdsAreRejected() {
        assertThatThrownBy(() -> tok.decode(new int[] {512})).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("512");
        assertThatThrownBy(() -> tok.decode(new int[] {-1})).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void unpairedSurrogatesAreRejected() {
        assertThatThrownBy(() -> tok.encode("a\uD800b", false, false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("index 1");
    }

    /** llama2.c's encode loop, transcribed naively (rescan all pairs after every merge), as an oracle. */
    private int[] referenceEncode(String text) {
        List<Integer> ids = new ArrayList<>();
        if (!text.isEmpty()) ids.add(tok.idOf(" "));
        text.codePoints().forEach(cp -> {
            String ch = Character.toString(cp);
            if (tok.idOf(ch) >= 0) {
                ids.add(tok.idOf(ch));
            } else {
                for (byte b : ch.getBytes(java.nio.charset.StandardCharsets.UTF_8)) ids.add((b & 0xFF) + 3);
            }
        });
        List<String> pieces = tok.vocabulary().pieces();
        float[] scores = tok.vocabulary().scores();
        // Each merge shortens the list by one, so there are fewer merges than starting ids.
        for (int merges = ids.size(); merges > 0; merges--) {
            float best = -1e10f;
            int bestId = -1;
            int bestIdx = -1;
            for (int i = 0; i + 1 < ids.size(); i++) {
                int id = tok.idOf(pieces.get(ids.get(i)) + pieces.get(ids.get(i + 1)));
                if (id != -1 && scores[id] > best) {
                    best = scores[id];
                    bestId = id;
                    bestIdx = i;
                }
            }
            if (bestIdx == -1) break;
            ids.set(bestIdx, bestId);
            ids.remove(bestIdx + 1);
        }
        return ids.stream().mapToInt(Integer::intValue).toArray();
    }
}
