package io.heavykv.bench.prompts;

import io.heavykv.files.InputFiles;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * One real prompt: its name (the file name, which identifies it in records), its length bucket, and where
 * its text lives: a file, or a resource bundled in the jar ({@code classpath:} prefix).
 */
public record PromptFile(String name, String bucket, String location) {
    static final String CLASSPATH = "classpath:";

    public String text() {
        try {
            if (location.startsWith(CLASSPATH)) {
                String resource = location.substring(CLASSPATH.length());
                try (InputStream in = PromptFile.class.getClassLoader().getResourceAsStream(resource)) {
                    if (in == null) throw new IllegalStateException("bundled prompt " + resource + " is missing from the classpath");
                    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
            }
            return InputFiles.readText(Path.of(location), "prompt file");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read prompt " + location + ": " + e.getMessage(), e);
        }
    }
}
