package io.heavykv.cli;

import java.nio.file.Path;

/**
 * Where the default model lives: {@code models/stories260K/} inside the repository, so a fresh clone runs with
 * nothing beside it. The launcher passes the repository as {@code heavykv.home}; without it the working
 * directory is taken as the repository.
 */
final class DefaultModel {
    private DefaultModel() {
    }

    static Path stories260K() {
        Path home = Path.of(System.getProperty("heavykv.home", "."));
        return home.resolve("models/stories260K/stories260K.bin").toAbsolutePath().normalize();
    }
}
