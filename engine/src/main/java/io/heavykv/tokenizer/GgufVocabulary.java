package io.heavykv.tokenizer;

import io.heavykv.model.GgufFile;
import io.heavykv.model.GgufWriter;
import io.heavykv.model.InvalidModelException;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A vocabulary in GGUF's {@code tokenizer.ggml.*} metadata, read and written with llama.cpp's keys and defaults:
 * the same code serves models, vocabulary-only files and the converter.
 */
public final class GgufVocabulary {
    static final String MODEL = "tokenizer.ggml.model";
    static final String PRE = "tokenizer.ggml.pre";
    static final String TOKENS = "tokenizer.ggml.tokens";
    static final String SCORES = "tokenizer.ggml.scores";
    static final String TOKEN_TYPE = "tokenizer.ggml.token_type";
    static final String MERGES = "tokenizer.ggml.merges";
    static final String BOS_ID = "tokenizer.ggml.bos_token_id";
    static final String EOS_ID = "tokenizer.ggml.eos_token_id";
    static final String UNKNOWN_ID = "tokenizer.ggml.unknown_token_id";
    static final String PADDING_ID = "tokenizer.ggml.padding_token_id";
    static final String EOT_ID = "tokenizer.ggml.eot_token_id";
    static final String EOM_ID = "tokenizer.ggml.eom_token_id";
    static final String ADD_BOS = "tokenizer.ggml.add_bos_token";
    static final String ADD_EOS = "tokenizer.ggml.add_eos_token";
    static final String ADD_SPACE_PREFIX = "tokenizer.ggml.add_space_prefix";
    /** How GGUF writers spell "no such token" in a uint32 id key. */
    private static final long UNSET_U32 = 0xFFFF_FFFFL;

    private GgufVocabulary() {}

    /** The vocabulary {@code gguf} (read from {@code file}) carries, or empty when it has none. */
    public static Optional<Vocabulary> read(GgufFile gguf, Path file) {
        Keys keys = new Keys(gguf.metadata(), file);
        Object tokenValue = keys.raw(TOKENS);
        String model = keys.string(MODEL);
        if (tokenValue == null && model == null) return Optional.empty();
        TokenizerKind kind = kindOf(model, keys);
        if (!(tokenValue instanceof List<?> list) || list.isEmpty() || !list.stream().allMatch(String.class::isInstance)) {
            throw keys.bad(TOKENS, "must be a non-empty array of strings");
        }
        @SuppressWarnings("unchecked")
        List<String> pieces = (List<String>) list;
        int n = pieces.size();
        // heavykv's converter once wrote llama2.c's pieces with their plain spaces: tokenize those as llama2.c does.
        if (kind == TokenizerKind.SENTENCEPIECE && pieces.stream().noneMatch(p -> p.contains(TokenizerKind.SENTENCEPIECE.spaceMarker()))
                && pieces.stream().anyMatch(p -> p.startsWith(" "))) {
            kind = TokenizerKind.LLAMA2C;
        }
        float[] scores = scores(keys, n);
        TokenType[] types = types(keys, n);
        List<String> merges = List.of();
        String pre = null;
        boolean bpe = kind == TokenizerKind.BYTE_LEVEL_BPE;
        if (bpe) {
            Object m = keys.raw(MERGES);
            if (m == null) throw keys.bad(MERGES, "is missing; byte-level BPE needs its merges");
            if (!(m instanceof List<?> ml) || !ml.stream().allMatch(String.class::isInstance)) {
                throw keys.bad(MERGES, "must be an array of strings");
            }
            @SuppressWarnings("unchecked")
            List<String> typed = (List<String>) ml;
            merges = typed;
            pre = keys.string(PRE);
            try {
                PreTokenizer.named(pre);
            } catch (InvalidTokenizerException e) {
                throw keys.bad(PRE, "is '" + pre + "', which is not supported; supported: " + PreTokenizer.supportedNames());
            }
        }
        // llama.cpp's defaults when a key is absent: sentencepiece files follow Llama 2's ids, GPT-2 files its 11.
        SpecialTokens special = new SpecialTokens(
                keys.id(BOS_ID, n, bpe ? 11 : 1), keys.id(EOS_ID, n, bpe ? 11 : 2), keys.id(UNKNOWN_ID, n, bpe ? -1 : 0),
                keys.id(PADDING_ID, n, -1), keys.id(EOT_ID, n, -1), keys.id(EOM_ID, n, -1),
                keys.bool(ADD_BOS, !bpe || PreTokenizer.named(pre).addsBos()),
                keys.bool(ADD_EOS, false),
                keys.bool(ADD_SPACE_PREFIX, !bpe));
        if (special.addBos() && special.bos() == SpecialTokens.NONE) throw keys.bad(ADD_BOS, "is true but there is no BOS token");
        if (special.addEos() && special.eos() == SpecialTokens.NONE) throw keys.bad(ADD_EOS, "is true but there is no EOS token");
        return Optional.of(new Vocabulary(kind, pieces, scores, types, merges, pre, special));
    }

