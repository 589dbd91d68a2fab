package io.heavykv.tokenizer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** llama.cpp's tokenizer behaviour on small hand-made GGUF-style vocabularies (no shared files needed). */
@Timeout(30)
class GgufTokenizerTest {
    private static final int NONE = SpecialTokens.NONE;

    /** Byte-level BPE over the printable ASCII characters plus "Ġ" (space) and "Ċ" (newline), then {@code extra}. */
    private static Tokenizer bpe(String pre, List<String> merges, List<String> extra, List<TokenType> extraTypes) {
        List<String> pieces = new ArrayList<>();
        for (char c = '!'; c <= '~'; c++) pieces.add(String.valueOf(c));
        pieces.add("\u0120");
        pieces.add("\u010A");
        List<TokenType> types = new ArrayList<>(java.util.Collections.nCopies(pieces.size(), TokenType.NORMAL));
        pieces.addAll(extra);
        types.addAll(extraTypes);
        return new Tokenizer(new Vocabulary(TokenizerKind.BYTE_LEVEL_BPE, pieces, new float[pieces.size()],
                types.toArray(TokenType[]::new), merges, pre,
                new SpecialTokens(NONE, NONE, NONE, NONE, NONE, NONE, false, false, false)));
    }

    private static Tokenizer bpe(String pre, List<String> merges, String... extra) {
        return bpe(pre, merges, List.of(extra), java.util.Collections.nCopies(extra.length, TokenType.NORMAL));
    }

    private static String[] pieces(Tokenizer t, int[] ids) {
        return Arrays.stream(ids).mapToObj(id -> t.vocabulary().pieces().get(id)).toArray(String[]::new);
    }

    @Test
    void lowestRankMergesFirstNotLeftmost() {
        Tokenizer bcFirst = bpe("gpt-2", List.of("b c", "a b"), "ab", "bc");
        assertThat(pieces(bcFirst, bcFirst.tokenize("abc", false, false))).containsExactly("a", "bc");
        Tokenizer abFirst = bpe("gpt-2", List.of("a b", "b c"), "ab", "bc");
        assertThat(pieces(abFirst, abFirst.tokenize("abc", false, false))).containsExactly("ab", "c");
    }

    @Test
    void wordsMergeWithinThemselvesAndSpacesBecomeByteCharacters() {
        Tokenizer t = bpe("gpt-2", List.of("h e", "l l", "he ll", "hell o", "\u0120 w", "o r", "\u0120w or", "l d",
                "\u0120wor ld"), "he", "ll", "hell", "hello", "\u0120w", "or", "\u0120wor", "ld", "\u0120world");
        int[] ids = t.tokenize("hello world\n", false, false);
        assertThat(pieces(t, ids)).containsExactly("hello", "\u0120world", "\u010A");
        assertThat(t.decode(ids)).isEqualTo("hello world\n");
    }

    @Test
    void llama3TakesAWholeWordPieceWithoutMerging() {
        assertThat(pieces(bpe("llama-bpe", List.of(), "xyz"), bpe("llama-bpe", List.of(), "xyz").tokenize("xyz", false, false)))
                .containsExactly("xyz");
        assertThat(pieces(bpe("gpt-2", List.of(), "xyz"), bpe("gpt-2", List.of(), "xyz").tokenize("xyz", false, false)))
                .containsExactly("x", "y", "z");
    }

    @Test
    void preTokenizersSplitAsLlamaCppDoes() {
        assertThat(PreTokenizer.GPT2.split("Hello  world!!\n\n")).containsExactly("Hello", " ", " world", "!!", "\n\n");
        // U+3000 is Unicode white space: java.util.regex's own \s would have lumped both into one symbol run.
        assertThat(PreTokenizer.GPT2.split("a\u3000\u3000b")).containsExactly("a", "\u3000", "\u3000", "b");
        assertThat(PreTokenizer.GPT2.split("I'M I'm")).containsExactly("I", "'", "M", " I", "'m");
        assertThat(PreTokenizer.LLAMA3.split("I'M 12345")).containsExactly("I", "'M", " ", "123", "45");
        assertThat(PreTokenizer.QWEN2.split("x 123")).containsExactly("x", " ", "1", "2", "3");
        // ½ is a number (No) too; starcoder splits every digit, then applies GPT-2's regex to the rest.
        assertThat(PreTokenizer.STARCODER.split("abc 14½ months")).containsExactly("abc", " ", "1", "4", "½", " months");
        assertThat(PreTokenizer.named("smollm")).isEqualTo(PreTokenizer.STARCODER);
        assertThat(PreTokenizer.named(null)).isEqualTo(PreTokenizer.DEFAULT);
    }

