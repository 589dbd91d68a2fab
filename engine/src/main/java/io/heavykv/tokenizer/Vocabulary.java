package io.heavykv.tokenizer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A vocabulary as a model file stores it, before any tokenizer logic: pieces, their scores (sentencepiece merges
 * the highest-scoring pair first) and types, the ranked merges and pre-tokenizer name of byte-level BPE (empty and
 * null otherwise), and the special ids. Byte-fallback pieces are spelled {@code <0xAB>}.
 */
public record Vocabulary(TokenizerKind kind, List<String> pieces, float[] scores, TokenType[] types,
                         List<String> merges, String preTokenizer, SpecialTokens special) {
    private static final String SPM_SPACE = TokenizerKind.SENTENCEPIECE.spaceMarker();

    public Vocabulary {
        pieces = List.copyOf(pieces);
        merges = List.copyOf(merges);
        if (pieces.size() != scores.length || pieces.size() != types.length) {
            throw new InvalidTokenizerException("vocabulary has " + pieces.size() + " pieces but " + scores.length
                    + " scores and " + types.length + " token types");
        }
        for (int id : special.ids()) {
            if (id < SpecialTokens.NONE || id >= pieces.size()) {
                throw new InvalidTokenizerException("special token id " + id + " is outside the vocabulary of " + pieces.size());
            }
        }
    }

    /** A llama2.c vocabulary: BOS and EOS are control tokens, {@code <0xAB>} pieces are bytes, the rest normal. */
    public Vocabulary(List<String> pieces, float[] scores, int bosId, int eosId) {
        this(TokenizerKind.LLAMA2C, pieces, scores, llama2cTypes(pieces, bosId, eosId), List.of(), null,
                SpecialTokens.llama2c(bosId, eosId));
    }

    public int size() { return pieces.size(); }

    public int bosId() { return special.bos(); }

    public int eosId() { return special.eos(); }

    /**
     * This vocabulary as llama.cpp's converter writes a llama2.c one to GGUF: spaces spelled U+2581, BOS and EOS
     * named {@code <s>} and {@code </s>} (llama2.c files spell them with newlines around), {@code <unk>} typed
     * unknown. Both spellings tokenize text without special pieces to the same ids. Other vocabularies are returned
     * unchanged.
     */
    public Vocabulary toGgufSpelling() {
        if (kind != TokenizerKind.LLAMA2C) return this;
        List<String> spelled = new ArrayList<>(size());
        TokenType[] spelledTypes = types.clone();
        int unknown = SpecialTokens.NONE;
        for (int id = 0; id < size(); id++) {
            String piece = pieces.get(id);
            if (id == bosId()) {
                piece = "<s>";
            } else if (id == eosId()) {
                piece = "</s>";
            } else if (piece.equals("<unk>")) {
                spelledTypes[id] = TokenType.UNKNOWN;
                if (unknown == SpecialTokens.NONE) unknown = id;
            } else if (types[id] != TokenType.BYTE) {
                piece = piece.replace(" ", SPM_SPACE);
            }
            spelled.add(piece);
        }
        SpecialTokens s = new SpecialTokens(bosId(), eosId(), unknown, SpecialTokens.NONE, SpecialTokens.NONE,
                SpecialTokens.NONE, special.addBos(), special.addEos(), special.addSpacePrefix());
        return new Vocabulary(TokenizerKind.SENTENCEPIECE, spelled, scores, spelledTypes, List.of(), null, s);
    }

    private static TokenType[] llama2cTypes(List<String> pieces, int bos, int eos) {
        TokenType[] types = new TokenType[pieces.size()];
        Arrays.fill(types, TokenType.NORMAL);
        for (int id = 0; id < types.length; id++) {
            if (byteValue(pieces.get(id)) >= 0) types[id] = TokenType.BYTE;
        }
        if (bos >= 0 && bos < types.length) types[bos] = TokenType.CONTROL;
        if (eos >= 0 && eos < types.length) types[eos] = TokenType.CONTROL;
        return types;
    }

    /** The byte a {@code <0xXX>} piece stands for, or -1 for any other piece. */
    static int byteValue(String piece) {
        if (piece.length() != 6 || !piece.startsWith("<0x") || piece.charAt(5) != '>') return -1;
        int hi = Character.digit(piece.charAt(3), 16);
        int lo = Character.digit(piece.charAt(4), 16);
        return hi < 0 || lo < 0 ? -1 : hi << 4 | lo;
    }
}
