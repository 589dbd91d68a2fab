package io.heavykv.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * An output file written so that a failure never costs the user a file: the content goes to a temporary
 * file beside the target, which replaces the target by an atomic rename only once it is complete
 * ({@link #commit}). Whatever the target held before (a model, a device node, a directory) survives a failed
 * or interrupted run, and a target that is one of the run's inputs is refused before anything is written.
 */
public final class OutputFile implements AutoCloseable {
    private static final Set<PosixFilePermission> NEW_FILE = PosixFilePermissions.fromString("rw-r--r--");

    private final Path target;
    private final Path temporary;
    private boolean committed;

    private OutputFile(Path target, Path temporary) {
        this.target = target;
        this.temporary = temporary;
    }

    /** What produces the content, given the temporary path to write it to. */
    @FunctionalInterface
    public interface Body {
        void writeTo(Path temporary) throws IOException;
    }

    /**
     * Starts writing {@code target}: write {@link #temporary()}, then {@link #commit()}; closing without a
     * commit deletes only the temporary file. A symbolic link as target is followed, so the file it names is
     * replaced and the link stays.
     *
     * @throws IllegalArgumentException when the target exists and is no regular file, or is one of {@code inputs}
     * @throws NoSuchFileException      when the target's folder does not exist
     */
    public static OutputFile open(Path target, Path... inputs) throws IOException {
        refuseInputs(target, inputs);
        Path file = Files.exists(target) ? target.toRealPath() : target.toAbsolutePath();
        if (Files.exists(file, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(file)) {
            throw new IllegalArgumentException("not a regular file: " + target + " (refusing to replace it)");
        }
        Path dir = file.getParent();
        if (!Files.isDirectory(dir)) throw new NoSuchFileException(dir.toString(), null, "no such folder");
        return new OutputFile(file, Files.createTempFile(dir, "." + file.getFileName() + ".", ".partial"));
    }

    /** Writes {@code target} through {@code body}, as {@link #open} describes. */
    public static void write(Path target, Body body, Path... inputs) throws IOException {
        try (OutputFile out = open(target, inputs)) {
            body.writeTo(out.temporary());
            out.commit();
        }
    }

    /**
     * Refuses an output that is the same file as one of {@code inputs} (by file identity, so through
     * symbolic links, hard links and relative paths): writing it would destroy the input while it is read.
     * A null target (no such output asked for) passes.
     */
    public static void refuseInputs(Path target, Path... inputs) throws IOException {
        if (target == null || !Files.exists(target)) return;
        for (Path input : inputs) {
            if (input != null && Files.exists(input) && Files.isSameFile(target, input)) {
                throw new IllegalArgumentException("output " + target + " is the input " + input + " of this run; refusing to overwrite it");
            }
        }
    }

    public Path temporary() {
        return temporary;
    }

    /** Moves the finished temporary file over the target. */
    public void commit() throws IOException {
        copyPermissions();
        Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
        committed = true;
    }

    @Override
    public void close() throws IOException {
        if (!committed) Files.deleteIfExists(temporary);
    }

    /** The temporary file is created owner-only; the result gets the permissions the target had, or rw-r--r--. */
    private void copyPermissions() throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(temporary, PosixFileAttributeView.class);
        if (view == null) return;
        view.setPermissions(Files.exists(target) ? Files.getPosixFilePermissions(target) : NEW_FILE);
    }
}
