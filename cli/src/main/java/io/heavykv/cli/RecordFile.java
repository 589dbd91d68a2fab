package io.heavykv.cli;

import com.fasterxml.jackson.core.JsonProcessingException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * JSON Lines written one whole record at a time and flushed, so a run stopped with Ctrl-C leaves
 * every finished record complete and no half line.
 */
final class RecordFile implements AutoCloseable {
    private final Path path;
    private final Writer writer;

    private RecordFile(Path path, Writer writer) {
        this.path = path;
        this.writer = writer;
    }

    /** A fresh file {@code name} in {@code dir} (created if missing), or a file that drops everything when dir is null. */
    static RecordFile create(Path dir, String name) throws IOException {
        if (dir == null) return new RecordFile(null, Writer.nullWriter());
        Files.createDirectories(dir);
        Path path = dir.resolve(name);
        return new RecordFile(path, Files.newBufferedWriter(path, StandardCharsets.UTF_8));
    }

    synchronized void write(Object record) {
        try {
            writer.write(Json.MAPPER.writeValueAsString(record) + "\n");
            writer.flush();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + record.getClass().getSimpleName() + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + path, e);
        }
    }

    @Override
    public void close() throws IOException {
        writer.close();
    }
}
