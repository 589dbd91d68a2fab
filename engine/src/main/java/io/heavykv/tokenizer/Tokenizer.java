package io.heavykv.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * Text to ids and back for a {@link Vocabulary}, exactly as llama.cpp tokenizes its GGUF vocabularies (and as
 * llama2.c tokenizes its own files): special pieces are split out first, then each stretch of text between them is
 * encoded by the vocabulary's algorithm ({@link SentencePieceEncoder} or {@link BytePairEncoder}). Immutable and
 * thread-safe; decoding state lives in {@link StreamingDecoder}.
 */
public final class Tokenizer {
    /**
     * Pieces llama.cpp ends generation on wherever they sit in a vocabulary (chat models' end-of-turn markers,
     * fill-in-the-middle padding), besides the EOS, EOT and EOM ids the file names.
     */
    private static final Set<String> END_OF_GENERATION_PIECES = Set.of(
            "<|eot_id|>", "<|im_end|>", "<|end|>", "<|return|>", "<|call|>", "<|flush|>", "<|calls|>",
            "<end_of_turn>", "<|endoftext|>", "</s>", "<|eom_id|>", "<EOT>", "_<EOT>", "[EOT]", "[EOS]",
            "<|end_of_text|>", "<end_of_utterance>", "<eos>", "<turn|>", "<|tool_response>",
            "<\uFF5Cend\u2581of\u2581sentence\uFF5C>", "[e~[",
            "<|fim_pad|>", "<fim-pad>", "<fim_pad>", "<PAD>", "[PAD]",
            "<|fim_repo|>", "<|repo_name|>", "<fim-repo>", "<REPO>", "<reponame>", "<|file_sep|>");

    private final Vocabulary vocabulary;
    private final Map<String, Integer> ids;
    private final float[] scores;
    /** Id of the {@code <0xXX>} piece per byte value, -1 when the vocabulary lacks it. */
    private final int[] byteIds = new int[256];
    /** What each id prints as: raw bytes for byte pieces, nothing for control pieces, else the piece's text. */
    private final byte[][] output;
    /** The same right after BOS, where sentencepiece drops the dummy-prefix space it put before the first word. */
    private final byte[][] outputAfterBos;
    /** Special pieces, longest first: user-defined ones are always split out, control ones on request. */
    private final int[] specialIds;
    private final boolean[] endsGeneration;
    private final FragmentEncoder encoder;

    public Tokenizer(Vocabulary vocabulary) {
        this.vocabulary = vocabulary;
        int n = vocabulary.size();
        this.ids = HashMap.newHashMap(n);
        this.scores = new float[n];
        this.output = new byte[n][];
        this.outputAfterBos = new byte[n][];
        Arrays.fill(byteIds, -1);
        TokenizerKind kind = vocabulary.kind();
        for (int id = 0; id < n; id++) {
            String piece = vocabulary.pieces().get(id);
            ids.putIfAbsent(piece, id);
            // -0.0f and 0.0f must rank equal, as they do under C's float comparison.
            scores[id] = vocabulary.scores()[id] + 0.0f;
            TokenType type = vocabulary.types()[id];
            int b = type == TokenType.BYTE ? Vocabulary.byteValue(piece) : -1;
            if (b >= 0 && byteIds[b] < 0) byteIds[b] = id;
            output[id] = switch (type) {
                case NORMAL -> kind == TokenizerKind.BYTE_LEVEL_BPE ? ByteLevel.decode(piece)
                        : piece.replace(kind.spaceMarker(), " ").getBytes(StandardCharsets.UTF_8);
                case USER_DEFINED -> piece.getBytes(StandardCharsets.UTF_8);
                case BYTE -> b >= 0 ? new byte[] {(byte) b} : new byte[0];
                case CONTROL, UNKNOWN, UNUSED, UNDEFINED -> new byte[0];
            };
            boolean dropsPrefix = kind != TokenizerKind.BYTE_LEVEL_BPE && vocabulary.special().addSpacePrefix()
                    && type == TokenType.NORMAL && output[id].length > 0 && output[id][0] == ' ';
            outputAfterBos[id] = dropsPrefix ? Arrays.copyOfRange(output[id], 1, output[id].length) : output[id];
        }
        this.specialIds = IntStream.range(0, n)
                .filter(id -> vocabulary.types()[id].isSpecial() && !vocabulary.pieces().get(id).isEmpty())
                .boxed()
                .sorted(Comparator.comparingInt((Integer id) -> -vocabulary.pieces().get(id).length()))
                .mapToInt(Integer::intValue)
                .toArray();
        this.endsGeneration = endOfGeneration(vocabulary);
        this.encoder = switch (kind) {
            case LLAMA2C, SENTENCEPIECE -> new SentencePieceEncoder(this, kind.spaceMarker(),
                    vocabulary.special().addSpacePrefix());
            case BYTE_LEVEL_BPE -> new BytePairEncoder(this, PreTokenizer.named(vocabulary.preTokenizer()),
                    vocabulary.merges());
        };
    }

    private static boolean[] endOfGeneration(Vocabulary v) {
        boolean[] ends = new boolean[v.size()];
        SpecialTokens s = v.special();
        for (int id : new int[] {s.eos(), s.endOfTurn(), s.endOfMessage()}) {
            if (id != SpecialTokens.NONE) ends[id] = true;
        }
        for (int id = 0; id < ends.length; id++) {
            if (END_OF_GENERATION_PIECES.contains(v.pieces().get(id))) ends[id] = true;
        }
        return ends;
    }

