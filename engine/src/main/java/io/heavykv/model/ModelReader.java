package io.heavykv.model;

import java.io.IOException;
import java.nio.file.Path;

/** Reads one model file format into a {@link Model}. */
public interface ModelReader {
    /** True when the file's first bytes look like this reader's format. */
    boolean accepts(byte[] head);

    /** Builds the model from the mapped file; the model owns the mapping from then on. */
    Model read(MappedModelFile file);

    /** Maps {@code path} and reads it; the mapping is released again if the file turns out to be bad. */
    default Model read(Path path) throws IOException {
        MappedModelFile file = MappedModelFile.open(path);
        try {
            return read(file);
        } catch (RuntimeException e) {
            file.close();
            throw e;
        }
    }
}
