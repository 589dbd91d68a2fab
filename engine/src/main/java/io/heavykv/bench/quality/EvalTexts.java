package io.heavykv.bench.quality;

import io.heavykv.tokenizer.Tokenizer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The held-out texts bundled with heavykv (resources heavykv/eval) and user text files, tokenized. */
public final class EvalTexts {
    private static final String DIR = "/heavykv/eval/";
    private static final Pattern FILE = Pattern.compile("\"file\"\\s*:\\s*\"([^\"]+)\"");

    private EvalTexts() {
    }

    /** Names of the bundled texts in manifest order (eval_1.txt, ...). */
    public static List<String> bundledNames() {
        List<String> names = new ArrayList<>();
        for (String line : resource("manifest.jsonl").split("\n")) {
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
        if (!bundledNames().contains(name)) {
            throw new IllegalArgumentException("no bundled eval text " + name + "; bundled: " + bundledNames());
        }
        return new EvalText(name, tokenizer.encode(resource(name), false, false));
    }

    public static EvalText file(Tokenizer tokenizer, Path file) throws IOException {
        try {
            return new EvalText(file.getFileName().toString(), tokenizer.encode(Files.readString(file, StandardCharsets.UTF_8), false, false));
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("eval text " + file + " does not exist", e);
        }
    }

    private static String resource(String name) {
        try (InputStream in = EvalTexts.class.getResourceAsStream(DIR + name)) {
            if (in == null) throw new IllegalStateException("bundled resource " + DIR + name + " is missing from the jar");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read bundled resource " + DIR + name, e);
        }
    }
}
