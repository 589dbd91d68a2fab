package io.heavykv.tokenizer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The regexes byte-level BPE splits text with before merging, by GGUF {@code tokenizer.ggml.pre} name. Each regex
 * splits every piece the previous one left, the text between matches becoming pieces too, as llama.cpp does.
 * The regexes are llama.cpp's (from the models' tokenizer.json files) with {@code \s} read as Unicode White_Space,
 * the set llama.cpp's own matcher uses, where java.util.regex's {@code \s} would only know ASCII; {@code \p{L}}
 * and {@code \p{N}} are Unicode general categories in both.
 */
enum PreTokenizer {
    DEFAULT(false, List.of("default"),
            "[\\p{P}\\$\\+<=>\\^~\\|]+", Regex.GPT2, "\\p{N}+", "[0-9][0-9][0-9]"),
    GPT2(false, List.of("gpt-2", "phi-2", "jina-es", "jina-de", "gigachat", "jina-v2-es", "jina-v2-de", "a.x-4.0",
            "mellum", "modern-bert", "jina-v1-en", "jina-v2-code", "roberta-bpe", "mpt", "olmo", "jais", "trillion",
            "granite-docling", "exaone4"),
            Regex.GPT2),
    /** Llama 3: a word that is one piece stays one token, whatever the merges would make of it. */
    LLAMA3(true, List.of("llama3", "llama-v3", "llama-bpe", "falcon3", "falcon-h1", "pixtral", "midm-2.0", "lfm2",
            "jina-v5-nano"),
            Regex.LLAMA3),
    DBRX(false, List.of("dbrx", "smaug-bpe"), Regex.LLAMA3),
    QWEN2(false, List.of("qwen2", "deepseek-r1-qwen", "kormo", "f2llmv2", "megrez", "stablelm2", "hunyuan", "solar-open"),
            Regex.QWEN2),
    /** Digits one by one, then GPT-2's regex. */
    STARCODER(false, List.of("starcoder", "refact", "command-r", "smollm", "codeshell", "exaone", "minerva-7b", "mellum2"),
            "\\p{N}", Regex.GPT2),
    FALCON(false, List.of("falcon"), "[\\p{P}\\$\\+<=>\\^~\\|`]+", Regex.GPT2, "[0-9][0-9][0-9]");

    /** Declared apart because enum constants cannot name the enum's own static fields. */
    private static final class Regex {
        static final String GPT2 = "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";
        static final String LLAMA3 = "(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+"
                + "|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
        static final String QWEN2 = "(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+"
                + "|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
    }

    private final boolean wholeWordsFirst;
    private final List<String> names;
    private final Pattern[] patterns;

    PreTokenizer(boolean wholeWordsFirst, List<String> names, String... regexes) {
        this.wholeWordsFirst = wholeWordsFirst;
        this.names = names;
        this.patterns = Arrays.stream(regexes)
                .map(r -> Pattern.compile(r.replace("\\s", "\\p{IsWhite_Space}").replace("\\S", "\\P{IsWhite_Space}")))
                .toArray(Pattern[]::new);
    }

    /** The pre-tokenizer GGUF calls {@code name}; llama.cpp falls back to the default one when the key is absent. */
    static PreTokenizer named(String name) {
        if (name == null) return DEFAULT;
        for (PreTokenizer p : values()) {
            if (p.names.contains(name)) return p;
        }
        throw new InvalidTokenizerException("pre-tokenizer '" + name + "' is not supported; supported: " + supportedNames());
    }

    static String supportedNames() {
        return Stream.of(values()).flatMap(p -> p.names.stream()).collect(Collectors.joining(", "));
    }

    /** Whether a word that is itself a piece becomes that token without merging (llama.cpp's ignore_merges). */
    boolean wholeWordsFirst() { return wholeWordsFirst; }

    /** Llama 3's tokenizers add BOS unless the file says otherwise. */
    boolean addsBos() { return this == LLAMA3; }

    List<String> split(String text) {
        int[] ends = {text.length()};
        int count = text.isEmpty() ? 0 : 1;
        for (Pattern pattern : patterns) {
            int[] next = new int[Math.max(16, 2 * count)];
            int n = 0;
            Matcher m = pattern.matcher(text);
            int start = 0;
            for (int f = 0; f < count; f++) {
                int end = ends[f];
                m.region(start, end);
                int at = start;
                while (m.find()) {
                    if (n + 2 > next.length) next = Arrays.copyOf(next, next.length * 2);
                    if (m.start() > at) next[n++] = m.start();
                    next[n++] = m.end();
                    at = m.end();
                }
                if (at < end) {
                    if (n == next.length) next = Arrays.copyOf(next, next.length * 2);
                    next[n++] = end;
                }
                start = end;
            }
            ends = next;
            count = n;
        }
        List<String> words = new ArrayList<>(count);
        for (int f = 0, start = 0; f < count; start = ends[f++]) words.add(text.substring(start, ends[f]));
        return words;
    }
}
