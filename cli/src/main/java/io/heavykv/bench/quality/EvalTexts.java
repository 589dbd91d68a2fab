package io.heavykv.bench.quality;

import io.heavykv.files.InputFiles;
import io.heavykv.tokenizer.Tokenizer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The held-out texts bundled with heavykv (resources heavykv/eval), the bundled prompts (heavykv/prompts),
 * the prose prompts and held-out prose cut from Jane Austen's novels for real models (heavykv/prose) and user
 * text files, tokenized.
 */
public final class EvalTexts {
    private static final String DIR = "/heavykv/eval/";
    private static final String PROMPTS = "/heavykv/prompts/";
    private static final String PROSE = "/heavykv/prose/";
    /** The held-out prose, disjoint from the prose prompts (another novel). */
    public static final String HELD_OUT_PROSE = "heldout_persuasion.txt";
    private static final Pattern FILE = Pattern.compile("\"file\"\\s*:\\s*\"([^\"]+)\"");

    private EvalTexts() {
    }

    /** Names of the bundled texts in manifest order (eval_1.txt, ...). */
    public static List<String> bundledNames() {
        List<String> names = new ArrayList<>();
        for (String line : resource(DIR, "manifest.jsonl").split("\n")) {
            Matcher m = FILE.matcher(line);
            if (m.find()) names.add(m.group(1));
        }
        if (names.isEmpty()) throw new IllegalStateException("bundled eval manifest " + DIR + "manifest.jsonl lists no files");
        return names;
    }

    public static List<EvalText> bundled(Tokenizer tokenizer) {
        return bundledNames().stream().map(name -> bundled(tokenizer, name)).toList();
    }

    /** One bundled text by file name, e.g. {@code eval_2.txt}. */
    public static EvalText bundled(Tokenizer tokenizer, String name) {
        if (name.equals(HELD_OUT_PROSE)) return new EvalText(name, tokenizer.encode(resource(PROSE, name), false, false));
        if (!bundledNames().contains(name)) {
            throw new IllegalArgumentException("no bundled eval text " + name + "; bundled: " + bundledNames());
        }
        return new EvalText(name, tokenizer.encode(resource(DIR, name), false, false));
    }

    public static EvalText file(Tokenizer tokenizer, Path file) throws IOException {
        return new EvalText(file.getFileName().toString(), tokenizer.encode(InputFiles.readText(file, "eval text"), false, false));
    }

    /**
     * A bundled prompt (e.g. {@code prompt_2048_1.txt}, or {@code prose_2048_1.txt} from the prose set) as the
     * model is fed it: BOS, then its tokens.
     */
    public static int[] prompt(Tokenizer tokenizer, String name) {
        if (!name.matches("(prompt|prose)_[a-z0-9]+_\\d+\\.txt")) {
            throw new IllegalArgumentException("bundled prompt names look like prompt_<bucket>_<n>.txt or prose_<bucket>_<n>.txt, got " + name);
        }
        return tokenizer.encode(resource(promptDir(name), name), true, false);
    }

    /** The resource folder of a bundled prompt's name (prompt_... or prose_...), as a class-path resource prefix. */
    public static String promptDir(String name) {
        return name.startsWith("prose_") ? PROSE : PROMPTS;
    }

    private static String resource(String dir, String name) {
        try (InputStream in = EvalTexts.class.getResourceAsStream(dir + name)) {
            if (in == null) throw new IllegalArgumentException("no bundled resource " + dir + name + " (see the manifest.jsonl there)");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read bundled resource " + dir + name, e);
        }
    }
}
