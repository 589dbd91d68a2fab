package io.heavykv.bench.prompts;

import java.util.List;

/** The prompt length buckets: 128, 512, 2048 tokens (each ±25%), and long beyond. */
public final class Buckets {
    public static final List<String> ORDER = List.of("128", "512", "2048", "long");

    private Buckets() {
    }

    public static String of(int tokens) {
        if (tokens <= 160) return "128";
        if (tokens <= 640) return "512";
        if (tokens <= 2560) return "2048";
        return "long";
    }
}
