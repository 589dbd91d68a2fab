package io.heavykv.bench;

import io.heavykv.model.LlamaConfig;
import io.heavykv.model.RandomModelGenerator;
import io.heavykv.tensor.TensorType;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

/**
 * Random models with real deployment shapes, generated once and cached: a TinyLlama file takes a minute to
 * write, a 7B one much longer. A file is reused only when its stamp (written last, after an atomic move)
 * names the same shapes, type, seed and size, so an interrupted generation is never taken for a model.
 */
public final class SyntheticModels {
    public enum Shape {
        TINYLLAMA(RandomModelGenerator.Preset.TINYLLAMA_1_1B),
        LLAMA2_7B(RandomModelGenerator.Preset.LLAMA2_7B);

        private final RandomModelGenerator.Preset preset;

        Shape(RandomModelGenerator.Preset preset) {
            this.preset = preset;
        }

        /** The shape with {@code layers} blocks, from 1 to the shape's own count; 0 = the shape's own count. */
        public LlamaConfig config(int layers) {
            int all = preset.config().layers();
            if (layers < 0 || layers > all) {
                throw new IllegalArgumentException("--layers must be in [0, " + all + "] for " + cliName() + " (0 = all " + all
                        + "), got " + layers);
            }
            return layers > 0 ? preset.config(layers) : preset.config();
        }

        /** Command-line name: tinyllama, llama2-7b. */
        public String cliName() { return name().toLowerCase(Locale.ROOT).replace('_', '-'); }

        public static Shape parse(String name) {
            for (Shape s : values()) if (s.cliName().equalsIgnoreCase(name)) return s;
            throw new IllegalArgumentException("unknown synthetic model '" + name + "': use tinyllama or llama2-7b");
        }
    }

    private SyntheticModels() {
    }

    /** The default cache directory: {@code ~/.cache/heavykv/bench-models} (survives {@code mvn clean}). */
    public static Path defaultDirectory() {
        return Path.of(System.getProperty("user.home"), ".cache", "heavykv", "bench-models");
    }

    /**
     * The model file for these settings, generated if absent or invalid.
     *
     * @param layers blocks to generate; 0 = the shape's own count
     * @param log    told what is happening (generation takes a while)
     */
    public static Path ensure(Path directory, Shape shape, int layers, TensorType type, long seed, java.util.function.Consumer<String> log)
            throws IOException {
        LlamaConfig config = shape.config(layers);
        String name = String.format(Locale.ROOT, "%s-L%d-%s-s%d", shape.cliName(), config.layers(), type, seed);
        Path file = directory.resolve(name + ".gguf");
        Path stamp = directory.resolve(name + ".ok");
        String expected = config + " " + type + " seed " + seed;
        if (Files.isRegularFile(file) && Files.isRegularFile(stamp)) {
            String[] lines = Files.readString(stamp, StandardCharsets.UTF_8).split("\n");
            if (lines.length == 2 && lines[0].equals(expected) && lines[1].equals(Long.toString(Files.size(file)))) {
                return file;
            }
            log.accept("cached " + file + " does not match its stamp; generating it again");
        }
        Files.createDirectories(directory);
        Files.deleteIfExists(stamp);
        Path partial = directory.resolve(name + ".gguf.partial");
        log.accept("generating " + file + " (" + config.layers() + " layers, " + type + ", seed " + seed + "), once");
        RandomModelGenerator.generate(config, type, seed, "synthetic " + name, partial);
        Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Files.writeString(stamp, expected + "\n" + Files.size(file), StandardCharsets.UTF_8);
        return file;
    }
}