    public Vocabulary vocabulary() { return vocabulary; }

    public int size() { return vocabulary.size(); }

    public int bosId() { return vocabulary.bosId(); }

    public int eosId() { return vocabulary.eosId(); }

    /** Whether generating {@code token} ends the sequence: EOS, end of turn or message, and chat end markers. */
    public boolean endsGeneration(int token) {
        return token >= 0 && token < endsGeneration.length && endsGeneration[token];
    }

    /** Every id that ends generation, ascending. */
    public int[] endOfGenerationIds() {
        return IntStream.range(0, endsGeneration.length).filter(id -> endsGeneration[id]).toArray();
    }

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

    /** {@code text}'s ids with BOS and EOS exactly as asked; text that looks like a special piece stays text. */
    public int[] encode(String text, boolean bos, boolean eos) {
        return tokenize(text, bos, eos, false);
    }

    /**
     * llama.cpp's {@code llama_tokenize}: {@code addSpecial} adds BOS and EOS as the vocabulary asks
     * ({@code tokenizer.ggml.add_bos_token}, {@code add_eos_token}); {@code parseSpecial} turns text equal to a
     * control piece (a chat template's {@code <|im_start|>}, say) into that token. User-defined pieces are split
     * out either way.
     */
    public int[] tokenize(String text, boolean addSpecial, boolean parseSpecial) {
        SpecialTokens s = vocabulary.special();
        return tokenize(text, addSpecial && s.addBos(), addSpecial && s.addEos(), parseSpecial);
    }

    private int[] tokenize(String text, boolean bos, boolean eos, boolean parseSpecial) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new IllegalArgumentException("text has an unpaired surrogate at index " + i);
            }
        }
        IntStream.Builder out = IntStream.builder();
        if (bos) out.accept(requireSpecial(bosId(), "BOS"));
        boolean afterSpecial = true;
        for (Object fragment : partition(text, parseSpecial)) {
            if (fragment instanceof Integer special) {
                out.accept(special);
                afterSpecial = true;
            } else {
                encoder.encode((String) fragment, afterSpecial, out);
                afterSpecial = false;
            }
        }
        if (eos) out.accept(requireSpecial(eosId(), "EOS"));
        return out.build().toArray();
    }

    private static int requireSpecial(int id, String what) {
        if (id == SpecialTokens.NONE) throw new InvalidTokenizerException("vocabulary has no " + what + " token");
        return id;
    }

    /**
     * {@code text} cut at every occurrence of a special piece, longest pieces first: Strings for text, Integers for
     * special ids (llama.cpp's tokenizer_st_partition).
     */
    private List<Object> partition(String text, boolean parseSpecial) {
        List<Object> fragments = new ArrayList<>();
        if (text.isEmpty()) return fragments;
        fragments.add(text);
        for (int id : specialIds) {
            TokenType type = vocabulary.types()[id];
            if (!parseSpecial && type != TokenType.USER_DEFINED) continue;
            String piece = vocabulary.pieces().get(id);
            for (int f = 0; f < fragments.size(); f++) {
                if (!(fragments.get(f) instanceof String s)) continue;
                int at = s.indexOf(piece);
                if (at < 0) continue;
                List<Object> parts = new ArrayList<>();
                int from = 0;
                for (; at >= 0; at = s.indexOf(piece, from)) {
                    if (at > from) parts.add(s.substring(from, at));
                    parts.add(id);
                    from = at + piece.length();
                }
                if (from < s.length()) parts.add(s.substring(from));
                fragments.remove(f);
                fragments.addAll(f, parts);
                f += parts.size() - 1;
            }
        }
        return fragments;
    }

    /** The text of a token sequence; control tokens print nothing, and a piece right after BOS loses its dummy-prefix space. */
    public String decode(int[] tokens) {
        StreamingDecoder decoder = newStreamingDecoder();
        StringBuilder sb = new StringBuilder();
        for (int token : tokens) sb.append(decoder.next(token));
        return sb.append(decoder.finish()).toString();
    }

    /** A decoder that releases text only once its UTF-8 bytes are complete. */
    public StreamingDecoder newStreamingDecoder() { return new StreamingDecoder(this); }

    /**
     * How {@code token} reads on its own, for listings: its text, or for pieces that print nothing or only a
     * byte (control, unknown, byte-fallback), the piece as spelled.
     */
    public String display(int token) {
        checkId(token);
        TokenType type = vocabulary.types()[token];
        if (type == TokenType.NORMAL || type == TokenType.USER_DEFINED) {
            return new String(output[token], StandardCharsets.UTF_8);
        }
        return vocabulary.pieces().get(token);
    }

    /** Bytes {@code token} prints as when it follows {@code previous}; shared, so callers must not modify them. */
    byte[] outputBytes(int previous, int token) {
        checkId(token);
        return previous == bosId() && previous != SpecialTokens.NONE ? outputAfterBos[token] : output[token];
    }

    private void checkId(int token) {
        if (token < 0 || token >= size()) {
            throw new IllegalArgumentException("token id " + token + " is outside the vocabulary 0.." + (size() - 1));
        }
    }

    // --- used by the encoders ---

    int byteId(int b) { return byteIds[b]; }

    float score(int id) { return scores[id]; }
}