    @Test
    void specialPiecesAreTokensOnlyWhenAskedButUserDefinedOnesAlways() {
        Tokenizer t = bpe("gpt-2", List.of(), List.of("<|im_end|>", "<tool>"), List.of(TokenType.CONTROL, TokenType.USER_DEFINED));
        int imEnd = t.idOf("<|im_end|>");
        int tool = t.idOf("<tool>");
        int[] plain = t.tokenize("a<|im_end|>b<tool>", false, false);
        assertThat(plain).doesNotContain(imEnd).contains(tool);
        assertThat(t.decode(plain)).isEqualTo("a<|im_end|>b<tool>");
        assertThat(t.tokenize("a<|im_end|>b<tool>", false, true))
                .containsExactly(t.idOf("a"), imEnd, t.idOf("b"), tool);
        // Control pieces print nothing, user-defined ones their text.
        assertThat(t.decode(new int[] {imEnd, tool})).isEqualTo("<tool>");
        assertThat(t.endsGeneration(imEnd)).isTrue();
        assertThat(t.endsGeneration(tool)).isFalse();
    }

    /** A sentencepiece GGUF vocabulary: unk, BOS, EOS, bytes, then U+2581 pieces. */
    private static Tokenizer spm(boolean addSpacePrefix, String... extra) {
        List<String> pieces = new ArrayList<>(List.of("<unk>", "<s>", "</s>"));
        List<TokenType> types = new ArrayList<>(List.of(TokenType.UNKNOWN, TokenType.CONTROL, TokenType.CONTROL));
        for (int b = 0; b < 256; b++) {
            pieces.add(String.format("<0x%02X>", b));
            types.add(TokenType.BYTE);
        }
        for (String e : extra) {
            pieces.add(e);
            types.add(TokenType.NORMAL);
        }
        float[] scores = new float[pieces.size()];
        for (int i = 0; i < scores.length; i++) scores[i] = -i;
        return new Tokenizer(new Vocabulary(TokenizerKind.SENTENCEPIECE, pieces, scores, types.toArray(TokenType[]::new),
                List.of(), null, new SpecialTokens(1, 2, 0, NONE, NONE, NONE, true, false, addSpacePrefix)));
    }

    @Test
    void sentencepieceSpellsSpacesAsLowerBlocksAndDropsTheDummyPrefixWhenDecoding() {
        Tokenizer t = spm(true, "\u2581", "H", "i", "\u2581H", "\u2581Hi", "!");
        int[] ids = t.tokenize("Hi Hi!", true, false);
        assertThat(pieces(t, ids)).containsExactly("<s>", "\u2581Hi", "\u2581Hi", "!");
        assertThat(t.decode(ids)).isEqualTo("Hi Hi!");
        // After a special token parsed from the text the dummy prefix comes back, as in llama.cpp.
        assertThat(pieces(t, t.tokenize("Hi</s>Hi", false, true))).containsExactly("\u2581Hi", "</s>", "\u2581Hi");
        Tokenizer noPrefix = spm(false, "\u2581", "H", "i", "\u2581H", "\u2581Hi");
        assertThat(pieces(noPrefix, noPrefix.tokenize("Hi", false, false))).containsExactly("H", "i");
        assertThat(t.endOfGenerationIds()).containsExactly(2);
    }

    @Test
    void aCharacterWithoutItsOwnPieceStillMergesIntoALongerOne() {
        // llama.cpp merges text, not ids: "é" alone is no piece, yet "▁é" is, so no byte fallback happens.
        Tokenizer t = spm(true, "\u2581", "\u2581\u00E9", "x");
        assertThat(pieces(t, t.tokenize("\u00E9x", false, false))).containsExactly("\u2581\u00E9", "x");
        assertThat(pieces(t, t.tokenize("x\u00E9", false, false))).containsExactly("\u2581", "x", "<0xC3>", "<0xA9>");
        assertThat(t.decode(t.tokenize("x\u00E9", true, false))).isEqualTo("x\u00E9");
    }
}
