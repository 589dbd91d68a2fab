package io.heavykv.bench.prompts;

import io.heavykv.bench.BenchJson;
import io.heavykv.bench.StrictJson;
import io.heavykv.files.InputFiles;
import com.fasterxml.jackson.core.JsonProcessingException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.ToIntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds prompt files and their buckets: the bundled set, a manifest (JSON lines with {@code file} and
 * {@code bucket} or {@code tokens}), a directory (its manifest.jsonl if it has one) or a glob such as
 * {@code prompts/prompt_???_*.txt}. A file without a known bucket is bucketed by its token count, or by a
 * {@code prompt_<bucket>_} name.
 */
public final class PromptSet {
    private static final String BUNDLED = "heavykv/prompts/";
    private static final String MANIFEST = "manifest.jsonl";
    private static final Set<String> MANIFEST_KEYS = Set.of("file", "bucket", "target_tokens", "tokens");
    private static final Pattern NAMED_BUCKET = Pattern.compile("prompt_(128|512|2048|long)_.*");

    private PromptSet() {
    }

    /** The prompts shipped in the jar (heavykv/prompts, buckets 128/512/2048/long). */
    public static List<PromptFile> bundled() throws IOException {
        try (InputStream in = PromptSet.class.getClassLoader().getResourceAsStream(BUNDLED + MANIFEST)) {
            if (in == null) throw new IllegalStateException("bundled prompt manifest " + BUNDLED + MANIFEST + " is missing");
            return parseManifest(new String(in.readAllBytes(), StandardCharsets.UTF_8), "bundled " + MANIFEST,
                    file -> PromptFile.CLASSPATH + BUNDLED + file, null);
        }
    }

    /** Prompts listed in a manifest; files are relative to its directory. */
    public static List<PromptFile> manifest(Path manifest, ToIntFunction<String> tokenCounter) throws IOException {
        Path dir = manifest.toAbsolutePath().getParent();
        return parseManifest(InputFiles.readText(manifest, "prompt manifest"), manifest.toString(),
                file -> dir.resolve(file).toString(), tokenCounter);
    }

    /** A directory (its manifest if present, else every *.txt) or a glob over file names in one directory. */
    public static List<PromptFile> find(String dirOrGlob, ToIntFunction<String> tokenCounter) throws IOException {
        Path path = Path.of(dirOrGlob);
        Path dir;
        String glob;
        if (Files.isDirectory(path)) {
            if (Files.isRegularFile(path.resolve(MANIFEST))) return manifest(path.resolve(MANIFEST), tokenCounter);
            dir = path;
            glob = "*.txt";
        } else {
            dir = path.toAbsolutePath().getParent();
            glob = path.getFileName().toString();
        }
        if (dir == null || !Files.isDirectory(dir)) throw new IllegalArgumentException("prompt directory " + dir + " does not exist");
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + glob);
        List<PromptFile> found = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> Files.isRegularFile(f) && matcher.matches(f.getFileName())).sorted().toList()) {
                found.add(new PromptFile(file.getFileName().toString(), bucketOf(file.getFileName().toString(),
                        () -> tokenCounter.applyAsInt(read(file))), file.toString()));
            }
        }
        if (found.isEmpty()) throw new IllegalArgumentException("no prompt files match " + glob + " in " + dir);
        return found;
    }

    private static List<PromptFile> parseManifest(String text, String source, java.util.function.Function<String, String> locate,
                                                  ToIntFunction<String> tokenCounter) {
        List<PromptFile> prompts = new ArrayList<>();
        String[] lines = text.split("\n");
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].isBlank()) continue;
            String where = source + " line " + (i + 1);
            StrictJson entry;
            try {
                entry = new StrictJson(BenchJson.SETTINGS.readTree(lines[i]), where);
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException(where + " is not valid JSON: " + e.getOriginalMessage(), e);
            }
            entry.requireKeys(MANIFEST_KEYS);
            String file = entry.text("file", null);
            if (file == null) throw new IllegalArgumentException(where + ": key 'file' is missing");
            String location = locate.apply(file);
            String bucket = entry.text("bucket", null);
            if (bucket == null) {
                int tokens = entry.integer("tokens", -1);
                if (tokens < 0 && tokenCounter == null) throw new IllegalArgumentException(where + ": needs 'bucket' or 'tokens'");
                bucket = tokens >= 0 ? Buckets.of(tokens) : bucketOf(file, () -> tokenCounter.applyAsInt(read(Path.of(location))));
            } else if (!Buckets.ORDER.contains(bucket)) {
                throw new IllegalArgumentException(where + ": key 'bucket' must be one of " + Buckets.ORDER + ", got \"" + bucket + "\"");
            }
            prompts.add(new PromptFile(file, bucket, location));
        }
        if (prompts.isEmpty()) throw new IllegalArgumentException(source + " lists no prompts");
        return prompts;
    }

    private static String bucketOf(String fileName, java.util.function.IntSupplier tokens) {
        Matcher m = NAMED_BUCKET.matcher(fileName);
        return m.matches() ? m.group(1) : Buckets.of(tokens.getAsInt());
    }

    private static String read(Path file) {
        return new PromptFile(file.getFileName().toString(), "", file.toString()).text();
    }
}
