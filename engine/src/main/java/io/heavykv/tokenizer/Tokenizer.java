package io.heavykv.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Sentencepiece-style BPE over a {@link Vocabulary}, behaving like llama2.c's {@code encode}/{@code decode}:
 * a dummy-prefix space, one piece per UTF-8 code point (bytes as {@code <0xXX>} pieces when the code point has
 * none), then repeatedly merging the adjacent pair whose concatenation is the highest-scoring piece (leftmost on
 * ties). Immutable and thread-safe; decoding state lives in {@link StreamingDecoder}.
 */
public final class Tokenizer {
    private final Vocabulary vocabulary;
    private final Map<String, Integer> ids;
    private final float[] scores;
    /** Id of the {@code <0xXX>} piece per byte value, -1 when the vocabulary lacks it. */
    private final int[] byteIds = new int[256];
    /** What each id prints as: raw bytes for byte pieces, nothing for BOS/EOS, else the piece's UTF-8. */
    private final byte[][] output;
    /** The same right after BOS, where llama2.c drops the space sentencepiece put before the first word. */
    private final byte[][] outputAfterBos;
    private final int spaceId;

    public Tokenizer(Vocabulary vocabulary) {
        this.vocabulary = vocabulary;
        int n = vocabulary.size();
        this.ids = HashMap.newHashMap(n);
        this.scores = new float[n];
        this.output = new byte[n][];
        this.outputAfterBos = new byte[n][];
        Arrays.fill(byteIds, -1);
        for (int id = 0; id < n; id++) {
            String piece = vocabulary.pieces().get(id);
            ids.putIfAbsent(piece, id);
            // -0.0f and 0.0f must rank equal, as they do under C's float comparison.
            scores[id] = vocabulary.scores()[id] + 0.0f;
            int b = byteValue(piece);
            if (b >= 0 && byteIds[b] < 0) byteIds[b] = id;
            output[id] = id == vocabulary.bosId() || id == vocabulary.eosId() ? new byte[0]
                    : b >= 0 ? new byte[] {(byte) b}
                    : piece.getBytes(StandardCharsets.UTF_8);
            outputAfterBos[id] = b < 0 && piece.startsWith(" ") ? Arrays.copyOfRange(output[id], 1, output[id].length)
                    : output[id];
        }
        Integer space = ids.get(" ");
        this.spaceId = space == null ? -1 : space;
    }

    public Vocabulary vocabulary() { return vocabulary; }

    public int size() { return vocabulary.size(); }

    public int bosId() { return vocabulary.bosId(); }

    public int eosId() { return vocabulary.eosId(); }

    /** Fails unless this tokenizer's ids are exactly the model's embedding rows. */
    public void requireVocabularySize(int modelVocabularySize) {
        if (modelVocabularySize != size()) {
            throw new InvalidTokenizerException("tokenizer has " + size() + " pieces but the model expects "
                    + modelVocabularySize);
        }
    }

    /** Id of a piece spelled exactly so, or -1. */
    public int idOf(String piece) {
        Integer id = ids.get(piece);
        return id == null ? -1 : id;
    }

    public int[] encode(String text, boolean bos, boolean eos) {
        return new BpeEncoder(this, text).encode(bos, eos);
    }

    /** The text of a token sequence; BOS/EOS print nothing, and a piece right after BOS loses its leading space. */
    public String decode(int[] tokens) {
        StreamingDecoder decoder = newStreamingDecoder();
        StringBuilder sb = new StringBuilder();
        for (int token : tokens) sb.append(decoder.next(token));
        return sb.append(decoder.finish()).toString();
    }

    /** A decoder that releases text only once its UTF-8 bytes are complete. */
    public StreamingDecoder newStreamingDecoder() { return new StreamingDecoder(this); }

    /** Bytes {@code token} prints as when it follows {@code previous}; shared, so callers must not modify them. */
    byte[] outputBytes(int previous, int token) {
        if (token < 0 || token >= size()) {
            throw new IllegalArgumentException("token id " + token + " is outside the vocabulary 0.." + (size() - 1));
        }
        return previous == bosId() ? outputAfterBos[token] : output[token];
    }

    // --- used by BpeEncoder ---

    int spaceId() { return spaceId; }

    int byteId(int b) { return byteIds[b]; }

    float score(int id) { return scores[id]; }

    String piece(int id) { return vocabulary.pieces().get(id); }

    /** The byte a {@code <0xXX>} piece stands for, or -1 for any other piece. */
    static int byteValue(String piece) {
        if (piece.length() != 6 || !piece.startsWith("<0x") || piece.charAt(5) != '>') return -1;
        int hi = Character.digit(piece.charAt(3), 16);
        int lo = Character.digit(piece.charAt(4), 16);
        return hi < 0 || lo < 0 ? -1 : hi << 4 | lo;
    }
}
