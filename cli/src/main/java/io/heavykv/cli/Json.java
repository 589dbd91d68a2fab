package io.heavykv.cli;

import io.heavykv.bench.BenchJson;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;

/** JSON for machines on stdout, one object per line, in the record files' format ({@link BenchJson}). */
final class Json {
    private Json() {
    }

    static void print(PrintStream out, Object value) {
        try {
            out.println(BenchJson.MAPPER.writeValueAsString(value));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
