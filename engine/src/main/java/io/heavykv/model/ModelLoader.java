package io.heavykv.model;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Opens a model file in whichever supported format its first bytes announce. */
public final class ModelLoader {
    private static final int HEAD_BYTES = 64;
    // GGUF first: its magic is definite, while a legacy llama2.c header is only recognised as plausible numbers.
    private static final List<ModelReader> READERS = List.of(new GgufReader(), new Llama2cReader());

    private ModelLoader() {
    }

    /**
     * The model files still mapped that have shrunk since they were mapped (each with its sizes), for
     * explaining the {@link InternalError} a read past their new end raises.
     */
    public static List<String> shrunkWhileMapped() {
        return MappedModelFile.shrunk();
    }

    public static Model load(Path path) throws IOException {
        byte[] head = head(path);
        for (ModelReader reader : READERS) {
            if (reader.accepts(head)) return reader.read(path);
        }
        throw new InvalidModelException(path + ": unknown model format (neither GGUF nor a llama2.c checkpoint)");
    }

    /** Whether {@code path} is a GGUF file (a model or only a vocabulary), by its magic. */
    public static boolean isGguf(Path path) throws IOException {
        return new GgufReader().accepts(head(path));
    }

    private static byte[] head(Path path) throws IOException {
        if (!Files.exists(path)) throw new InvalidModelException("model file not found: " + path);
        if (!Files.isRegularFile(path)) throw new InvalidModelException("not a regular file: " + path);
        byte[] head;
        try (InputStream in = Files.newInputStream(path)) {
            head = in.readNBytes(HEAD_BYTES);
        }
        if (head.length == 0) throw new InvalidModelException("model file is empty: " + path);
        return head;
    }
}