    /** Writes {@code vocab} as llama.cpp's converters do (a llama2.c vocabulary in its GGUF spelling). */
    public static void write(GgufWriter w, Vocabulary vocab) {
        Vocabulary v = vocab.toGgufSpelling();
        int[] types = Arrays.stream(v.types()).mapToInt(TokenType::ggufId).toArray();
        w.putString(MODEL, v.kind().ggufName())
                .putStrings(TOKENS, v.pieces())
                .putFloat32s(SCORES, v.scores())
                .putInt32s(TOKEN_TYPE, types);
        if (v.kind() == TokenizerKind.BYTE_LEVEL_BPE) {
            w.putStrings(MERGES, v.merges());
            if (v.preTokenizer() != null) w.putString(PRE, v.preTokenizer());
        }
        SpecialTokens s = v.special();
        String[] idKeys = {BOS_ID, EOS_ID, UNKNOWN_ID, PADDING_ID, EOT_ID, EOM_ID};
        int[] ids = s.ids();
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] != SpecialTokens.NONE) w.putUInt32(idKeys[i], ids[i]);
        }
        w.putBool(ADD_BOS, s.addBos()).putBool(ADD_EOS, s.addEos()).putBool(ADD_SPACE_PREFIX, s.addSpacePrefix());
    }

    private static TokenizerKind kindOf(String model, Keys keys) {
        for (TokenizerKind k : TokenizerKind.values()) {
            if (k.ggufName() != null && k.ggufName().equals(model)) return k;
        }
        throw keys.bad(MODEL, (model == null ? "is missing" : "is '" + model + "'")
                + "; supported: 'llama' (sentencepiece), 'gpt2' (byte-level BPE)");
    }

    private static float[] scores(Keys keys, int n) {
        Object v = keys.raw(SCORES);
        if (v == null) return new float[n];
        if (v instanceof float[] f && f.length == n) return f;
        if (v instanceof long[] l && l.length == n) {
            float[] f = new float[n];
            for (int i = 0; i < n; i++) f[i] = l[i];
            return f;
        }
        throw keys.bad(SCORES, "must be an array of " + n + " numbers, one per token, got " + describe(v));
    }

    private static TokenType[] types(Keys keys, int n) {
        Object v = keys.raw(TOKEN_TYPE);
        TokenType[] types = new TokenType[n];
        if (v == null) {
            Arrays.fill(types, TokenType.NORMAL);
            return types;
        }
        if (!(v instanceof long[] l) || l.length != n) {
            throw keys.bad(TOKEN_TYPE, "must be an array of " + n + " integers, one per token, got " + describe(v));
        }
        for (int i = 0; i < n; i++) {
            types[i] = TokenType.ofGgufId(l[i]);
            if (types[i] == null) throw keys.bad(TOKEN_TYPE, "gives token " + i + " the unknown type " + l[i] + " (known: 0..6)");
        }
        return types;
    }

    private static String describe(Object v) {
        if (v instanceof float[] f) return "a float array of " + f.length;
        if (v instanceof long[] l) return "an integer array of " + l.length;
        if (v instanceof List<?> l) return "an array of " + l.size() + " non-numbers";
        return v.getClass().getSimpleName() + " " + v;
    }

    /** Typed metadata access whose errors name the file and the key. */
    private record Keys(Map<String, Object> values, Path file) {
        Object raw(String key) { return values.get(key); }

        InvalidModelException bad(String key, String problem) {
            return new InvalidModelException(file + ": " + key + " " + problem);
        }

        String string(String key) {
            Object v = values.get(key);
            if (v == null || v instanceof String) return (String) v;
            throw bad(key, "must be a string, got " + describe(v));
        }

        boolean bool(String key, boolean fallback) {
            Object v = values.get(key);
            if (v == null) return fallback;
            if (v instanceof Boolean b) return b;
            throw bad(key, "must be a boolean, got " + describe(v));
        }

        /** A token id, {@link SpecialTokens#NONE} when unset (absent keys take {@code fallback}, if in range). */
        int id(String key, int n, int fallback) {
            Object v = values.get(key);
            if (v == null) return fallback < n ? fallback : SpecialTokens.NONE;
            if (!(v instanceof Long l)) throw bad(key, "must be an integer, got " + describe(v));
            if (l == -1 || l == UNSET_U32) return SpecialTokens.NONE;
            if (l < 0 || l >= n) throw bad(key, "is " + l + ", outside the vocabulary of " + n + " tokens");
            return (int) (long) l;
        }
    }
}
