package io.heavykv.testing;

import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds the shared model directory (never copied into the repository): system property
 * {@code heavykv.models}, else the first {@code shared/models} found walking up from the working directory.
 */
public final class SharedModels {
    private SharedModels() {
    }

    public static Path root() {
        String property = System.getProperty("heavykv.models");
        if (property != null && Files.isDirectory(Path.of(property))) return Path.of(property);
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared").resolve("models");
            if (Files.isDirectory(candidate)) return candidate;
        }
        throw new IllegalStateException("shared model directory not found: set -Dheavykv.models=<dir> (was "
                + property + ") or run from a checkout beside shared/models");
    }

    /** The directory of the stories260K model (checkpoints and tok512.bin). */
    public static Path stories260K() {
        Path dir = root().resolve("stories260K");
        if (!Files.isRegularFile(dir.resolve("stories260K.bin"))) {
            throw new IllegalStateException("stories260K is missing from " + dir);
        }
        return dir;
    }

    /** {@code relative} inside the shared folder (the parent of shared/models), if the folder and that file exist. */
    public static Optional<Path> shared(String relative) {
        try {
            return Optional.of(root().getParent().resolve(relative)).filter(Files::exists);
        } catch (IllegalStateException e) {
            return Optional.empty();
        }
    }

    /**
     * {@link #shared}, skipping the calling test rather than failing it when the shared folder or the file is
     * missing, as in a fresh clone with nothing beside it.
     */
    public static Path assumeShared(String relative) {
        Optional<Path> path = shared(relative);
        Assumptions.assumeTrue(path.isPresent(), () -> "the shared folder is missing (no shared/" + relative + ")");
        return path.get();
    }
}
