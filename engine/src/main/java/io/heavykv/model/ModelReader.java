package io.heavykv.model;

import java.io.IOException;
import java.nio.file.Path;

/** Reads one model file format into a {@link Model}. */
public interface ModelReader {
    /** True when the file's first bytes look like this reader's format. */
    boolean accepts(byte[] head);

    Model read(Path path) throws IOException;
}
