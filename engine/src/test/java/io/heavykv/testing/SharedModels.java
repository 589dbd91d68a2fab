package io.heavykv.testing;

import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds the model files tests read. The default model (stories260K.bin and tok512.bin) lives inside the
 * repository under {@code models/}, so a fresh clone tests alone; its other forms (the llama2.c "version 1"
 * export, llama.cpp's own GGUF conversion) and the tokenizer suites live in the shared folder beside the
 * checkout, and tests that need them are skipped, not failed, where that folder is absent.
 */
public final class SharedModels {
    /** System property naming the repository's {@code models} folder (Surefire sets it). */
    public static final String MODELS_PROPERTY = "heavykv.models";
    /** System property naming the shared folder beside the checkout (Surefire sets it). */
    public static final String SHARED_PROPERTY = "heavykv.shared";

    private SharedModels() {
    }

    /** The repository's copy of stories260K: {@code stories260K.bin} and {@code tok512.bin}. */
    public static Path defaultModel() {
        Path dir = locate(MODELS_PROPERTY, Path.of("models"));
        if (dir == null || !Files.isRegularFile(dir.resolve("stories260K/stories260K.bin"))) {
            throw new IllegalStateException("the repository's models/stories260K is missing (" + MODELS_PROPERTY + "="
                    + System.getProperty(MODELS_PROPERTY) + ")");
        }
        return dir.resolve("stories260K");
    }

    /** The shared folder's stories260K directory; the calling test is skipped where there is none. */
    public static Path stories260K() {
        return assumeShared("models/stories260K");
    }

    /** {@code file} of stories260K: the repository's copy when it has one, else the shared folder's. */
    public static Path stories260K(String file) {
        Path embedded = defaultModel().resolve(file);
        return Files.isRegularFile(embedded) ? embedded : stories260K().resolve(file);
    }

    /** {@code relative} inside the shared folder ({@code models/...}, {@code reference/...}), if it exists. */
    public static Optional<Path> shared(String relative) {
        Path shared = locate(SHARED_PROPERTY, Path.of("shared"));
        return Optional.ofNullable(shared).map(s -> s.resolve(relative)).filter(Files::exists);
    }

    /**
     * {@link #shared}, skipping the calling test rather than failing it when the shared folder or the file is
     * missing, as in a fresh clone with nothing beside it.
     */
    public static Path assumeShared(String relative) {
        Optional<Path> path = shared(relative);
        Assumptions.assumeTrue(path.isPresent(), () -> "the shared folder's " + relative + " is not beside this checkout ("
                + SHARED_PROPERTY + "=" + System.getProperty(SHARED_PROPERTY) + ")");
        return path.get();
    }

    /** The folder a property names, else the first {@code name} found walking up from the working directory. */
    private static Path locate(String property, Path name) {
        String value = System.getProperty(property);
        if (value != null && Files.isDirectory(Path.of(value))) return Path.of(value);
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve(name))) return dir.resolve(name);
        }
        return null;
    }
}
